import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runScenario, type RunOptions, type Scenario } from '@dsim/core';
import { registry } from '@dsim/registry';
import { bestCeiling, ceilingRates, runCeiling, CEILING_EVENTS, type CeilingSample } from './ceiling.ts';
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

interface Measured {
  readonly events: number;
  readonly millis: number;
  readonly cpuMillis: number;
  readonly simulatedMicros: number;
  /** The bare heap loop's best rate over the same moments (one ceiling run before each scenario run). */
  readonly ceiling: CeilingSample;
}

/**
 * Best of `repeat` runs: the least-disturbed measurement of a deterministic workload. Before each
 * run the bare heap loop runs once, so the scenario's best is compared with the ceiling's best
 * over the same stretch of the machine's time.
 */
function bestOf(repeat: number, scenario: Scenario, options: RunOptions): Measured {
  let best = { events: 0, millis: Infinity, cpuMillis: Infinity, simulatedMicros: 0 };
  let ceiling: CeilingSample | undefined;
  for (let i = 0; i < repeat; i++) {
    progress(`${scenario.name} ${options.trace}/${options.stateMode} run ${i + 1} of ${repeat}`);
    const bare = runCeiling(CEILING_EVENTS);
    if (!ceiling || bare.wallSeconds < ceiling.wallSeconds) ceiling = bare;
    const { value, millis, cpuMillis } = timed(() => runScenario(scenario, { registry }, options));
    if (millis < best.millis) best = { events: value.stats.events, millis, cpuMillis, simulatedMicros: value.endTime };
  }
  return { ...best, ceiling: ceiling! };
}

/** A scenario's rate as a share of the ceiling measured beside it, by wall time and by CPU time. */
function shareOfCeiling(measured: Measured): { wall: number; cpu: number } {
  const ceiling = ceilingRates(measured.ceiling);
  return {
    wall: measured.events / (measured.millis / 1000) / ceiling.perSecond,
    cpu: measured.events / (measured.cpuMillis / 1000) / ceiling.perCpuSecond,
  };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

export function percent(share: number): string {
  return `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`;
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
  bestCeiling(1);

  const ping = pingScenario('35s');
  const ceilings: CeilingSample[] = [];
  const shares: { label: string; share: { wall: number; cpu: number }; target?: number }[] = [];
  const measuredRows: BenchRow[] = [];
  for (const [label, options, target] of [
    ['ping-pong, trace off, mutable', { trace: 'off', stateMode: 'mutable' }, 0.4],
    ['ping-pong, trace off, immutable (immer)', { trace: 'off', stateMode: 'immutable' }, undefined],
    ['ping-pong, trace hashed, mutable', { trace: 'hash', stateMode: 'mutable' }, undefined],
    ['ping-pong, full trace in memory, mutable', { trace: 'memory', stateMode: 'mutable' }, undefined],
    ['ping-pong, full trace in memory, immutable', { trace: 'memory', stateMode: 'immutable' }, undefined],
  ] as const) {
    const result = bestOf(3, ping, options);
    const share = shareOfCeiling(result);
    ceilings.push(result.ceiling);
    if (options.stateMode === 'mutable') shares.push({ label, share, target });
    measuredRows.push({
      name: label,
      value: rate(result.events, result.millis),
      unit: 'events/s',
      note: `${percent(share.wall)} of ceiling (by CPU time ${percent(share.cpu)}); ${(result.events / 1e6).toFixed(2)}M events in ${Math.round(result.millis)} ms wall; ${rate(result.events, result.cpuMillis).toLocaleString('en-US')} events per CPU-second`,
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
    ceilings.push(result.ceiling);
    const share = shareOfCeiling(result);
    measuredRows.push({
      name: label,
      value: rate(result.events, result.millis),
      unit: 'events/s',
      note: `${percent(share.wall)} of ceiling (by CPU time ${percent(share.cpu)}); ${(result.events / 1e6).toFixed(2)}M events; ${rate(result.events, result.cpuMillis).toLocaleString('en-US')} per CPU-second`,
    });
    measuredRows.push({
      name: `${label}: simulated / wall time`,
      value: Math.round(result.simulatedMicros / 1000 / result.millis),
      unit: '×',
      note: `30 min simulated in ${(result.millis / 1000).toFixed(2)} s`,
    });
  }

  // The ceiling first, then the shares that have targets, then every absolute figure.
  const rates = ceilings.map((sample) => ceilingRates(sample).perSecond).sort((a, b) => a - b);
  rows.push({
    name: 'ceiling: bare heap loop (test/bench/ceiling.ts)',
    value: rates[rates.length - 1]!,
    unit: 'events/s',
    note: `one run before each scenario run below; each row's share is against the best of the runs beside its own (${rates[0]!.toLocaleString('en-US')}–${rates[rates.length - 1]!.toLocaleString('en-US')})`,
  });
  for (const { label, share, target } of shares)
    rows.push({
      name: `${label}: share of ceiling`,
      value: round2(share.wall),
      unit: '× ceiling',
      note: `by CPU time ${round2(share.cpu).toFixed(2)}×${target === undefined ? '' : `; target ≥ ${target.toFixed(2)} ${share.wall >= target ? 'met' : 'NOT MET'}`}`,
    });
  rows.push(...measuredRows);

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
