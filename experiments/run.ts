/**
 * Runs a study from experiments/: `npx -y pnpm@10 experiment <name> [args]`; without a name it
 * lists them. An experiment is a module here that exports `description`, `usage` and
 * `main(args)`; adding one is adding its file.
 */
import { readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export interface Experiment {
  /** One line for the list. */
  readonly description: string;
  /** The arguments it takes, e.g. '[--runs 200] [--timeout 150ms..300ms]'. */
  readonly usage: string;
  /** Returns the process exit code. */
  main(args: readonly string[]): Promise<number> | number;
}

const here = import.meta.dirname;
const names = readdirSync(here)
  .filter((file) => file.endsWith('.ts') && file !== 'run.ts')
  .map((file) => file.slice(0, -'.ts'.length))
  .sort();

async function load(name: string): Promise<Experiment> {
  return (await import(pathToFileURL(`${here}/${name}.ts`).href)) as Experiment;
}

const [name, ...args] = process.argv.slice(2);
if (name === undefined || name === '--help' || name === '-h') {
  console.log('Usage: npx -y pnpm@10 experiment <name> [args]\n\nExperiments:');
  for (const candidate of names) {
    const experiment = await load(candidate);
    console.log(`  ${candidate.padEnd(16)}${experiment.description}`);
    console.log(`  ${''.padEnd(16)}${candidate} ${experiment.usage}`);
  }
} else if (!names.includes(name)) {
  console.error(`error: no experiment '${name}'. Experiments: ${names.join(', ')}`);
  process.exitCode = 2;
} else {
  try {
    process.exitCode = await (await load(name)).main(args);
  } catch (error) {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  }
}
