import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runScenario, type RunOptions, type Scenario } from '@dsim/core';
import { registry } from '@dsim/registry';
import { runInFreshProcess } from './child.ts';

export interface BenchRow {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly note?: string;
}

/**
 * Wall time, and the process's CPU time: on a shared machine CPU time is the steadier number
 * (it excludes time spent waiting for a core), so both are reported.
 */
function timed<T>(fn: () => T): { value: T; millis: number; cpuMillis: number } {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = fn();
  const used = process.cpuUsage(cpu);
  return { value, millis: performance.now() - started, cpuMillis: (used.user + used.system) / 1000 };
}

/** Progress on stderr, so a long benchmark shows where it is. */
export function progress(text: string): void {
  process.stderr.write(`  … ${text}\n`);
}

/** Best of `repeat` runs: the least-disturbed measurement of a deterministic workload. */
function bestOf(
  repeat: number,
  scenario: Scenario,
  options: RunOptions,
): { events: number; millis: number; cpuMillis: number; simulatedMicros: number } {
  let best = { events: 0, millis: Infinity, cpuMillis: Infinity, simulatedMicros: 0 };
  for (let i = 0; i < repeat; i++) {
    progress(`${scenario.name} ${options.trace}/${options.stateMode} run ${i + 1} of ${repeat}`);
    const { value, millis, cpuMillis } = timed(() => runScenario(scenario, { registry }, options));
    if (millis < best.millis) best = { events: value.stats.events, millis, cpuMillis, simulatedMicros: value.endTime };
  }
  return best;
}

const pingScenario = (until: string): Scenario => ({
  name: 'bench-pingpong',
  protocol: 'pingpong',
  nodes: 16,
  until,
  config: { window: 8 },
  network: { latency: { dist: 'uniform', min: '1ms', max: '3ms' } },
});

const heartbeatScenario: Scenario = {
  name: 'bench-heartbeat',
  protocol: 'heartbeat',
  nodes: 25,
  until: '30m',
  network: { latency: { dist: 'lognormal', median: '2ms', sigma: 0.5 } },
  nemesis: { faults: 20, kinds: ['partition', 'crash', 'pause', 'clock'], healAt: '25m' },
  workload: { name: 'probe', clients: 10, thinkTime: '100ms' },
  stopOnViolation: false,
};

export async function benchKernel(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const rate = (events: number, millis: number) => Math.round(events / (millis / 1000));
  // Warm the JIT so the first measured case is not penalised.
  runScenario(pingScenario('2s'), { registry }, { trace: 'off', stateMode: 'mutable' });

  const ping = pingScenario('35s');
  for (const [label, options] of [
    ['ping-pong, trace off, mutable', { trace: 'off', stateMode: 'mutable' }],
    ['ping-pong, trace off, immutable (immer)', { trace: 'off', stateMode: 'immutable' }],
    ['ping-pong, trace hashed, mutable', { trace: 'hash', stateMode: 'mutable' }],
    ['ping-pong, full trace in memory, mutable', { trace: 'memory', stateMode: 'mutable' }],
    ['ping-pong, full trace in memory, immutable', { trace: 'memory', stateMode: 'immutable' }],
  ] as const) {
    const result = bestOf(3, ping, options);
    rows.push({
      name: label,
      value: rate(result.events, result.millis),
      unit: 'events/s',
      note: `${(result.events / 1e6).toFixed(2)}M events in ${Math.round(result.millis)} ms wall; ${rate(result.events, result.cpuMillis).toLocaleString('en-US')} events per CPU-second`,
    });
  }

  for (const [label, options] of [
    ['heartbeat 25 nodes + faults + clients, trace off, mutable', { trace: 'off', stateMode: 'mutable' }],
    ['heartbeat 25 nodes + faults + clients, trace off, immutable', { trace: 'off', stateMode: 'immutable' }],
    ['heartbeat 25 nodes + faults + clients, full trace in memory, mutable', { trace: 'memory', stateMode: 'mutable' }],
    [
      'heartbeat 25 nodes + faults + clients, full trace in memory, immutable',
      { trace: 'memory', stateMode: 'immutable' },
    ],
  ] as const) {
    const result = bestOf(2, heartbeatScenario, options);
    rows.push({
      name: label,
      value: rate(result.events, result.millis),
      unit: 'events/s',
      note: `${(result.events / 1e6).toFixed(2)}M events; ${rate(result.events, result.cpuMillis).toLocaleString('en-US')} per CPU-second`,
    });
    rows.push({
      name: `${label}: simulated / wall time`,
      value: Math.round(result.simulatedMicros / 1000 / result.millis),
      unit: '×',
      note: `30 min simulated in ${(result.millis / 1000).toFixed(2)} s`,
    });
  }

  progress('10M-event heap measurement');
  rows.push(...measureHeap());
  progress('1,000-node cluster');
  rows.push(...thousandNodes());
  return rows;
}

/** Heap during a 10-million-event run with tracing off, measured in a fresh process (test/bench/heap-probe.ts). */
function measureHeap(): BenchRow[] {
  const probe = join(dirname(fileURLToPath(import.meta.url)), 'heap-probe.ts');
  const report = runInFreshProcess<{ events: number; peakUsedMB: number; peakLiveMB: number; millis: number }>(
    probe,
    [],
    ['--expose-gc'],
  );
  const note = `${(report.events / 1e6).toFixed(1)}M events in ${(report.millis / 1000).toFixed(1)} s, sampled every 1M deliveries`;
  return [
    {
      name: 'heap peak, 10M-event ping-pong, trace off',
      value: Math.round(report.peakUsedMB),
      unit: 'MB',
      note: `${note} (garbage included)`,
    },
    {
      name: 'live heap peak after GC, same run',
      value: Math.round(report.peakLiveMB),
      unit: 'MB',
      note: 'target < 200 MB',
    },
  ];
}

/** A 1,000-node heartbeat cluster, its full trace streamed to a file. */
function thousandNodes(): BenchRow[] {
  const path = join(tmpdir(), 'dsim-bench-1000-nodes.jsonl');
  const scenario: Scenario = {
    name: 'heartbeat-1000',
    protocol: 'heartbeat',
    nodes: 1000,
    until: '6s',
    faults: [
      { at: '2s', fault: { type: 'partition', groups: [Array.from({ length: 500 }, (_, i) => `n${i + 1}`)] } },
      { at: '4s', fault: { type: 'heal' } },
    ],
  };
  const fd = openSync(path, 'w');
  const { value, millis } = timed(() =>
    runScenario(
      scenario,
      { registry },
      {
        trace: 'hash',
        stateMode: 'mutable',
        // Whole lines as UTF-8 bytes, a chunk at a time, as `dsim run` writes its trace file.
        onTraceChunk: (bytes) => {
          let written = 0;
          while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
        },
      },
    ),
  );
  closeSync(fd);
  const bytes = statSync(path).size;
  return [
    {
      name: '1,000-node heartbeat, 6 s simulated, trace to file',
      value: rate(value.stats.events, millis),
      unit: 'events/s',
      note: `${(value.stats.events / 1e6).toFixed(1)}M events, ${(bytes / 1e6).toFixed(0)} MB trace in ${(millis / 1000).toFixed(1)} s (${path})`,
    },
  ];
  function rate(events: number, ms: number) {
    return Math.round(events / (ms / 1000));
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { printRows } = await import('./run.ts');
  printRows('kernel', await benchKernel());
}
