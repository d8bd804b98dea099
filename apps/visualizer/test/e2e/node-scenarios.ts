import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { APP_ROOT } from './harness.ts';

export const SIMULATIONS = join(APP_ROOT, '..', '..', 'simulations');

/** The shipped scenario files as Node (and `dsim run`) loads them, keyed like the app keys them. */
export async function loadShippedScenarios(): Promise<Array<{ key: string; scenario: Record<string, unknown> }>> {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts')) files.push(path);
    }
  };
  walk(SIMULATIONS);
  const loaded = [];
  for (const file of files.sort()) {
    const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    const scenario = (module.default ?? module.scenario) as Record<string, unknown>;
    loaded.push({ key: relative(SIMULATIONS, file).replace(/\\/g, '/').replace(/\.ts$/, ''), scenario });
  }
  return loaded.sort((a, b) => a.key.localeCompare(b.key));
}
