import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  addCoverage,
  coverageGoals,
  emptyCoverageTotals,
  familyScenario,
  formatMicros,
  LIMITS,
  resolveScenario,
  unreachedGoals,
  type Scenario,
  type StateMode,
} from '@dsim/core';
import { coveredBy, coverageLines, sweepCoverage } from '../sweep-coverage.ts';
import { describeSwarm } from '../swarm-describe.ts';
import { printShrunk, shrinkFailures, type ShrinkOutcome } from '../sweep-shrink.ts';
import { registry } from '@dsim/registry';
import { sweepReportHtml } from '@dsim/report';
import { formatFlags, integerFlag, parseArgs, type FlagSpec } from '../args.ts';
import { UsageError } from '../errors.ts';
import { EXIT_INTERRUPTED, EXIT_OK, EXIT_VIOLATION } from '../exit-codes.ts';
import { DSIM, shellArg } from '../shell.ts';
import { loadScenario } from '../load-scenario.ts';
import { ProgressBar } from '../progress.ts';
import { loadProjectProtocols, protocolPathsFlag } from '../project-protocols.ts';
import { style } from '../style.ts';
import { printSummary } from '../sweep-summary.ts';
import {
  appendResultLine,
  codeVersion,
  dropCutLine,
  readResultsFile,
  RESULTS_FORMAT,
  RESULTS_VERSION,
  runKey,
  scenarioDigest,
  verdictOf,
  type ResultLine,
  type ResultsHeader,
} from '../sweep-results.ts';
import { sweepMergeCommand } from './sweep-merge.ts';
import {
  describeCase,
  familyCaseFlags,
  familyCases,
  familyFlags,
  familyNameIn,
  findFamily,
  measureTotals,
} from '../family-args.ts';
import {
  failedJob,
  jobRunner,
  type SeedResult,
  type SweepJob,
  type SweepRequest,
  type SweepSource,
  type SweepWorkerData,
} from '../sweep-worker.ts';

export const sweepFlags: Record<string, FlagSpec> = {
  family: {
    value: true,
    placeholder: 'name',
    description: "sweep a seed family instead of a scenario file (e.g. raft/aggressive; 'dsim list' shows them)",
  },
  seeds: {
    value: true,
    placeholder: 'A..B',
    description: 'seeds to run, inclusive (e.g. 1..10000); a single N means 1..N (default 1..100)',
  },
  workers: { value: true, short: 'w', placeholder: 'n', description: 'worker threads (default: the number of cores)' },
  shard: {
    value: true,
    placeholder: 'k/n',
    description:
      'run only shard k of n (seeds interleaved), to split a sweep across machines; auto/n takes k from JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) + 1',
  },
  until: { value: true, placeholder: 'duration', description: "override the scenario's end time" },
  mode: {
    value: true,
    placeholder: 'immutable|mutable',
    description: 'state mode (default mutable: fastest; both give the same runs)',
  },
  hashes: { description: 'record a trace hash per seed (slower; for cross-machine comparison)' },
  'no-hashes': {
    description:
      'with --results: leave the trace hash out of each line (2-3× faster: no trace is built; verdicts and coverage are the same)',
  },
  out: {
    value: true,
    short: 'o',
    placeholder: 'file',
    description: 'write one JSON line per seed (verdict, violations, hash) to this file at the end',
  },
  results: {
    value: true,
    placeholder: 'file.jsonl',
    description: 'write a header and one JSON line per run as it finishes (verdict, violations, hash, stats)',
  },
  resume: {
    value: true,
    placeholder: 'file.jsonl',
    description: 'continue a --results file: skip the runs it holds and append the rest (same other arguments)',
  },
  html: {
    value: true,
    placeholder: 'report.html',
    description: 'write a self-contained HTML report: verdicts, distributions, coverage, failing seeds',
  },
  swarm: {
    description:
      "seed families: each seed also draws its fault kinds and knobs (cluster size, latency, loss, timeouts) from the family's swarm ranges; the draw is in the result line and 'dsim run ... --swarm' replays it",
  },
  shrink: {
    description:
      "shrink each failing seed's fault schedule with the property runner's shrinker and save the smaller scenario and its trace beside the results (<results>.shrunk/, else .dsim/shrunk/)",
  },
  'until-covered': {
    description:
      "run the seeds in order until every coverage goal (the protocol's declared roles, message kinds and states, and the sometimes invariants) is reached; --seeds is the budget",
  },
  json: { description: 'print the summary as JSON' },
  protocol: {
    value: true,
    placeholder: 'module',
    description: "register the protocols a module exports (besides dsim.config's), e.g. ./src/ring.ts",
  },
  help: { short: 'h', description: 'show this help' },
};

export const sweepUsage = `dsim sweep <scenario> [options]
dsim sweep --family <name> [family options] [options]
dsim sweep merge <results.jsonl>... [--out merged.jsonl] [--json]

Runs one scenario across many seeds on worker threads, with a progress bar, and lists every
failing seed with the exact command that reproduces it. A seed family builds a different
scenario from every seed; its options (see 'dsim sweep --family <name> --help') become flags.
Exit 0 when every seed held every invariant, 1 when any failed, 2 on bad input, 130 when
stopped by Ctrl-C (after printing the summary of what finished).

${formatFlags(sweepFlags)}`;

export interface SeedRange {
  readonly first: number;
  readonly last: number;
}

export function parseSeedRange(text: string | boolean | undefined): SeedRange {
  if (text === undefined) return { first: 1, last: 100 };
  const value = String(text);
  const single = /^(\d+)$/.exec(value);
  if (single) {
    const count = Number(single[1]);
    if (count < 1)
      throw new UsageError(`dsim sweep: --seeds ${value} runs nothing; give a count of at least 1 or a range A..B`);
    if (!Number.isSafeInteger(count))
      throw new UsageError(`dsim sweep: --seeds ${value}: a seed is a whole number up to ${Number.MAX_SAFE_INTEGER}`);
    return { first: 1, last: count };
  }
  const range = /^(\d+)\.\.(\d+)$/.exec(value);
  if (!range)
    throw new UsageError(`dsim sweep: --seeds must be a range like 1..10000 (or a count like 500), got '${value}'`);
  const first = Number(range[1]);
  const last = Number(range[2]);
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(last))
    throw new UsageError(`dsim sweep: --seeds ${value}: a seed is a whole number up to ${Number.MAX_SAFE_INTEGER}`);
  if (last < first) throw new UsageError(`dsim sweep: --seeds ${value} is empty: the range must go from low to high`);
  return { first, last };
}

export function parseShard(
  text: string | boolean | undefined,
  env: Readonly<Record<string, string | undefined>> = {},
): { index: number; count: number } {
  if (text === undefined) return { index: 1, count: 1 };
  const auto = /^auto\/(\d+)$/.exec(String(text));
  if (auto) {
    const count = Number(auto[1]);
    const given = env.JOB_COMPLETION_INDEX;
    if (given === undefined || !/^\d+$/.test(given))
      throw new UsageError(
        `dsim sweep: --shard ${String(text)} takes the shard from JOB_COMPLETION_INDEX (0-based, set by a Kubernetes Indexed Job), which is ${given === undefined ? 'not set' : `'${given}'`}; set it or give --shard k/n`,
      );
    if (count < 1 || Number(given) >= count)
      throw new UsageError(
        `dsim sweep: --shard ${String(text)} with JOB_COMPLETION_INDEX=${given} is out of range: the index must be below n (set completions: n in the Job)`,
      );
    return { index: Number(given) + 1, count };
  }
  const match = /^(\d+)\/(\d+)$/.exec(String(text));
  if (!match)
    throw new UsageError(`dsim sweep: --shard must look like k/n (e.g. 3/8) or auto/n, got '${String(text)}'`);
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || index < 1 || index > count)
    throw new UsageError(`dsim sweep: --shard ${String(text)} is out of range: k must be between 1 and n`);
  return { index, count };
}

/** Refuses a shard too large to list (each seed is a job in memory): split it with --shard. */
export function checkShardSize(range: SeedRange, shard: { index: number; count: number }): void {
  const seeds = Math.ceil((range.last - range.first + 1) / shard.count);
  if (seeds > LIMITS.seedsPerShard)
    throw new UsageError(
      `dsim sweep: --seeds ${range.first}..${range.last} gives ${seeds.toLocaleString('en-US')} seeds to one shard, more than the ${LIMITS.seedsPerShard.toLocaleString('en-US')} a shard runs; split it with --shard k/${Math.ceil((range.last - range.first + 1) / LIMITS.seedsPerShard)} or more`,
    );
}

/** The seeds of one shard: interleaved, so every shard gets a fair mix of the range. */
export function shardSeeds(range: SeedRange, shard: { index: number; count: number }): number[] {
  const seeds: number[] = [];
  for (let seed = range.first + (shard.index - 1); seed <= range.last; seed += shard.count) seeds.push(seed);
  return seeds;
}

export async function sweepCommand(args: string[]): Promise<number> {
  if (args[0] === 'merge') return sweepMergeCommand(args.slice(1));
  const familyName = familyNameIn(args);
  const family = familyName === undefined ? undefined : findFamily(familyName, 'sweep');
  const spec = family ? { ...sweepFlags, ...familyFlags(family, 'sweep') } : sweepFlags;
  const { positional, flags } = parseArgs(args, spec, 'sweep');
  if (flags.help) {
    console.log(
      family
        ? `${sweepUsage}\n\nOptions of --family ${familyName}:\n${formatFlags(familyFlags(family, 'sweep'))}`
        : sweepUsage,
    );
    return EXIT_OK;
  }
  if (family && positional.length > 0)
    throw new UsageError(`dsim sweep: give a scenario file or --family, not both (got ${positional.join(' ')})`);
  if (typeof flags.results === 'string' && typeof flags.resume === 'string')
    throw new UsageError(
      `dsim sweep: give --results FILE to start a results file or --resume FILE to continue one, not both`,
    );
  if (flags.hashes === true && flags['no-hashes'] === true)
    throw new UsageError(`dsim sweep: give --hashes or --no-hashes, not both`);
  if (!family && positional.length !== 1)
    throw new UsageError(`dsim sweep needs exactly one scenario file, or --family <name>.\n\n${sweepUsage}`);
  const file = family ? undefined : positional[0]!;
  const range = parseSeedRange(flags.seeds);
  const shard = parseShard(flags.shard, process.env);
  checkShardSize(range, shard);
  const seeds = shardSeeds(range, shard);
  const mode = (flags.mode ?? 'mutable') as StateMode;
  if (mode !== 'immutable' && mode !== 'mutable')
    throw new UsageError(`dsim sweep: --mode must be 'immutable' or 'mutable'`);
  const until = typeof flags.until === 'string' ? flags.until : undefined;
  const cases = family ? familyCases(family, flags, 'sweep') : [];
  const swarm = flags.swarm === true;
  if (swarm && !family) throw new UsageError(`dsim sweep: --swarm draws from a seed family's ranges: give --family`);
  if (swarm && !family!.swarm)
    throw new UsageError(`dsim sweep: --family ${familyName} declares no swarm ranges; sweep it without --swarm`);
  const jobs: SweepJob[] = seeds.flatMap((seed) =>
    family ? cases.map((_, index) => ({ seed, case: index })) : [{ seed, case: 0 }],
  );
  const workerCount = Math.max(
    1,
    Math.min(integerFlag(flags.workers, 'workers', 'sweep') ?? availableParallelism(), jobs.length),
  );

  // Validate in the main thread first, so bad input is one clear error, not one per worker.
  const protocols = { cwd: process.cwd(), protocolPaths: protocolPathsFlag(flags.protocol) };
  const { registry } = await loadProjectProtocols(protocols);
  const firstSeed = seeds[0] ?? 1;
  const scenarioInput = file ? await loadScenario(file) : familyScenario(family!, firstSeed, cases[0]!, swarm).scenario;
  const resolved = resolveScenario(scenarioInput, {
    registry,
    source: file ?? `family ${familyName}`,
    seed: firstSeed,
    ...(until ? { until } : {}),
  });
  const title = file ?? `--family ${familyName}`;
  const goals = coverageGoals(resolved.protocol.coverage, resolved.invariants);
  const untilCovered = flags['until-covered'] === true;
  if (!flags.json) {
    console.log(`${style.bold('dsim sweep')} ${title}`);
    if (family) console.log(`${style.dim('family     ')}${family.description}`);
    console.log(
      `${style.dim('scenario   ')}${family ? `(seed ${firstSeed}) ` : ''}${resolved.name} (${resolved.protocol.name}, ${resolved.nodes.length} nodes, until ${formatMicros(resolved.until)})${resolved.bugs.length ? style.red(`  bugs on: ${resolved.bugs.join(', ')}`) : ''}`,
    );
    console.log(
      `${style.dim('seeds      ')}${range.first}..${range.last}${shard.count > 1 ? `, shard ${shard.index}/${shard.count}` : ''}${cases.length > 1 ? ` × ${cases.length} option sets` : ''}: ${jobs.length.toLocaleString('en-US')} runs on ${workerCount} worker${workerCount === 1 ? '' : 's'}, ${mode} state`,
    );
    if (swarm)
      console.log(
        `${style.dim('swarm      ')}each seed draws its fault kinds and knobs; seed ${firstSeed}: ${describeSwarm(familyScenario(family!, firstSeed, cases[0]!, true).swarm!)}`,
      );
    console.log(
      `${style.dim('invariants ')}${resolved.invariants.map((invariant) => invariant.name).join(', ') || 'none'}`,
    );
    console.log();
  }

  const source: SweepSource = file ? { file } : { family: familyName!, cases };
  const untilFlag = until ? ` --until ${until}` : '';
  const replay = (result: SeedResult) => {
    if (!family) return `${DSIM} run ${shellArg(file!)} --seed ${result.seed}${untilFlag}`;
    const caseFlags = familyCaseFlags(family, flags, cases[result.case ?? 0]!);
    return `${DSIM} run --family ${familyName} --seed ${result.seed}${caseFlags ? ` ${caseFlags}` : ''}${swarm ? ' --swarm' : ''}${untilFlag}`;
  };
  const label = (result: SeedResult) => {
    const options = family ? describeCase(family, flags, cases[result.case ?? 0]!) : '';
    return `${result.seed}${options ? ` ${options}` : ''}`;
  };
  const toLine = (result: SeedResult): ResultLine => ({
    ...result,
    verdict: verdictOf(result),
    ...(family ? { family: familyName, options: cases[result.case ?? 0] } : {}),
    label: label(result),
    reproduce: replay(result),
  });

  // Results as data: the header first, then one line per finished run, appended as it finishes.
  const resultsFile = typeof flags.resume === 'string' ? flags.resume : stringFlag(flags.results);
  const header: ResultsHeader = {
    format: RESULTS_FORMAT,
    version: RESULTS_VERSION,
    command: ['dsim', 'sweep', ...args],
    scenarioDigest: scenarioDigest({
      source: file
        ? { scenarioText: readFileSync(file, 'utf8') }
        : { family: familyName, cases, ...(swarm ? { swarm } : {}) },
      until: until ?? null,
    }),
    codeVersion: codeVersion(),
    title,
    ...(family ? { family: familyName } : {}),
    seeds: range,
    shard,
    cases: family ? cases.length : 1,
    invariants: resolved.invariants.map(({ name, kind }) => ({ name, kind })),
    coverageGoals: goals,
    ...(untilCovered ? { untilCovered: true } : {}),
  };
  let previous: ResultLine[] = [];
  if (typeof flags.resume === 'string') {
    if (!existsSync(flags.resume))
      throw new UsageError(
        `dsim sweep: --resume ${flags.resume}: no such file; start the sweep with --results ${flags.resume} instead`,
      );
    const done = readResultsFile(flags.resume, 'sweep');
    for (const field of ['scenarioDigest', 'codeVersion'] as const)
      if (done.header[field] !== header[field])
        throw new UsageError(
          `dsim sweep: --resume ${flags.resume} belongs to another sweep: its ${field} is ${done.header[field]}, this sweep's is ${header[field]}; resume with the same scenario, options and code, or start a new --results file`,
        );
    if (JSON.stringify([done.header.seeds, done.header.shard]) !== JSON.stringify([range, shard]))
      throw new UsageError(
        `dsim sweep: --resume ${flags.resume} was written by --seeds ${done.header.seeds.first}..${done.header.seeds.last} --shard ${done.header.shard.index}/${done.header.shard.count}; give the same --seeds and --shard`,
      );
    previous = done.lines;
    dropCutLine(flags.resume);
  } else if (resultsFile !== undefined) {
    if (existsSync(resultsFile))
      throw new UsageError(
        `dsim sweep: --results ${resultsFile} already exists; continue that sweep with --resume ${resultsFile}, or choose another file`,
      );
    appendResultLine(resultsFile, header);
  }
  const finished = new Set(previous.map(runKey));
  const todo = jobs.filter((job) => !finished.has(runKey(job)));
  if (previous.length > 0 && !flags.json)
    console.log(
      `${style.dim('resume     ')}${previous.length.toLocaleString('en-US')} runs already in ${resultsFile}, ${todo.length.toLocaleString('en-US')} to go\n`,
    );

  // Ctrl-C stops the workers and prints the summary of what finished.
  const interrupt = { stopped: false, stop: () => {} };
  const onInterrupt = () => {
    interrupt.stopped = true;
    interrupt.stop();
  };
  process.on('SIGINT', onInterrupt);
  // --until-covered: stop taking seeds once the finished runs (those of a resumed file included) reach every goal.
  const coveredSoFar = emptyCoverageTotals();
  for (const line of previous) if (line.coverage) addCoverage(coveredSoFar, line.coverage);
  const coverage = { complete: untilCovered && unreachedGoals(goals, coveredSoFar).length === 0 };
  const noteCoverage = (result: SeedResult) => {
    if (!untilCovered || coverage.complete || !result.coverage) return;
    addCoverage(coveredSoFar, result.coverage);
    if (unreachedGoals(goals, coveredSoFar).length > 0) return;
    coverage.complete = true;
    interrupt.stopped = true;
    interrupt.stop();
  };
  const progress = flags.json ? undefined : new ProgressBar(todo.length, 'sweep');
  const started = performance.now();
  let ran: SeedResult[];
  try {
    ran = await runJobs(
      {
        source,
        hashes: flags.hashes === true || (resultsFile !== undefined && flags['no-hashes'] !== true),
        stateMode: mode,
        coverage: true,
        swarm,
        protocols,
        ...(until ? { until } : {}),
      },
      coverage.complete ? [] : todo,
      workerCount,
      (done, failingSoFar) => progress?.update(done, failingSoFar),
      (result) => {
        if (resultsFile !== undefined) appendResultLine(resultsFile, toLine(result));
        noteCoverage(result);
      },
      interrupt,
    );
  } finally {
    process.off('SIGINT', onInterrupt);
  }
  const wallMillis = performance.now() - started;
  const runs = [...previous, ...ran.map(toLine)];
  runs.sort((a, b) => a.seed - b.seed || (a.case ?? 0) - (b.case ?? 0));
  const failing = runs.filter((result) => !result.ok);
  progress?.finish(ran.length, ran.filter((result) => !result.ok).length);
  // Failing seeds of this invocation become small scenario files (a resumed file's older ones were shrunk then).
  let shrunk: ShrinkOutcome[] = [];
  if (flags.shrink === true) {
    const ranKeys = new Set(ran.map(runKey));
    const targets = failing
      .filter((run) => ranKeys.has(runKey(run)))
      .map((run) => ({
        label: run.label,
        seed: run.seed,
        scenario: family
          ? familyScenario(family, run.seed, cases[run.case ?? 0]!, swarm).scenario
          : { ...(scenarioInput as Scenario), ...(until ? { until } : {}) },
      }));
    const dir = resultsFile ? `${resultsFile.replace(/\.jsonl$/, '')}.shrunk` : join('.dsim', 'shrunk');
    shrunk = shrinkFailures(targets, dir, title);
  }

  if (typeof flags.out === 'string')
    writeFileSync(
      flags.out,
      runs
        .map(({ verdict: _verdict, label: _label, reproduce: _reproduce, ...result }) => JSON.stringify(result))
        .join('\n') + '\n',
    );
  if (typeof flags.html === 'string')
    writeFileSync(flags.html, sweepReportHtml({ title, codeVersion: codeVersion(), seeds: range }, runs));
  // With several option sets per seed, a run is a (seed, option set) pair.
  const unit = cases.length > 1 ? 'runs' : 'seeds';
  const measured = family?.measure ? family.measure.report(measureTotals(runs.map((result) => result.measures))) : [];
  // Stopped because every goal was reached is a finished --until-covered sweep, not a Ctrl-C.
  const interrupted = interrupt.stopped && !coverage.complete;
  const covered = sweepCoverage(goals, runs);
  const coveredAt = untilCovered && covered.unreached.length === 0 ? coveredBy(goals, runs) : undefined;
  const stoppedExit = interrupted
    ? EXIT_INTERRUPTED
    : untilCovered && covered.unreached.length > 0
      ? EXIT_VIOLATION
      : undefined;

  if (flags.json) {
    console.log(
      JSON.stringify(
        {
          scenario: family ? `family ${familyName}` : resolved.name,
          seeds: runs.length,
          failing: failing.map(({ label: _label, reproduce, ...result }) => ({ ...result, replay: reproduce })),
          events: runs.reduce((sum, result) => sum + result.events, 0),
          wallMillis: Math.round(wallMillis),
          ...(interrupted ? { interrupted: true, notRun: todo.length - ran.length } : {}),
          coverage: {
            goals: covered.goalCount,
            unreached: covered.unreached,
            totals: covered.totals,
            ...(coveredAt ? { coveredBySeed: coveredAt.seed } : {}),
          },
          ...(family?.measure ? { measures: measureTotals(runs.map((result) => result.measures)) } : {}),
          ...(flags.shrink === true ? { shrunk } : {}),
        },
        null,
        2,
      ),
    );
    return stoppedExit ?? (failing.length > 0 ? EXIT_VIOLATION : EXIT_OK);
  }

  console.log();
  if (coveredAt)
    console.log(
      style.green(
        `every coverage goal reached by seed ${coveredAt.label} (${runs.indexOf(coveredAt) + 1} runs in seed order); stopped taking seeds`,
      ),
    );
  else if (untilCovered)
    console.log(style.yellow(`--until-covered: the seeds ran out before every coverage goal was reached`));
  if (interrupted)
    console.log(
      style.yellow(
        `interrupted: ${ran.length.toLocaleString('en-US')} of ${todo.length.toLocaleString('en-US')} runs finished${resultsFile ? `; continue with --resume ${resultsFile}` : ''}`,
      ),
    );
  const failingCount = printSummary({
    runs,
    invariants: resolved.invariants,
    unit,
    wallMillis,
    measured,
    coverage: coverageLines(covered),
    incomplete: interrupted,
    ...(resultsFile ? { savedIn: resultsFile } : typeof flags.out === 'string' ? { savedIn: flags.out } : {}),
  });
  printShrunk(shrunk);
  return stoppedExit ?? (failingCount > 0 ? EXIT_VIOLATION : EXIT_OK);
}

function stringFlag(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Set by the caller's Ctrl-C handler: `stopped` ends an inline sweep between runs, `stop` ends the workers. */
export interface Interrupt {
  stopped: boolean;
  stop: () => void;
}

/**
 * Runs a sweep's jobs in worker threads (or inline for one worker), reporting progress and each
 * result as it comes back. When interrupted, returns the results that finished.
 */
/**
 * Seeds per message to a worker. Large chunks cut messaging; the size shrinks with what is left
 * (guided self-scheduling, Polychronopoulos and Kuck 1987), so the last chunks are single seeds
 * and no worker sits idle at the end while another works through a long chunk: one seed can run
 * ten times as long as the next. Results written as they finish lose at most the chunks in flight
 * when the sweep is killed: with a results file, those stay small.
 */
export function chunkSize(remaining: number, workerCount: number, writingResults: boolean): number {
  return Math.max(1, Math.min(writingResults ? 10 : 50, Math.floor(remaining / (workerCount * 4))));
}

export async function runJobs(
  data: SweepWorkerData,
  jobs: readonly SweepJob[],
  workerCount: number,
  onProgress: (done: number, failing: number) => void,
  onResult?: (result: SeedResult) => void,
  interrupt: Interrupt = { stopped: false, stop: () => {} },
): Promise<SeedResult[]> {
  const results: SeedResult[] = [];
  let failing = 0;
  const record = (result: SeedResult) => {
    results.push(result);
    if (!result.ok) failing++;
    onResult?.(result);
  };
  if (workerCount <= 1) {
    const run = await jobRunner(data);
    for (const job of jobs) {
      if (interrupt.stopped) break;
      let result: SeedResult;
      try {
        result = run(job);
      } catch (error) {
        result = failedJob(job, error, 'family' in data.source);
      }
      record(result);
      onProgress(results.length, failing);
      // Let the progress bar paint, and a Ctrl-C arrive, on long inline sweeps.
      if (results.length % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    return results;
  }
  let next = 0;
  const takeChunk = (): SweepJob[] | undefined => {
    if (next >= jobs.length || interrupt.stopped) return undefined;
    const chunk = jobs.slice(next, next + chunkSize(jobs.length - next, workerCount, onResult !== undefined));
    next += chunk.length;
    return chunk;
  };
  const workers: Worker[] = [];
  const settles: Array<() => void> = [];
  interrupt.stop = () => {
    for (const worker of workers) void worker.terminate();
    for (const settle of settles) settle();
  };
  await Promise.all(
    Array.from(
      { length: workerCount },
      () =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(new URL('../sweep-worker-entry.mjs', import.meta.url), { workerData: data });
          workers.push(worker);
          settles.push(resolve);
          const send = () => {
            const chunk = takeChunk();
            if (chunk) worker.postMessage({ jobs: chunk } satisfies SweepRequest);
            else {
              worker.postMessage({ stop: true } satisfies SweepRequest);
              resolve();
            }
          };
          worker.on('message', (message: 'ready' | SeedResult[]) => {
            if (interrupt.stopped) return;
            if (message !== 'ready') {
              for (const result of message) record(result);
              onProgress(results.length, failing);
            }
            send();
          });
          worker.on('error', (error) => (interrupt.stopped ? resolve() : reject(error)));
          worker.on('exit', (code) => {
            if (code !== 0 && !interrupt.stopped) reject(new Error(`a sweep worker exited with code ${code}`));
          });
        }),
    ),
  );
  return results;
}
