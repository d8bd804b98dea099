import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { familyOptions, familyScenario, runScenario } from '@dsim/core';
import { families, registry } from '@dsim/registry';
import { runInFreshProcess } from './child.ts';
import { progress, type BenchRow } from './kernel.bench.ts';

/**
 * What a sweep costs beyond its runs, and what its parallelism buys:
 * - coverage counters on against off, on the same seeds (the counters must stay cheap: sweeps turn them on);
 * - one worker against two on the same seeds (the peer is the one-worker rate, timed in the same run;
 *   the machine's load average is printed beside it, since other processes take cores too);
 * - `dsim sweep merge` of 64 shard files of 10,000 result lines each (real lines of this family,
 *   renumbered), against the time one shard of 10,000 seeds takes at the two-worker rate just measured.
 */
const FAMILY = 'raft/aggressive';
const root = resolve(import.meta.dirname, '../..');

function seedsPerSecond(count: number, millis: number): number {
  return Math.round((count / millis) * 1000 * 100) / 100;
}

function coverageCost(seeds: readonly number[]): { off: number; on: number } {
  const family = families[FAMILY]!;
  const options = familyOptions(family);
  const scenarios = seeds.map((seed) => familyScenario(family, seed, options).scenario);
  const best = { off: Infinity, on: Infinity };
  for (let round = 0; round < 3; round++) {
    for (const mode of round % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
      progress(`coverage ${mode}, round ${round + 1} of 3`);
      const started = performance.now();
      for (const scenario of scenarios)
        runScenario(scenario, { registry }, { trace: 'off', stateMode: 'mutable', coverage: mode === 'on' });
      best[mode] = Math.min(best[mode], performance.now() - started);
    }
  }
  return { off: seedsPerSecond(seeds.length, best.off), on: seedsPerSecond(seeds.length, best.on) };
}

interface SweepRate {
  readonly wallMillis: number;
  readonly cpuMillis: number;
  readonly longestRunMillis: number;
  readonly runMillis: number;
}

const CHILD = join(import.meta.dirname, 'sweep-rate.child.ts');

/** One sweep of `seeds` seeds on `workers` workers, in a fresh process (both sides start cold). */
function workerRate(seeds: number, workers: number): SweepRate {
  progress(`${seeds} seeds on ${workers} worker${workers === 1 ? '' : 's'}, in a fresh process`);
  return runInFreshProcess<SweepRate>(CHILD, ['rate', FAMILY, String(seeds), String(workers)]);
}

/** Writes `shards` results files of `perShard` lines each, copies of real lines renumbered, and times their merge. */
function mergeTime(shards: number, perShard: number): { millis: number; bytes: number } {
  const dir = mkdtempSync(join(tmpdir(), 'dsim-merge-bench-'));
  try {
    const sample = join(dir, 'sample.jsonl');
    progress('a real results file to copy lines from');
    const run = spawnSync(
      process.execPath,
      [
        join(root, 'packages/cli/bin/dsim.js'),
        'sweep',
        '--family',
        FAMILY,
        '--seeds',
        '1..4',
        '--workers',
        '1',
        '--results',
        sample,
      ],
      { cwd: root, encoding: 'utf8' },
    );
    if (run.status !== 0) throw new Error(`the sample sweep failed: ${run.stderr}`);
    const [headerText, ...lineTexts] = readFileSync(sample, 'utf8').trim().split('\n');
    const header = JSON.parse(headerText!) as Record<string, unknown>;
    const lines = lineTexts.map((text) => JSON.parse(text) as Record<string, unknown>);
    const total = shards * perShard;
    mkdirSync(join(dir, 'shards'));
    let bytes = 0;
    progress(`writing ${shards} shard files of ${perShard.toLocaleString('en-US')} lines`);
    for (let shard = 1; shard <= shards; shard++) {
      const rows = [
        JSON.stringify({ ...header, seeds: { first: 1, last: total }, shard: { index: shard, count: shards } }),
      ];
      for (let seed = shard; seed <= total; seed += shards) {
        const line = lines[seed % lines.length]!;
        rows.push(
          JSON.stringify({ ...line, seed, label: String(seed), hash: `${String(line.hash).slice(0, 8)}${seed}` }),
        );
      }
      const text = `${rows.join('\n')}\n`;
      bytes += text.length;
      writeFileSync(join(dir, 'shards', `shard-${shard}.jsonl`), text);
    }
    progress('merging');
    const files = Array.from({ length: shards }, (_, i) => join(dir, 'shards', `shard-${i + 1}.jsonl`));
    const started = performance.now();
    const merge = spawnSync(
      process.execPath,
      [join(root, 'packages/cli/bin/dsim.js'), 'sweep', 'merge', ...files, '--out', join(dir, 'merged.jsonl')],
      { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    const millis = performance.now() - started;
    if (merge.status !== 0) throw new Error(`the merge failed (${merge.status}): ${merge.stderr.slice(0, 2000)}`);
    if (statSync(join(dir, 'merged.jsonl')).size < bytes / 2) throw new Error('the merged file is too small');
    return { millis, bytes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchSweep(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const cost = coverageCost([1, 2, 3, 4, 5, 6]);
  rows.push({
    name: `${FAMILY} coverage off`,
    value: cost.off,
    unit: 'seeds/s',
    note: 'best of 3, 6 seeds, one thread',
  });
  rows.push({
    name: `${FAMILY} coverage on`,
    value: cost.on,
    unit: 'seeds/s',
    note: `${Math.round((cost.on / cost.off) * 100)}% of off`,
  });
  // Wall-clock rates need a quiet machine; CPU time does not: seeds per CPU second (every thread of
  // the process) shows what a second worker costs beyond its runs (its start-up, the messages, the
  // main thread's share), which is what stands between two workers and twice the rate.
  // A sweep long enough that start-up and the last seed's tail are small beside it, as in a real
  // 10,000-seed sweep (DSIM_BENCH_SWEEP_SEEDS changes it).
  const seeds = Number(process.env.DSIM_BENCH_SWEEP_SEEDS ?? 96);
  if (!Number.isInteger(seeds) || seeds < 2)
    throw new Error(
      `DSIM_BENCH_SWEEP_SEEDS must be a whole number of at least 2, got '${process.env.DSIM_BENCH_SWEEP_SEEDS}'`,
    );
  const load = loadavg()[0]!.toFixed(1);
  const one = workerRate(seeds, 1);
  const two = workerRate(seeds, 2);
  const startup = runInFreshProcess<{ wallMillis: number; cpuMillis: number }>(CHILD, ['startup', FAMILY]);
  const perSecond = (rate: SweepRate) => seedsPerSecond(seeds, rate.wallMillis);
  const perCpuSecond = (rate: SweepRate) => seedsPerSecond(seeds, rate.cpuMillis);
  rows.push({
    name: `${FAMILY} sweep, 1 worker`,
    value: perSecond(one),
    unit: 'seeds/s',
    note: `${seeds} seeds, fresh process; load average ${load}`,
  });
  rows.push({
    name: `${FAMILY} sweep, 2 workers`,
    value: perSecond(two),
    unit: 'seeds/s',
    note: `${(perSecond(two) / perSecond(one)).toFixed(2)}× one worker (target ≥ 1.8× on a quiet machine); load average ${loadavg()[0]!.toFixed(1)}`,
  });
  rows.push({
    name: `${FAMILY} sweep CPU, 1 worker`,
    value: perCpuSecond(one),
    unit: 'seeds/CPU s',
    note: `every thread of the process`,
  });
  rows.push({
    name: `${FAMILY} sweep CPU, 2 workers`,
    value: perCpuSecond(two),
    unit: 'seeds/CPU s',
    note: `${(perCpuSecond(two) / perCpuSecond(one)).toFixed(2)}× one worker's: the ceiling of two workers' speed-up on two idle cores is ${((2 * perCpuSecond(two)) / perCpuSecond(one)).toFixed(2)}×`,
  });
  rows.push({
    name: 'sweep worker start-up',
    value: Math.round(startup.cpuMillis),
    unit: 'CPU ms',
    note: `${Math.round(startup.wallMillis)} ms wall to 'ready'; ${((startup.cpuMillis / one.cpuMillis) * seeds).toFixed(2)} seeds' worth of CPU`,
  });
  rows.push({
    name: 'longest seed, 2 workers',
    value: Math.round(two.longestRunMillis),
    unit: 'ms',
    note: `${((two.longestRunMillis / two.runMillis) * 200).toFixed(0)}% of a perfectly balanced 2-worker sweep of these seeds: the floor on its wall time`,
  });
  const merge = mergeTime(64, 10_000);
  const shardSeconds = 10_000 / perSecond(two);
  rows.push({
    name: 'merge 64 shards × 10,000 seeds',
    value: Math.round(merge.millis) / 1000,
    unit: 's',
    note: `${Math.round(merge.bytes / 1e6)} MB; ${((merge.millis / 1000 / shardSeconds) * 100).toFixed(2)}% of one shard's run (10,000 seeds at the 2-worker rate: ${Math.round(shardSeconds)} s; target < 10%)`,
  });
  return rows;
}
