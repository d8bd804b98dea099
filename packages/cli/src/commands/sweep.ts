import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { formatMicros, resolveScenario, type StateMode } from '@dsim/core';
import { registry } from '@dsim/registry';
import { formatFlags, integerFlag, parseArgs, type FlagSpec } from '../args.ts';
import { UsageError } from '../errors.ts';
import { EXIT_OK, EXIT_VIOLATION } from '../exit-codes.ts';
import { DSIM, shellArg } from '../shell.ts';
import { loadScenario } from '../load-scenario.ts';
import { ProgressBar } from '../progress.ts';
import { style, table } from '../style.ts';
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
    description: 'run only shard k of n (seeds interleaved), to split a sweep across machines',
  },
  until: { value: true, placeholder: 'duration', description: "override the scenario's end time" },
  mode: {
    value: true,
    placeholder: 'immutable|mutable',
    description: 'state mode (default mutable: fastest; both give the same runs)',
  },
  hashes: { description: 'record a trace hash per seed (slower; for cross-machine comparison)' },
  out: {
    value: true,
    short: 'o',
    placeholder: 'file',
    description: 'write one JSON line per seed (verdict, violations, hash) to this file',
  },
  json: { description: 'print the summary as JSON' },
  help: { short: 'h', description: 'show this help' },
};

export const sweepUsage = `dsim sweep <scenario> [options]
dsim sweep --family <name> [family options] [options]

Runs one scenario across many seeds on worker threads, with a progress bar, and lists every
failing seed with the exact command that reproduces it. A seed family builds a different
scenario from every seed; its options (see 'dsim sweep --family <name> --help') become flags.
Exit 0 when every seed held every invariant, 1 when any failed, 2 on bad input.

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
    return { first: 1, last: count };
  }
  const range = /^(\d+)\.\.(\d+)$/.exec(value);
  if (!range)
    throw new UsageError(`dsim sweep: --seeds must be a range like 1..10000 (or a count like 500), got '${value}'`);
  const first = Number(range[1]);
  const last = Number(range[2]);
  if (last < first) throw new UsageError(`dsim sweep: --seeds ${value} is empty: the range must go from low to high`);
  return { first, last };
}

export function parseShard(text: string | boolean | undefined): { index: number; count: number } {
  if (text === undefined) return { index: 1, count: 1 };
  const match = /^(\d+)\/(\d+)$/.exec(String(text));
  if (!match) throw new UsageError(`dsim sweep: --shard must look like k/n (e.g. 3/8), got '${String(text)}'`);
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || index < 1 || index > count)
    throw new UsageError(`dsim sweep: --shard ${String(text)} is out of range: k must be between 1 and n`);
  return { index, count };
}

/** The seeds of one shard: interleaved, so every shard gets a fair mix of the range. */
export function shardSeeds(range: SeedRange, shard: { index: number; count: number }): number[] {
  const seeds: number[] = [];
  for (let seed = range.first + (shard.index - 1); seed <= range.last; seed += shard.count) seeds.push(seed);
  return seeds;
}

export async function sweepCommand(args: string[]): Promise<number> {
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
  if (!family && positional.length !== 1)
    throw new UsageError(`dsim sweep needs exactly one scenario file, or --family <name>.\n\n${sweepUsage}`);
  const file = family ? undefined : positional[0]!;
  const range = parseSeedRange(flags.seeds);
  const shard = parseShard(flags.shard);
  const seeds = shardSeeds(range, shard);
  const mode = (flags.mode ?? 'mutable') as StateMode;
  if (mode !== 'immutable' && mode !== 'mutable')
    throw new UsageError(`dsim sweep: --mode must be 'immutable' or 'mutable'`);
  const until = typeof flags.until === 'string' ? flags.until : undefined;
  const cases = family ? familyCases(family, flags, 'sweep') : [];
  const jobs: SweepJob[] = seeds.flatMap((seed) =>
    family ? cases.map((_, index) => ({ seed, case: index })) : [{ seed, case: 0 }],
  );
  const workerCount = Math.max(
    1,
    Math.min(integerFlag(flags.workers, 'workers', 'sweep') ?? availableParallelism(), jobs.length),
  );

  // Validate in the main thread first, so bad input is one clear error, not one per worker.
  const firstSeed = seeds[0] ?? 1;
  const scenarioInput = file ? await loadScenario(file) : family!.scenario(firstSeed, cases[0]!);
  const resolved = resolveScenario(scenarioInput, {
    registry,
    source: file ?? `family ${familyName}`,
    seed: firstSeed,
    ...(until ? { until } : {}),
  });
  const title = file ?? `--family ${familyName}`;
  if (!flags.json) {
    console.log(`${style.bold('dsim sweep')} ${title}`);
    if (family) console.log(`${style.dim('family     ')}${family.description}`);
    console.log(
      `${style.dim('scenario   ')}${family ? `(seed ${firstSeed}) ` : ''}${resolved.name} (${resolved.protocol.name}, ${resolved.nodes.length} nodes, until ${formatMicros(resolved.until)})${resolved.bugs.length ? style.red(`  bugs on: ${resolved.bugs.join(', ')}`) : ''}`,
    );
    console.log(
      `${style.dim('seeds      ')}${range.first}..${range.last}${shard.count > 1 ? `, shard ${shard.index}/${shard.count}` : ''}${cases.length > 1 ? ` × ${cases.length} option sets` : ''}: ${jobs.length.toLocaleString('en-US')} runs on ${workerCount} worker${workerCount === 1 ? '' : 's'}, ${mode} state`,
    );
    console.log(
      `${style.dim('invariants ')}${resolved.invariants.map((invariant) => invariant.name).join(', ') || 'none'}`,
    );
    console.log();
  }

  const progress = flags.json ? undefined : new ProgressBar(jobs.length, 'sweep');
  const started = performance.now();
  const source: SweepSource = file ? { file } : { family: familyName!, cases };
  const results = await runJobs(
    { source, hashes: flags.hashes === true, stateMode: mode, ...(until ? { until } : {}) },
    jobs,
    workerCount,
    (done, failing) => progress?.update(done, failing),
  );
  const wallMillis = performance.now() - started;
  results.sort((a, b) => a.seed - b.seed || (a.case ?? 0) - (b.case ?? 0));
  const failing = results.filter((result) => !result.ok);
  progress?.finish(results.length, failing.length);

  if (typeof flags.out === 'string')
    writeFileSync(
      flags.out,
      results
        .map((result) =>
          JSON.stringify(family ? { ...result, family: familyName, options: cases[result.case ?? 0] } : result),
        )
        .join('\n') + '\n',
    );
  const untilFlag = until ? ` --until ${until}` : '';
  const replay = (result: SeedResult) => {
    if (!family) return `${DSIM} run ${shellArg(file!)} --seed ${result.seed}${untilFlag}`;
    const caseFlags = familyCaseFlags(family, flags, cases[result.case ?? 0]!);
    return `${DSIM} run --family ${familyName} --seed ${result.seed}${caseFlags ? ` ${caseFlags}` : ''}${untilFlag}`;
  };
  const label = (result: SeedResult) => {
    const options = family ? describeCase(family, flags, cases[result.case ?? 0]!) : '';
    return `${result.seed}${options ? ` ${options}` : ''}`;
  };
  const events = results.reduce((sum, result) => sum + result.events, 0);
  const simulated = results.reduce((sum, result) => sum + result.simulatedMicros, 0);
  const operations = results.reduce((sum, result) => sum + result.operations, 0);
  // With several option sets per seed, a run is a (seed, option set) pair.
  const unit = cases.length > 1 ? 'runs' : 'seeds';
  const measured = family?.measure
    ? family.measure.report(measureTotals(results.map((result) => result.measures)))
    : [];

  if (flags.json) {
    console.log(
      JSON.stringify(
        {
          scenario: family ? `family ${familyName}` : resolved.name,
          seeds: results.length,
          failing: failing.map((result) => ({ ...result, replay: replay(result) })),
          events,
          wallMillis: Math.round(wallMillis),
          ...(family?.measure ? { measures: measureTotals(results.map((result) => result.measures)) } : {}),
        },
        null,
        2,
      ),
    );
    return failing.length > 0 ? EXIT_VIOLATION : EXIT_OK;
  }

  console.log();
  const byInvariant = new Map<string, { kind: string; seeds: string[] }>();
  for (const result of failing) {
    const names = result.violations.length
      ? result.violations.map((violation) => [violation.invariant, violation.kind] as const)
      : [['(protocol error)', 'error'] as const];
    for (const [name, kind] of names) {
      const entry = byInvariant.get(name) ?? { kind, seeds: [] };
      if (!entry.seeds.includes(label(result))) entry.seeds.push(label(result));
      byInvariant.set(name, entry);
    }
  }
  const verdictRows = resolved.invariants.map((invariant) => {
    const entry = byInvariant.get(invariant.name);
    return [
      invariant.name,
      invariant.kind,
      entry ? style.red(`✗ ${entry.seeds.length}`) : style.green('✓ 0'),
      entry ? entry.seeds[0]! : '-',
    ];
  });
  if (byInvariant.has('(protocol error)'))
    verdictRows.push([
      '(protocol error)',
      'error',
      style.red(`✗ ${byInvariant.get('(protocol error)')!.seeds.length}`),
      byInvariant.get('(protocol error)')!.seeds[0]!,
    ]);
  if (verdictRows.length > 0) {
    console.log(table(['invariant', 'kind', 'failing seeds', 'first'], verdictRows));
    console.log();
  }
  for (const line of measured) console.log(line);
  console.log(
    `${results.length.toLocaleString('en-US')} ${unit} in ${(wallMillis / 1000).toFixed(1)}s (${Math.round(results.length / (wallMillis / 1000)).toLocaleString('en-US')} ${unit}/s, ${Math.round(events / (wallMillis / 1000)).toLocaleString('en-US')} events/s, ${formatMicros(Math.round(simulated))} simulated, ${operations.toLocaleString('en-US')} client operations)`,
  );
  if (failing.length === 0) {
    console.log(style.green(style.bold(`✓ every seed held every invariant`)));
    return EXIT_OK;
  }
  console.log(style.red(style.bold(`✗ ${failing.length} of ${results.length} ${unit} failed`)));
  for (const result of failing.slice(0, 20)) {
    const first = result.violations[0];
    const what = first
      ? `${first.invariant} at ${formatMicros(first.time)}: ${first.message}`
      : `error: ${result.error}`;
    console.log(`  seed ${label(result).padEnd(6)} ${style.red(truncate(what, 100))}`);
    console.log(style.dim(`              ${replay(result)}`));
  }
  if (failing.length > 20)
    console.log(
      style.dim(
        `  … ${failing.length - 20} more${typeof flags.out === 'string' ? ` (all in ${flags.out})` : ' (use --out to save them all)'}`,
      ),
    );
  return EXIT_VIOLATION;
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

/** Runs a sweep's jobs in worker threads (or inline for one worker), reporting progress as results come back. */
export async function runJobs(
  data: SweepWorkerData,
  jobs: readonly SweepJob[],
  workerCount: number,
  onProgress: (done: number, failing: number) => void,
): Promise<SeedResult[]> {
  const results: SeedResult[] = [];
  let failing = 0;
  if (workerCount <= 1) {
    const run = await jobRunner(data);
    for (const job of jobs) {
      let result: SeedResult;
      try {
        result = run(job);
      } catch (error) {
        result = failedJob(job, error, 'family' in data.source);
      }
      results.push(result);
      if (!result.ok) failing++;
      onProgress(results.length, failing);
      // Let the progress bar paint on long inline sweeps.
      if (results.length % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    return results;
  }
  // Small chunks keep all workers busy to the end; large ones cut messaging overhead.
  const chunkSize = Math.max(1, Math.min(50, Math.floor(jobs.length / (workerCount * 8))));
  let next = 0;
  const takeChunk = (): SweepJob[] | undefined => {
    if (next >= jobs.length) return undefined;
    const chunk = jobs.slice(next, next + chunkSize);
    next += chunk.length;
    return chunk;
  };
  await Promise.all(
    Array.from(
      { length: workerCount },
      () =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(new URL('../sweep-worker-entry.mjs', import.meta.url), { workerData: data });
          const send = () => {
            const chunk = takeChunk();
            if (chunk) worker.postMessage({ jobs: chunk } satisfies SweepRequest);
            else {
              worker.postMessage({ stop: true } satisfies SweepRequest);
              resolve();
            }
          };
          worker.on('message', (message: 'ready' | SeedResult[]) => {
            if (message !== 'ready') {
              for (const result of message) {
                results.push(result);
                if (!result.ok) failing++;
              }
              onProgress(results.length, failing);
            }
            send();
          });
          worker.on('error', reject);
          worker.on('exit', (code) => {
            if (code !== 0) reject(new Error(`a sweep worker exited with code ${code}`));
          });
        }),
    ),
  );
  return results;
}
