import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import {
  describeFault,
  describeLatency,
  formatMicros,
  resolveScenario,
  Simulation,
  type ResolvedScenario,
  type RunResult,
  type StateMode,
  type TraceEvent,
  type TraceHeader,
  familyScenario,
} from '@dsim/core';
import { formatFlags, integerFlag, parseArgs, type FlagSpec } from '../args.ts';
import { UsageError } from '../errors.ts';
import { EXIT_INTERNAL, EXIT_OK, EXIT_VIOLATION } from '../exit-codes.ts';
import { familyCaseFlags, familyCases, familyFlags, familyNameIn, findFamily, measureTotals } from '../family-args.ts';
import { firstDifference, type TraceDifference } from '../determinism.ts';
import { describeFileError } from '../file-errors.ts';
import { loadScenario } from '../load-scenario.ts';
import { loadProjectProtocols, protocolPathsFlag } from '../project-protocols.ts';
import { protocolErrorStack } from '../protocol-stack.ts';
import { DSIM, shellArg } from '../shell.ts';
import { style } from '../style.ts';
import { TimelineStrip } from '../timeline-strip.ts';
import { describeSwarm } from '../swarm-describe.ts';

export const runFlags: Record<string, FlagSpec> = {
  family: {
    value: true,
    placeholder: 'name',
    description: 'run one seed of a seed family instead of a scenario file (e.g. raft/aggressive)',
  },
  seed: {
    value: true,
    short: 's',
    placeholder: 'n',
    description: "the run's seed (default: the scenario's seed, else 1)",
  },
  out: {
    value: true,
    short: 'o',
    placeholder: 'file',
    description: 'where to write the trace (default traces/<scenario>-seed<n>.jsonl)',
  },
  until: {
    value: true,
    placeholder: 'duration',
    description: "stop at this simulated time instead of the scenario's (e.g. 30s)",
  },
  mode: {
    value: true,
    placeholder: 'immutable|mutable',
    description: 'state mode; both give the same trace (default immutable)',
  },
  swarm: {
    description: "with --family: also draw the run's fault kinds and knobs from the seed, as 'dsim sweep --swarm' does",
  },
  'check-determinism': {
    description: 'run the seed a second time and name the first trace line where the runs differ (exit 1 if they do)',
  },
  'no-trace': { description: 'write no trace file (the hash is still computed)' },
  'expect-violation': { description: 'for scenarios that demonstrate a bug: exit 0 only if a violation is found' },
  json: { description: 'print the result as JSON instead of the report' },
  protocol: {
    value: true,
    placeholder: 'module',
    description: "register the protocols a module exports (besides dsim.config's), e.g. ./src/ring.ts",
  },
  quiet: { short: 'q', description: 'print only the verdict line' },
  help: { short: 'h', description: 'show this help' },
};

export const runUsage = `dsim run <scenario.ts|scenario.json> [options]
dsim run --family <name> --seed <n> [family options] [options]

Runs one scenario with one seed, writes its trace, and prints the seed and resolved config first,
then the run's shape and summary. Exit 0 when every invariant held, 1 on a violation, 2 on bad
input, 3 when a handler threw (its stack is printed); 'dsim --help' lists every exit code.

${formatFlags(runFlags)}`;

export async function runCommand(args: string[]): Promise<number> {
  const familyName = familyNameIn(args);
  const family = familyName === undefined ? undefined : findFamily(familyName, 'run');
  const spec = family ? { ...runFlags, ...familyFlags(family, 'run') } : runFlags;
  const { positional, flags } = parseArgs(args, spec, 'run');
  if (flags.help) {
    console.log(
      family
        ? `${runUsage}\n\nOptions of --family ${familyName}:\n${formatFlags(familyFlags(family, 'run'))}`
        : runUsage,
    );
    return EXIT_OK;
  }
  if (family && positional.length > 0)
    throw new UsageError(`dsim run: give a scenario file or --family, not both (got ${positional.join(' ')})`);
  if (!family && positional.length !== 1)
    throw new UsageError(`dsim run needs exactly one scenario file, or --family <name>.\n\n${runUsage}`);
  // What names this run on a command line: the file, or the family with the options given.
  const file = family ? `--family ${familyName}` : positional[0]!;
  const mode = flags.mode ?? 'immutable';
  if (mode !== 'immutable' && mode !== 'mutable')
    throw new UsageError(`dsim run: --mode must be 'immutable' or 'mutable', got '${String(mode)}'`);
  const seed = integerFlag(flags.seed, 'seed', 'run');
  // A family builds the scenario from the seed, so its run is the sweep's run of that seed.
  const familyCase = family ? familyCases(family, flags, 'run')[0]! : undefined;
  // With the same probes the sweep adds, so the run (and its hash) is the sweep's run of this seed.
  if (flags.swarm && !family)
    throw new UsageError(`dsim run: --swarm draws from a seed family's ranges: give --family`);
  const swarm = flags.swarm === true;
  if (swarm && !family!.swarm)
    throw new UsageError(`dsim run: --family ${familyName} declares no swarm ranges; run it without --swarm`);
  const drawn = family ? familyScenario(family, seed ?? 1, familyCase!, swarm) : undefined;
  const instrumented = drawn && family?.measure?.instrument(drawn.scenario);
  const scenarioInput = drawn ? (instrumented?.scenario ?? drawn.scenario) : await loadScenario(file);
  const caseFlags = family
    ? [familyCaseFlags(family, flags, familyCase!), swarm ? '--swarm' : ''].filter(Boolean).join(' ')
    : '';
  const { registry } = await loadProjectProtocols({
    cwd: process.cwd(),
    protocolPaths: protocolPathsFlag(flags.protocol),
  });
  const resolveOptions = {
    registry,
    source: family ? `family ${familyName}` : file,
    ...(seed !== undefined ? { seed } : {}),
    ...(typeof flags.until === 'string' ? { until: flags.until } : {}),
  };
  const scenario = resolveScenario(scenarioInput, resolveOptions);
  const checkDeterminism = flags['check-determinism'] === true;
  const writeTrace = !flags['no-trace'];
  const tracePath =
    typeof flags.out === 'string'
      ? flags.out
      : join('traces', `${slug(scenario.name || basename(file, extname(file)))}-seed${scenario.seed}.jsonl`);
  if (writeTrace && !family && resolve(tracePath) === resolve(file))
    throw new UsageError(
      `--out ${String(flags.out)} is the scenario file itself: writing the trace there would destroy it; choose another path`,
    );
  const report = !flags.json && !flags.quiet;
  if (report) printPreamble(file, scenario);
  if (report && drawn?.swarm) console.log(`${style.dim('swarm      ')}${describeSwarm(drawn.swarm)}`);

  const strip = report ? new LazyStrip() : undefined;
  const sink = writeTrace ? new TraceFile(tracePath) : undefined;
  // The first run's trace, kept for comparison with the second when checking determinism.
  const firstTrace: Uint8Array[] = [];
  const started = performance.now();
  const simulation = new Simulation(scenario, {
    trace: 'hash',
    stateMode: mode as StateMode,
    // Whole lines as UTF-8 bytes, a chunk at a time: written to the file as they are, decoded only for the strip.
    onTraceChunk: (bytes) => {
      sink?.write(bytes);
      strip?.addChunk(bytes);
      if (checkDeterminism) firstTrace.push(bytes.slice());
    },
  });
  let result;
  try {
    result = simulation.run();
  } finally {
    // A run that did not finish leaves the previous trace (if any) as it was.
    if (result === undefined) sink?.abandon();
  }
  const wallMillis = performance.now() - started;
  sink?.close();
  const determinism = checkDeterminism
    ? secondRunDifference(scenarioInput, resolveOptions, mode as StateMode, result, firstTrace)
    : undefined;

  if (flags.json) {
    console.log(
      JSON.stringify(
        {
          ...summaryJson(result, wallMillis),
          trace: writeTrace ? tracePath : null,
          ...(checkDeterminism ? { deterministic: determinism === undefined, difference: determinism ?? null } : {}),
        },
        null,
        2,
      ),
    );
  } else if (flags.quiet) {
    console.log(verdictLine(result));
  } else {
    printResult(
      family ? file : shellArg(file),
      result,
      wallMillis,
      sink ? { path: tracePath, lines: sink.lines } : undefined,
      strip,
      caseFlags,
    );
    if (instrumented)
      for (const line of family!.measure!.report(measureTotals([instrumented.read(result)]))) console.log(line);
  }
  if (checkDeterminism && !flags.json) printDeterminism(determinism);
  if (determinism !== undefined) return EXIT_VIOLATION;
  if (result.endReason === 'error') {
    // A protocol exception is neither a verdict nor bad input: the user's handler threw.
    const stack = protocolErrorStack(scenario, mode as StateMode);
    console.error(
      `${style.red('protocol exception:')} ${result.error ?? ''}\n${stack ?? '(the stack could not be recovered: the exception did not recur on replay)'}`,
    );
    return EXIT_INTERNAL;
  }
  const violated = result.violations.length > 0;
  if (flags['expect-violation']) {
    if (!flags.json && !flags.quiet)
      console.log(
        violated
          ? style.green('(a violation was expected: exit 0)')
          : style.red('(a violation was expected, but every invariant held: exit 1)'),
      );
    return violated ? EXIT_OK : EXIT_VIOLATION;
  }
  return violated ? EXIT_VIOLATION : EXIT_OK;
}

function printPreamble(file: string, scenario: ResolvedScenario): void {
  const label = (text: string) => style.dim(text.padEnd(11));
  console.log(`${style.bold('dsim run')} ${file}`);
  console.log(`${label('seed')}${style.bold(String(scenario.seed))}`);
  console.log(
    `${label('scenario')}${scenario.name}${scenario.description ? style.dim(` — ${scenario.description}`) : ''}`,
  );
  console.log(
    `${label('protocol')}${scenario.protocol.name}${scenario.bugs.length ? style.red(`  bugs on: ${scenario.bugs.join(', ')}`) : ''}`,
  );
  console.log(
    `${label('nodes')}${scenario.nodes.length <= 12 ? scenario.nodes.join(' ') : `${scenario.nodes.length} (${scenario.nodes[0]} … ${scenario.nodes[scenario.nodes.length - 1]})`}`,
  );
  console.log(`${label('until')}${formatMicros(scenario.until)}`);
  console.log(`${label('config')}${JSON.stringify(scenario.config)}`);
  const network = scenario.network;
  console.log(
    `${label('network')}latency ${describeLatency(network.latency)}, loss ${network.loss}, duplicate ${network.duplicate}${network.fifo ? ', FIFO links' : ''}${network.links.length ? `, ${network.links.length} link overrides` : ''}`,
  );
  const skewed = scenario.clocks.filter(([, offset, drift]) => offset !== 0 || drift !== 0);
  if (skewed.length)
    console.log(
      `${label('clocks')}${skewed.map(([node, offset, drift]) => `${node} ${offset >= 0 ? '+' : ''}${formatMicros(offset)} ${drift}ppm`).join(', ')}`,
    );
  if (scenario.faults.length === 0) console.log(`${label('faults')}none`);
  else {
    console.log(`${label('faults')}${scenario.faults.length} scheduled, last at ${formatMicros(scenario.faultsEndAt)}`);
    const shown = scenario.faults.slice(0, 12);
    for (const { at, fault } of shown)
      console.log(`${label('')}${style.yellow(formatMicros(at).padStart(8))}  ${describeFault(fault)}`);
    if (scenario.faults.length > shown.length)
      console.log(`${label('')}${style.dim(`… ${scenario.faults.length - shown.length} more`)}`);
  }
  if (scenario.workload) {
    const w = scenario.workload;
    console.log(
      `${label('workload')}${w.name} × ${w.clients} clients, think ${formatMicros(w.thinkTime)}, timeout ${formatMicros(w.timeout)}`,
    );
  }
  console.log(
    `${label('invariants')}${scenario.invariants.map((invariant) => `${invariant.name} ${style.dim(`(${invariant.kind})`)}`).join(', ') || 'none'}`,
  );
  console.log();
}

function printResult(
  replayTarget: string,
  result: RunResult,
  wallMillis: number,
  trace: { readonly path: string; readonly lines: number } | undefined,
  strip: LazyStrip | undefined,
  caseFlags: string,
): void {
  const label = (text: string) => style.dim(text.padEnd(11));
  const s = result.stats;
  const rendered = strip?.render();
  if (rendered) {
    console.log(rendered);
    console.log();
  }
  console.log(`${label('result')}${verdictLine(result)}`);
  const ratio = wallMillis > 0 ? result.endTime / 1000 / wallMillis : Infinity;
  console.log(
    `${label('events')}${s.events.toLocaleString('en-US')} in ${formatMillis(wallMillis)} wall — ${formatMicros(result.endTime)} simulated (${ratio >= 10 ? Math.round(ratio).toLocaleString('en-US') : ratio.toFixed(1)}× real time)`,
  );
  const drops = Object.entries(s.dropsByReason)
    .map(([reason, count]) => `${reason} ${count}`)
    .join(', ');
  console.log(
    `${label('messages')}sent ${s.messagesSent}, delivered ${s.messagesDelivered}, dropped ${s.messagesDropped}${drops ? ` (${drops})` : ''}, duplicated ${s.messagesDuplicated}`,
  );
  console.log(`${label('timers')}${s.timersFired} fired   ${style.dim('faults')} ${s.faults}`);
  if (s.operations > 0) {
    console.log(
      `${label('clients')}${s.operations} operations: ${style.green(`${s.operationsOk} ok`)}, ${style.yellow(`${s.operationsFailed} fail`)}, ${style.magenta(`${s.operationsUnknown} unknown`)}`,
    );
  }
  if (result.reached.length > 0)
    console.log(`${label('reached')}${result.reached.map((name) => style.green(`✓ ${name}`)).join('  ')}`);
  for (const violation of result.violations) {
    console.log(
      `${label('violation')}${style.red(style.bold(`[${violation.kind}] ${violation.invariant}`))} at ${formatMicros(violation.time)}: ${violation.message}`,
    );
  }
  if (result.error) console.log(`${label('error')}${style.red(result.error)}`);
  if (trace)
    console.log(`${label('trace')}${trace.path} ${style.dim(`(${trace.lines.toLocaleString('en-US')} lines)`)}`);
  console.log(`${label('hash')}${style.bold(result.hash ?? '-')}`);
  console.log();
  console.log(
    style.dim(`replay: ${DSIM} run ${replayTarget} --seed ${result.seed}${caseFlags ? ` ${caseFlags}` : ''}`),
  );
  if (trace) console.log(style.dim(`view:   ${DSIM} view ${shellArg(trace.path)}`));
}

export function verdictLine(result: RunResult): string {
  if (result.endReason === 'error') return style.red(style.bold('✗ the protocol threw an error'));
  if (result.violations.length > 0) {
    const names = [...new Set(result.violations.map((violation) => violation.invariant))];
    return style.red(
      style.bold(
        `✗ ${result.violations.length} violation${result.violations.length === 1 ? '' : 's'}: ${names.join(', ')}`,
      ),
    );
  }
  return style.green(style.bold('✓ every invariant held'));
}

export function summaryJson(result: RunResult, wallMillis: number) {
  return {
    scenario: result.scenario,
    protocol: result.protocol,
    seed: result.seed,
    hash: result.hash,
    endReason: result.endReason,
    endTime: result.endTime,
    wallMillis: Math.round(wallMillis),
    stats: result.stats,
    violations: result.violations,
    reached: result.reached,
    ...(result.error ? { error: result.error } : {}),
  };
}

function formatMillis(millis: number): string {
  return millis >= 1000 ? `${(millis / 1000).toFixed(2)}s` : `${Math.round(millis)}ms`;
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'run'
  );
}

const NEWLINE = 0x0a;

/**
 * The trace file, written under a temporary name beside it and renamed into place when the run
 * ends: a run that is killed or fails never leaves a half-written trace where the last good one
 * was. Lines are written as the recorder hands them on, a chunk of whole lines at a time.
 */
class TraceFile {
  private readonly fd: number;
  /** Where the bytes go first: a temporary file beside the trace, or, for a device or pipe, the path itself. */
  private readonly partial: string;
  private readonly direct: boolean;
  private open = true;
  /** Lines written: the recorder hands on whole lines, each ending in a newline byte. */
  lines = 0;
  constructor(private readonly path: string) {
    // A device or pipe (/dev/stdout, a FIFO) is written in place: renaming a file onto it would replace the device.
    this.direct = existsSync(path) && !statSync(path).isFile() && !statSync(path).isDirectory();
    this.partial = this.direct ? path : `${path}.partial-${process.pid}`;
    if (existsSync(path) && statSync(path).isDirectory())
      throw new UsageError(
        `cannot write the trace to ${path}: it is a folder; give a file name (--out ${join(path, 'trace.jsonl')})`,
      );
    try {
      if (!this.direct) mkdirSync(dirname(path) || '.', { recursive: true });
      this.fd = openSync(this.partial, 'w');
    } catch (error) {
      throw new UsageError(describeFileError(error, 'write the trace to', path));
    }
    // An exit before the rename drops the temporary file. (A run killed by a signal leaves it
    // behind, named with the process id; the previous trace is untouched either way.)
    process.once('exit', () => this.abandon());
  }
  /** The recorder reuses its chunk buffer, so the bytes are written before returning. */
  write(bytes: Uint8Array): void {
    let written = 0;
    try {
      while (written < bytes.length) written += writeSync(this.fd, bytes, written, bytes.length - written);
      for (let i = bytes.indexOf(NEWLINE); i !== -1; i = bytes.indexOf(NEWLINE, i + 1)) this.lines++;
    } catch (error) {
      this.abandon();
      throw new UsageError(describeFileError(error, 'write the trace to', this.path));
    }
  }
  close(): void {
    if (!this.open) return;
    this.open = false;
    closeSync(this.fd);
    if (this.direct) return;
    try {
      renameSync(this.partial, this.path);
    } catch (error) {
      rmSync(this.partial, { force: true });
      throw new UsageError(describeFileError(error, 'write the trace to', this.path));
    }
  }
  /** Drops the temporary file; the path keeps whatever it held before. */
  abandon(): void {
    if (!this.open) return;
    this.open = false;
    closeSync(this.fd);
    if (!this.direct) rmSync(this.partial, { force: true });
  }
}

/** Builds the timeline strip from trace lines, giving up on very large runs (parsing every line would cost more than the run). */
class LazyStrip {
  private strip: TimelineStrip | undefined;
  private lines = 0;
  private static readonly LIMIT = 2_000_000;
  private readonly decoder = new TextDecoder();
  /** A chunk of whole trace lines, as the recorder hands them on. */
  addChunk(bytes: Uint8Array): void {
    if (this.lines > LazyStrip.LIMIT) return;
    const text = this.decoder.decode(bytes);
    let from = 0;
    for (
      let newline = text.indexOf('\n');
      newline !== -1 && this.lines <= LazyStrip.LIMIT;
      newline = text.indexOf('\n', from)
    ) {
      this.add(text.slice(from, newline));
      from = newline + 1;
    }
  }
  private add(line: string): void {
    if (++this.lines > LazyStrip.LIMIT) return;
    if (this.lines === 1) {
      this.strip = new TimelineStrip(JSON.parse(line) as TraceHeader);
      return;
    }
    this.strip?.add(JSON.parse(line) as TraceEvent);
  }
  render(): string | undefined {
    return this.lines > LazyStrip.LIMIT ? undefined : this.strip?.render();
  }
}

/**
 * Runs the scenario again, from a fresh resolution, and compares the two traces: undefined when
 * they are equal. The hashes decide; the lines are compared only to name where the runs part.
 */
function secondRunDifference(
  scenarioInput: unknown,
  resolveOptions: Parameters<typeof resolveScenario>[1],
  stateMode: StateMode,
  first: RunResult,
  firstTrace: readonly Uint8Array[],
): TraceDifference | undefined {
  const second = new Simulation(resolveScenario(scenarioInput, resolveOptions), { trace: 'memory', stateMode }).run();
  if (second.hash === first.hash) return undefined;
  const firstText = Buffer.concat(firstTrace).toString('utf8');
  return (
    firstDifference(firstText, second.traceText) ?? {
      line: 0,
      first: `hash ${first.hash ?? '?'}`,
      second: `hash ${second.hash ?? '?'}`,
    }
  );
}

function printDeterminism(difference: TraceDifference | undefined): void {
  if (difference === undefined) {
    console.log(`${style.dim('determinism')} ${style.green('✓')} a second run of the seed wrote the same trace`);
    return;
  }
  const shown = (line: string | undefined) => (line === undefined ? '(the trace ended)' : line);
  console.log(
    [
      `${style.dim('determinism')} ${style.red('✗')} a second run of the seed differs from trace line ${difference.line}:`,
      `  first run   ${shown(difference.first)}`,
      `  second run  ${shown(difference.second)}`,
      'A handler read something outside the simulation: Math.random(), the wall clock, or state kept in a module',
      "variable between runs. Draw randomness from ctx.random, time from ctx.now(), and keep state in the node's state.",
    ].join('\n'),
  );
}
