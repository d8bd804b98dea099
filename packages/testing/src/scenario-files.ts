import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A scenario file found under a folder: its path, its path relative to the folder, and its scenario. */
export interface ScenarioFile {
  readonly path: string;
  /** 'raft/figure8.ts' */
  readonly relativePath: string;
  readonly scenario: unknown;
}

/**
 * Every scenario file under a folder (simulations/ holds nothing else): `.ts` modules that
 * default-export a scenario, and `.json` scenarios, sorted by path.
 */
export async function loadScenarioFiles(dir: string): Promise<ScenarioFile[]> {
  const paths: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder).sort()) {
      const path = join(folder, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|json)$/.test(entry) && !entry.endsWith('.d.ts')) paths.push(path);
    }
  };
  walk(dir);
  const files: ScenarioFile[] = [];
  for (const path of paths) {
    const scenario = path.endsWith('.json')
      ? (JSON.parse(readFileSync(path, 'utf8')) as unknown)
      : ((await import(pathToFileURL(path).href)) as { default?: unknown }).default;
    if (scenario === undefined)
      throw new Error(`${path} has no default export: a scenario file must export its scenario`);
    files.push({ path, relativePath: relative(dir, path).replace(/\\/g, '/'), scenario });
  }
  return files;
}
