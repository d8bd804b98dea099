import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from './errors.ts';

/**
 * Loads a scenario file: a `.ts`/`.js` module whose default export (or `scenario` export) is the
 * scenario, or a `.json` file. Only loading happens here; validation (with field-level errors)
 * happens in `resolveScenario`.
 */
export async function loadScenario(path: string): Promise<unknown> {
  const absolute = resolve(path);
  if (!existsSync(absolute)) throw new UsageError(`scenario file not found: ${path}${suggestScenario(path)}`);
  if (statSync(absolute).isDirectory())
    throw new UsageError(`${path} is a folder; give a scenario file (run 'dsim list' to see them)`);
  const extension = extname(absolute);
  if (extension === '.json') {
    const text = readFileSync(absolute, 'utf8');
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new UsageError(`${path} is not valid JSON: ${describeJsonError(text, error as Error)}`);
    }
  }
  if (['.ts', '.mts', '.js', '.mjs'].includes(extension)) {
    let module: Record<string, unknown>;
    try {
      module = (await import(pathToFileURL(absolute).href)) as Record<string, unknown>;
    } catch (error) {
      throw new UsageError(`could not load ${path}: ${(error as Error).message}`);
    }
    const scenario = module.default ?? module.scenario;
    if (scenario === undefined)
      throw new UsageError(`${path} exports no scenario: write 'export default defineScenario({...})'`);
    return scenario;
  }
  throw new UsageError(`${path}: a scenario file must end in .ts, .js or .json`);
}

function suggestScenario(path: string): string {
  if (!path.includes('/')) return ` (scenarios live in simulations/<protocol>/; run 'dsim list')`;
  return '';
}

/** Turns JSON.parse's "position N" into a line and column. */
export function describeJsonError(text: string, error: Error): string {
  const match = /position (\d+)/.exec(error.message);
  if (!match) return error.message;
  const position = Number(match[1]);
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return `${error.message.replace(/ in JSON at position \d+.*$/, '')} at line ${line}, column ${column}`;
}
