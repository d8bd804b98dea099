/**
 * Raft and Multi-Paxos on the same key-value workload: five nodes, four clients (the same `kv`
 * workload shape: 3 keys, get/put/append/cas 4:2:3:1, 10 ms think time, 1 s timeout), one simulated
 * minute, uniform 1-5 ms links. At 30 s the node leading then crashes; it restarts at 35 s. Prints,
 * per protocol (median over the seeds, and the range):
 *   - messages sent per committed (ok) client operation,
 *   - commit latency (invoke to ok, as the client sees it) median and p99, over all seeds' operations,
 *   - time without a leader after the crash: from the crash to the first state in which another node
 *     leads (Raft: won an election; Multi-Paxos: finished phase 1),
 *   - time until an operation invoked after the crash succeeds (clients waiting on the crashed leader
 *     give up after their 1 s timeout, so this is bounded below by how soon some client retries elsewhere).
 * Raft runs with reads through the log (readMode 'log'), as Multi-Paxos serves them, and with its
 * default ReadIndex reads.
 *
 *   npx tsx --conditions=@dsim/source experiments/paxos-vs-raft.ts [--seeds 5]
 */
import { runScenario, type HistoryEntry, type Scenario } from '@dsim/core';
import { registry } from '@dsim/registry';

const args = process.argv.slice(2);
const seedsArg = args.indexOf('--seeds');
const seeds = seedsArg >= 0 ? Number(args[seedsArg + 1]) : 5;
const CRASH_AT = 30_000_000;
const RESTART_AT = 35_000_000;

interface Variant {
  readonly label: string;
  readonly protocol: string;
  readonly config: Readonly<Record<string, unknown>>;
}

const variants: Variant[] = [
  { label: 'Multi-Paxos', protocol: 'multipaxos', config: {} },
  { label: 'Raft (reads through the log)', protocol: 'raft', config: { readMode: 'log' } },
  { label: 'Raft (ReadIndex reads)', protocol: 'raft', config: {} },
];

function baseScenario(variant: Variant, seed: number, until: string): Scenario {
  return {
    name: `compare-${variant.protocol}`,
    protocol: variant.protocol,
    nodes: 5,
    seed,
    until,
    config: variant.config,
    network: { latency: { dist: 'uniform', min: 1_000, max: 5_000 } },
    workload: { name: 'kv', clients: 4, thinkTime: '10ms', timeout: '1s', options: { keys: 3 } },
  };
}

function leaderAt(variant: Variant, seed: number): string {
  const result = runScenario(baseScenario(variant, seed, '30s'), { registry }, { trace: 'off', stateMode: 'mutable' });
  const leaders = result.summaries.filter(([, summary]) => summary?.role === 'leader').map(([node]) => node);
  if (leaders.length !== 1) throw new Error(`${variant.label} seed ${seed}: ${leaders.length} leaders at 30 s`);
  return leaders[0]!;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function latencies(history: readonly HistoryEntry[]): number[] {
  const invokedAt = new Map<number, number>();
  const out: number[] = [];
  for (const entry of history) {
    if (entry.type === 'invoke') invokedAt.set(entry.process, entry.time);
    else if (entry.type === 'ok') out.push(entry.time - invokedAt.get(entry.process)!);
  }
  return out;
}

interface Measured {
  messagesPerOp: number;
  leaderlessMicros: number;
  unavailableMicros: number;
  latencies: number[];
  ok: number;
}

function measure(variant: Variant, seed: number): Measured {
  const leader = leaderAt(variant, seed);
  const scenario: Scenario = {
    ...baseScenario(variant, seed, '60s'),
    faults: [
      { at: CRASH_AT, fault: { type: 'crash', node: leader } },
      { at: RESTART_AT, fault: { type: 'restart', node: leader } },
    ],
  };
  const result = runScenario(scenario, { registry }, { trace: 'memory', stateMode: 'mutable' });
  if (result.violations.length > 0)
    throw new Error(`${variant.label} seed ${seed}: ${result.violations.map((v) => v.message).join('; ')}`);
  let newLeaderAt: number | undefined;
  for (const line of result.trace) {
    if (!line.includes('"k":"state"') || !line.includes('"role":"leader"')) continue;
    const event = JSON.parse(line) as { t: number; node: string };
    if (event.t > CRASH_AT && event.node !== leader) {
      newLeaderAt = event.t;
      break;
    }
  }
  // The first success of an operation invoked after the crash (answers already on their way do not count).
  const invokedAt = new Map<number, number>();
  let firstOkAfterCrash: number | undefined;
  for (const entry of result.history) {
    if (entry.type === 'invoke') invokedAt.set(entry.process, entry.time);
    else if (entry.type === 'ok' && invokedAt.get(entry.process)! > CRASH_AT) {
      firstOkAfterCrash = entry.time;
      break;
    }
  }
  return {
    messagesPerOp: result.stats.messagesSent / result.stats.operationsOk,
    leaderlessMicros: (newLeaderAt ?? Number.NaN) - CRASH_AT,
    unavailableMicros: (firstOkAfterCrash ?? Number.NaN) - CRASH_AT,
    latencies: latencies(result.history),
    ok: result.stats.operationsOk,
  };
}

const ms = (micros: number) => (micros / 1000).toFixed(1);
const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
const range = (values: number[], format: (n: number) => string) =>
  `${format(Math.min(...values))}-${format(Math.max(...values))}`;

const rows: string[][] = [];
for (const variant of variants) {
  const runs = Array.from({ length: seeds }, (_, i) => measure(variant, i + 1));
  const all = runs.flatMap((run) => run.latencies).sort((a, b) => a - b);
  const perOp = runs.map((run) => run.messagesPerOp);
  const leaderless = runs.map((run) => run.leaderlessMicros);
  const unavailable = runs.map((run) => run.unavailableMicros);
  rows.push([
    variant.label,
    `${median(perOp).toFixed(2)} (${range(perOp, (n) => n.toFixed(2))})`,
    ms(percentile(all, 50)),
    ms(percentile(all, 99)),
    `${ms(median(leaderless))} (${range(leaderless, ms)})`,
    `${ms(median(unavailable))} (${range(unavailable, ms)})`,
    `${Math.round(median(runs.map((run) => run.ok)))}`,
  ]);
}
const header = [
  'protocol',
  'messages / committed op',
  'commit latency p50 ms',
  'p99 ms',
  'leaderless after crash ms',
  'first ok after crash ms',
  'ok ops / minute',
];
const table = [header, header.map(() => '---'), ...rows];
console.log(`5 nodes, 4 kv clients, 60 simulated seconds, leader crash at 30 s; ${seeds} seeds (median, range)\n`);
for (const row of table) console.log(`| ${row.join(' | ')} |`);
