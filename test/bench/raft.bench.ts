/**
 * Raft benchmark: one simulated hour of a five-node cluster (50 ms heartbeats, 150-300 ms
 * election timeouts) under about 100 client writes per second, every safety invariant checked
 * after every step. Target: under 3 s of wall time.
 *
 *   npx tsx test/bench/raft.bench.ts
 */
import { runScenario, type Scenario } from '@dsim/core';
import { electionSafety, leaderAppendOnly, leaderCompleteness, logMatching, raft, stateMachineSafety } from '@dsim/raft';

export function benchScenario(): Scenario {
  return {
    name: 'raft-bench-hour',
    protocol: raft,
    nodes: 5,
    seed: 1,
    until: '1h',
    config: { heartbeatIntervalMicros: 50_000, electionTimeoutMicros: 150_000, snapshotThresholdEntries: 10_000 },
    network: { latency: { dist: 'uniform', min: 1_000, max: 5_000 } },
    // 10 closed-loop clients, each waiting ~90 ms between a reply and its next write: ≈100 writes/s.
    workload: { name: 'writes', clients: 10, thinkTime: '90ms', timeout: '1s' },
    invariants: [electionSafety, leaderAppendOnly, logMatching, leaderCompleteness, stateMachineSafety],
  };
}

export async function benchRaft(): Promise<Array<{ name: string; value: number; unit: string; note?: string }>> {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const result = runScenario(benchScenario(), {}, { trace: 'off', stateMode: 'mutable' });
  const wallSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  if (result.violations.length > 0 || result.endReason === 'error') {
    throw new Error(`benchmark run failed: ${result.error ?? result.violations[0]!.message}`);
  }
  const simulatedSeconds = result.endTime / 1e6;
  return [
    { name: 'raft 5 nodes, 1 simulated hour, invariants on: wall time', value: round(wallSeconds, 2), unit: 's', note: 'target < 3 s' },
    { name: 'raft 5 nodes, 1 simulated hour, invariants on: CPU time', value: round(cpuSeconds, 2), unit: 's', note: 'user + system' },
    { name: 'raft events per second', value: Math.round(result.stats.events / wallSeconds), unit: 'events/s', note: `${result.stats.events} events` },
    { name: 'raft events per CPU second', value: Math.round(result.stats.events / cpuSeconds), unit: 'events/s' },
    { name: 'raft simulated/wall time', value: Math.round(simulatedSeconds / wallSeconds), unit: '×' },
    { name: 'raft client writes per simulated second', value: round(result.stats.operationsOk / simulatedSeconds, 1), unit: 'writes/s', note: `${result.stats.operationsOk} ok of ${result.stats.operations}` },
  ];
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const rows = await benchRaft();
  const width = Math.max(...rows.map((row) => row.name.length));
  for (const row of rows) console.log(`${row.name.padEnd(width)}  ${String(row.value).padStart(12)} ${row.unit}${row.note ? `  (${row.note})` : ''}`);
}
