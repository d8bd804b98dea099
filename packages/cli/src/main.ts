import { ScenarioError } from '@dsim/core';
import { closest } from './args.ts';
import { UsageError } from './errors.ts';
import { describeFileError, isFileSystemError } from './file-errors.ts';
import { EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, exitCodeTable } from './exit-codes.ts';
import { style } from './style.ts';
import { version } from './version.ts';

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
  report: {
    summary: 'write a self-contained HTML report of a trace: verdicts, fault timeline, plots',
    load: async () => (await import('./commands/report.ts')).reportCommand,
  },
  init: {
    summary: 'write a starter project (protocol, scenario, property test, config) into an empty folder',
    load: async () => (await import('./commands/init.ts')).initCommand,
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
Run 'dsim --version' for the version.

Exit codes:
${exitCodeTable.map(([code, meaning]) => `  ${String(code).padEnd(5)}${meaning}`).join('\n')}`;

export async function main(args: string[]): Promise<number> {
  let [name, ...rest] = args;
  // `dsim help run` is `dsim run --help`.
  if (name === 'help' && rest[0] !== undefined && Object.hasOwn(commands, rest[0]))
    [name, rest] = [rest[0], ['--help']];
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    console.log(version());
    return EXIT_OK;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    const suggestion = closest(name, Object.keys(commands));
    console.error(
      `${style.red('error:')} unknown command '${name}'.${suggestion ? ` Did you mean '${suggestion}'?` : ''} Commands: ${Object.keys(commands).join(', ')}. Run 'dsim --help'.`,
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
    // A file that cannot be read or written is the environment, not a bug in dsim: say which and why.
    if (isFileSystemError(error)) {
      console.error(`${style.red('error:')} ${describeFileError(error, 'use', error.path ?? 'a file')}`);
      return EXIT_USAGE;
    }
    // Not the user's input: dsim itself broke. The stack is what a bug report needs.
    console.error(
      `${style.red('internal error:')} ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return EXIT_INTERNAL;
  }
}

/**
 * Ctrl-C ends a command with 130, as shells report a SIGINT; 'exit' handlers still run (a trace
 * being written is dropped, the previous one kept). A command that listens for SIGINT itself
 * (`dsim view`, whose normal way to stop is Ctrl-C) decides its own exit code.
 */
export function exitOnInterrupt(): void {
  process.on('SIGINT', () => {
    if (process.listenerCount('SIGINT') > 1) return;
    process.exit(EXIT_INTERRUPTED);
  });
}

/**
 * `dsim list | head` closes the pipe while dsim still writes: stop quietly, as Unix tools do,
 * instead of an EPIPE stack trace.
 */
export function exitQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exit(typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK);
    });
}
