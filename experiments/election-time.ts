/**
 * How long is a five-node Raft cluster without a leader after its leader crashes?
 *
 *   npx -y pnpm@10 experiment election-time [--runs 200] [--timeout 150ms..300ms] [--latency 1ms..5ms] [--csv file]
 *
 * Each run is one seed: n1 is made to lead (its first timeout is pinned below everyone's), then
 * crashes at a seed-dependent moment between two heartbeats; we measure, from the trace, the time
 * from the crash until some node becomes leader of a later term. The election timeout is etcd's
 * uniform draw from [E, 2E); PreVote and CheckQuorum are on, as etcd recommends. Prints min,
 * median, mean, p99 and max, an ASCII cumulative plot, and writes every sample to a CSV file.
 */
import { formatMicros, parseDuration, parseTrace, runScenario, type Micros, type Scenario } from '@dsim/core';
import { raft } from '@dsim/raft';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseFlags, wholeNumber } from './lib/flags.ts';

export const description = 'how long a five-node Raft cluster is leaderless after its leader crashes';
export const usage = '[--runs 200] [--timeout 150ms..300ms] [--latency 1ms..5ms] [--csv file]';

export interface ElectionTimeOptions {
  readonly runs?: number;
  /** Base election timeout E; each wait is drawn from [E, 2E). Default 150 ms. */
  readonly electionTimeoutMicros?: Micros;
  readonly heartbeatIntervalMicros?: Micros;
  /** One-way message latency, uniform in [min, max]. Default 1-5 ms. */
  readonly latencyMicros?: { readonly min: Micros; readonly max: Micros };
  readonly firstSeed?: number;
}

export interface ElectionTimeResult {
  /** Leaderless time per run, in microseconds, in seed order. */
  readonly samples: readonly Micros[];
  readonly min: Micros;
  readonly median: Micros;
  readonly mean: Micros;
  readonly p99: Micros;
  readonly max: Micros;
}

export function electionScenario(seed: number, options: ElectionTimeOptions = {}): Scenario & { crashAt: Micros } {
  const electionTimeout = options.electionTimeoutMicros ?? 150_000;
  const heartbeat = options.heartbeatIntervalMicros ?? Math.max(1, Math.floor(electionTimeout / 3));
  const latency = options.latencyMicros ?? { min: 1_000, max: 5_000 };
  // Crash somewhere in one heartbeat interval, varying with the seed, after the cluster settled.
  const crashAt = 1_000_000 + ((seed * 7_919) % heartbeat);
  return {
    name: `raft-election-time-${seed}`,
    protocol: raft,
    nodes: 5,
    seed,
    until: crashAt + 20 * electionTimeout,
    config: {
      electionTimeoutMicros: electionTimeout,
      heartbeatIntervalMicros: heartbeat,
      nodeElectionTimeoutMicros: { n1: Math.floor((electionTimeout * 2) / 3) },
    },
    network: { latency: { dist: 'uniform', min: latency.min, max: latency.max } },
    faults: [{ at: crashAt, fault: { type: 'crash', node: 'n1' } }],
    invariants: ['election-safety', 'log-matching', 'state-machine-safety'],
    crashAt,
  };
}

/** Leaderless time of one run: crash until a leader of a later term appears. */
export function measureOnce(seed: number, options: ElectionTimeOptions = {}): Micros {
  const { crashAt, ...scenario } = electionScenario(seed, options);
  const result = runScenario(scenario, {}, { trace: 'memory', stateMode: 'mutable' });
  if (result.violations.length > 0) throw new Error(`seed ${seed}: ${result.violations[0]!.message}`);
  let leaderTermAtCrash = 0;
  for (const event of parseTrace(result.trace.join('\n')).events) {
    if (event.k !== 'state') continue;
    const summary = event.summary as { role: string; term: number };
    if (summary.role !== 'leader') continue;
    if (event.t <= crashAt) leaderTermAtCrash = Math.max(leaderTermAtCrash, summary.term);
    else if (summary.term > leaderTermAtCrash) return event.t - crashAt;
  }
  throw new Error(`seed ${seed}: no new leader within ${formatMicros(result.endTime - crashAt)} of the crash`);
}

export function measureElectionTime(options: ElectionTimeOptions = {}): ElectionTimeResult {
  const runs = options.runs ?? 200;
  const first = options.firstSeed ?? 1;
  const samples: Micros[] = [];
  for (let seed = first; seed < first + runs; seed++) samples.push(measureOnce(seed, options));
  const sorted = [...samples].sort((a, b) => a - b);
  const quantile = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return {
    samples,
    min: sorted[0]!,
    median: quantile(0.5),
    mean: Math.round(samples.reduce((sum, sample) => sum + sample, 0) / samples.length),
    p99: quantile(0.99),
    max: sorted[sorted.length - 1]!,
  };
}

/** A cumulative distribution as ASCII: x is leaderless time, y the fraction of runs done by then. */
export function asciiCdf(samples: readonly Micros[], width = 60, height = 15): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const lo = sorted[0]!;
  const hi = sorted[sorted.length - 1]!;
  const span = Math.max(1, hi - lo);
  const rows: string[][] = Array.from({ length: height }, () => Array.from({ length: width }, () => ' '));
  for (let x = 0; x < width; x++) {
    const at = lo + (span * x) / (width - 1);
    let count = 0;
    while (count < sorted.length && sorted[count]! <= at) count++;
    const y = Math.round((count / sorted.length) * (height - 1));
    for (let row = 0; row <= y; row++) rows[height - 1 - row]![x] = row === y ? '*' : '.';
  }
  const lines = rows.map((row, i) => `${i === 0 ? '100%' : i === height - 1 ? '  0%' : '    '} |${row.join('')}`);
  lines.push(`     +${'-'.repeat(width)}`);
  lines.push(`      ${formatMicros(lo).padEnd(width - formatMicros(hi).length)}${formatMicros(hi)}`);
  return lines.join('\n');
}

function parseRange(text: string, what: string): { min: Micros; max: Micros } {
  const [a, b] = text.split('..');
  const min = parseDuration(a);
  const max = b === undefined ? min : parseDuration(b);
  if (typeof min !== 'number' || typeof max !== 'number' || max < min)
    throw new Error(`--${what}: expected a duration or a range like 150ms..300ms, got '${text}'`);
  return { min, max };
}

export function main(args: readonly string[]): number {
  const { values } = parseFlags(args, ['runs', 'timeout', 'latency', 'csv']);
  const value = (flag: string) => values[flag.slice(2)];
  const timeout = parseRange(value('--timeout') ?? '150ms..300ms', 'timeout');
  if (timeout.max !== timeout.min && timeout.max !== 2 * timeout.min) {
    throw new Error(
      `--timeout: Raft here draws timeouts from [E, 2E) as etcd does; give E or E..2E (got ${value('--timeout')})`,
    );
  }
  const options: ElectionTimeOptions = {
    runs: wholeNumber(value('--runs'), 'runs', 200),
    electionTimeoutMicros: timeout.min,
    latencyMicros: parseRange(value('--latency') ?? '1ms..5ms', 'latency'),
  };
  const csv = value('--csv') ?? '.dsim/raft-election-time.csv';
  const result = measureElectionTime(options);
  console.log(
    `leader crash → new leader, 5 nodes, election timeout ${formatMicros(timeout.min)}..${formatMicros(2 * timeout.min)}, latency ${formatMicros(options.latencyMicros!.min)}..${formatMicros(options.latencyMicros!.max)}, ${result.samples.length} runs`,
  );
  console.log(
    `min ${formatMicros(result.min)}  median ${formatMicros(result.median)}  mean ${formatMicros(result.mean)}  p99 ${formatMicros(result.p99)}  max ${formatMicros(result.max)}`,
  );
  console.log(asciiCdf(result.samples));
  mkdirSync(dirname(csv), { recursive: true });
  writeFileSync(
    csv,
    `seed,leaderless_micros\n${result.samples.map((sample, i) => `${(options.firstSeed ?? 1) + i},${sample}`).join('\n')}\n`,
  );
  console.log(`samples written to ${csv}`);
  return 0;
}
