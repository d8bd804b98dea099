/**
 * Writes packages/core/scenario.schema.json from the TypeBox schema that validates scenarios
 * (src/scenario/json-schema.ts). Run after changing that schema: `pnpm run schema`; a test fails
 * while the committed file differs from what the code emits.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scenarioJsonSchemaText } from '../src/scenario/json-schema.ts';

const file = fileURLToPath(new URL('../scenario.schema.json', import.meta.url));
writeFileSync(file, scenarioJsonSchemaText());
console.log(`wrote ${file}`);
