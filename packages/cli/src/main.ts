import { ScenarioError } from '@dsim/core';
import { EXIT_OK, EXIT_USAGE, UsageError } from './errors.ts';
import { style } from './style.ts';

type Command = (args: string[]) => Promise<number>;

/** Commands load lazily, so `dsim run` never pays for the visualizer's server or the checker. */
const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  run: {
    summary: 'run one scenario with one seed; print the summary, write the trace',
    load: async () => (await import('./commands/run.ts')).runCommand,
  },
  sweep: {
    summary: 'run a scenario across many seeds on worker threads; list failing seeds',
    load: async () => (await import('./commands/sweep.ts')).sweepCommand,
  },
  check: {
    summary: 'check a history (JSON or Jepsen EDN) for linearizability against a model',
    load: async () => (await import('./commands/check.ts')).checkCommand,
  },
  view: {
    summary: 'open a trace in the visualizer (serves it on 127.0.0.1 and prints the address)',
    load: async () => (await import('./commands/view.ts')).viewCommand,
  },
  list: {
    summary: 'list protocols, their invariants and bug switches, and scenario files',
    load: async () => (await import('./commands/list.ts')).listCommand,
  },
};

export const usage = () => `${style.bold('dsim')} — deterministic simulation of distributed-systems algorithms

Usage: dsim <command> [options]

${Object.entries(commands)
  .map(([name, command]) => `  ${name.padEnd(8)}${command.summary}`)
  .join('\n')}

Run 'dsim <command> --help' for a command's options.
Exit codes: 0 every invariant held, 1 a violation (or failing seed) was found, 2 bad input or usage.`;

export async function main(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const command = commands[name];
  if (!command) {
    console.error(
      `${style.red('error:')} unknown command '${name}'. Commands: ${Object.keys(commands).join(', ')}. Run 'dsim --help'.`,
    );
    return EXIT_USAGE;
  }
  try {
    return await (
      await command.load()
    )(rest);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ScenarioError) {
      console.error(`${style.red('error:')} ${error.message}`);
      return EXIT_USAGE;
    }
    throw error;
  }
}
