/**
 * Writes packages/core/scenario.schema.json from the TypeBox schema that validates scenarios
 * (src/scenario/json-schema.ts). Run after changing that schema: `pnpm run schema`; a test fails
 * while the committed file differs from what the code emits.
 */
import { writeFileSync } from 'node:fs';
import { scenarioJsonSchema } from '../src/scenario/json-schema.ts';

export const SCENARIO_SCHEMA_FILE = new URL('../scenario.schema.json', import.meta.url);

export const scenarioSchemaText = (): string => `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  writeFileSync(SCENARIO_SCHEMA_FILE, scenarioSchemaText());
  console.log(`wrote ${SCENARIO_SCHEMA_FILE.pathname}`);
}
