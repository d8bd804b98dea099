import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from './errors.ts';
import { describeFileError } from './file-errors.ts';

/**
 * Loads a scenario file: a `.ts`/`.js` module whose default export (or `scenario` export) is the
 * scenario, or a `.json` file. Only loading happens here; validation (with field-level errors)
 * happens in `resolveScenario`.
 */
export async function loadScenario(path: string): Promise<unknown> {
  const absolute = resolve(path);
  if (!existsSync(absolute)) throw new UsageError(`scenario file not found: ${path}${suggestScenario(path)}`);
  const stats = readOrExplain(path, () => statSync(absolute));
  if (stats.isDirectory())
    throw new UsageError(`${path} is a folder; give a scenario file (run 'dsim list' to see them)`);
  const extension = extname(absolute);
  if (extension === '.json') {
    if (stats.size > MAX_SCENARIO_BYTES)
      throw new UsageError(
        `${path} is ${Math.round(stats.size / 1e6)} MB; a scenario is settings, at most ${MAX_SCENARIO_BYTES / 1e6} MB`,
      );
    // Editors on Windows start UTF-8 files with a byte-order mark; JSON.parse would call it an invisible "Unexpected token".
    const text = stripByteOrderMark(readOrExplain(path, () => readFileSync(absolute, 'utf8')));
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

/** A scenario file larger than this is not a scenario (the largest in simulations/ is a few kB). */
const MAX_SCENARIO_BYTES = 16_000_000;

export function stripByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function readOrExplain<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new UsageError(describeFileError(error, 'read', path));
  }
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
