/**
 * How long is a five-server Raft cluster without a leader after its leader crashes, in the Raft
 * paper's setup (§9.3, Figure 16; dissertation chapter 9)?
 *
 *   npx -y pnpm@10 experiment election-time [--runs 100] [--ranges 150-150,150-151,...,12-24]
 *     [--latency 5ms..10ms] [--svg file] [--csv file]
 *
 * The setup, as the paper states it:
 * - five servers; election timeouts drawn uniformly from each range A-B (ms); the heartbeat
 *   interval is half the minimum timeout A; PreVote and CheckQuorum off, and a higher term alone
 *   does not restart a server's timer (the paper's rules and LogCabin's, where Figure 16 was
 *   measured; see RaftConfig.resetElectionTimerOnHigherTerm);
 * - the leader, verified to lead, sends a heartbeat round (every round goes to all followers at
 *   once) and crashes at a uniformly random moment within the following heartbeat interval;
 * - the logs are unequal, so that two of the four survivors cannot win: a client write reaches the
 *   leader just after that heartbeat, and its AppendEntries reaches two followers only (the
 *   leader's link to the other two is cut from that moment until the crash);
 * - the time measured runs from the crash until every live server has received the new leader's
 *   first AppendEntries or heartbeat;
 * - the paper's broadcast time (a round trip plus a disk write) is about 15 ms: one-way latency
 *   here is uniform in 5-10 ms (round trips of 10-20 ms, 15 ms on average). The kernel here
 *   charges no time for disk writes, so the round trip carries it.
 * Nothing is fitted to the paper's curves. Prints min, median, mean, p90, p99 and max per range
 * and writes a cumulative-distribution plot (SVG, logarithmic time axis) with one curve per range.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createRandom, formatMicros, parseDuration, runScenario, type Micros, type Scenario } from '@dsim/core';
import { raft } from '@dsim/raft';
import { parseFlags, wholeNumber } from './lib/flags.ts';

export const description =
  "how long a five-server Raft cluster is leaderless after its leader crashes (paper's Figure 16 setup)";
export const usage = '[--runs 100] [--ranges 150-150,150-155,...] [--latency 5ms..10ms] [--svg file] [--csv file]';

/** The ranges of the paper's Figure 16, in milliseconds. */
export const paperRanges: ReadonlyArray<readonly [number, number]> = [
  [150, 150],
  [150, 151],
  [150, 155],
  [150, 175],
  [150, 200],
  [150, 300],
  [12, 24],
];

export interface ElectionTimeOptions {
  /** The election timeout range [min, max] in microseconds. */
  readonly timeoutMicros: { readonly min: Micros; readonly max: Micros };
  /** One-way message latency, uniform in [min, max]. Default 5-10 ms. */
  readonly latencyMicros?: { readonly min: Micros; readonly max: Micros };
  /** How long after the crash a run may take before it counts as unfinished. Default 30 s. */
  readonly patienceMicros?: Micros;
}

const SERVERS = ['n1', 'n2', 'n3', 'n4', 'n5'] as const;
/** The cluster has settled by then: the verified leader's last heartbeat round before it is the synchronized one. */
const SETTLED_AT = 1_000_000;
const CLIENT_LATENCY = 1_000;

function baseScenario(seed: number, options: ElectionTimeOptions): Scenario {
  const { min, max } = options.timeoutMicros;
  const latency = options.latencyMicros ?? { min: 5_000, max: 10_000 };
  return {
    name: `raft-election-time-${min}-${max}-${seed}`,
    protocol: raft,
    nodes: SERVERS.length,
    seed,
    until: SETTLED_AT,
    config: {
      electionTimeoutMicros: min,
      electionTimeoutMaxMicros: max,
      heartbeatIntervalMicros: Math.max(1, Math.floor(min / 2)),
      preVote: false,
      checkQuorum: false,
      resetElectionTimerOnHigherTerm: false,
      // n1 times out first, once, so the cluster starts from a leader quickly.
      nodeElectionTimeoutMicros: { n1: Math.max(1, Math.floor(min / 2)) },
    },
    network: { latency: { dist: 'uniform', min: latency.min, max: latency.max }, clientLatency: CLIENT_LATENCY },
    invariants: ['election-safety', 'log-matching', 'leader-completeness', 'state-machine-safety'],
  };
}

interface TraceEvent {
  readonly t: number;
  readonly k: string;
  readonly id?: number;
  readonly node?: string;
  readonly from?: string;
  readonly to?: string;
  readonly msg?: { readonly type: string; readonly term: number };
  readonly summary?: { readonly role: string; readonly term: number };
}

function events(trace: readonly string[]): TraceEvent[] {
  return trace.slice(1).map((line) => JSON.parse(line) as TraceEvent);
}

/**
 * The leader at the end of the settling run, verified from its state, and its last heartbeat
 * round; undefined when no server leads then (timeouts too short for the latency keep a leader
 * from lasting).
 */
function settledLeader(
  seed: number,
  options: ElectionTimeOptions,
): { leader: string; term: number; heartbeatAt: Micros } | undefined {
  const result = runScenario(baseScenario(seed, options), {}, { trace: 'memory', stateMode: 'mutable' });
  if (result.violations.length > 0) throw new Error(`seed ${seed}: ${result.violations[0]!.message}`);
  const roles = new Map<string, { role: string; term: number }>();
  let heartbeatAt = -1;
  const trace = events(result.trace);
  for (const event of trace)
    if (event.k === 'state' && event.node && event.summary) roles.set(event.node, event.summary);
  let leader: string | undefined;
  let term = -1;
  for (const [node, summary] of roles)
    if (summary.role === 'leader' && summary.term > term) {
      leader = node;
      term = summary.term;
    }
  if (leader === undefined) return undefined;
  for (const event of trace)
    if (event.k === 'send' && event.from === leader && event.msg?.type === 'Heartbeat' && event.msg.term === term)
      heartbeatAt = event.t;
  if (heartbeatAt < 0) throw new Error(`seed ${seed}: ${leader} sent no heartbeat in term ${term}`);
  return { leader, term, heartbeatAt };
}

/**
 * One run: crash → every live server heard the new leader. Infinity when it did not happen in
 * time; NaN when no server led at the moment to crash it.
 */
export function measureOnce(seed: number, options: ElectionTimeOptions): Micros {
  const settled = settledLeader(seed, options);
  if (settled === undefined) return NaN;
  const { leader, term, heartbeatAt } = settled;
  const heartbeatInterval = Math.max(1, Math.floor(options.timeoutMicros.min / 2));
  // The write reaches the leader 1 µs after the synchronized heartbeat; the crash comes at a
  // uniform moment in the rest of the interval (from 2 µs, so the write's AppendEntries is out).
  const writeAt = heartbeatAt + 1;
  const crashAt = heartbeatAt + 2 + createRandom(seed, 'crash-moment').int(0, Math.max(0, heartbeatInterval - 3));
  const survivors = SERVERS.filter((node) => node !== leader);
  const behind = survivors.slice(2);
  const patience = options.patienceMicros ?? 30_000_000;
  const scenario: Scenario = {
    ...baseScenario(seed, options),
    until: crashAt + patience,
    workload: {
      name: 'kv',
      clients: 1,
      startAt: writeAt - CLIENT_LATENCY,
      opsPerClient: 1,
      timeout: '10s',
      options: { keys: 1, pin: { c1: leader }, mix: { get: 0, put: 1, append: 0, cas: 0 } },
    },
    faults: [
      { at: writeAt, fault: { type: 'cut', from: [leader], to: behind } },
      { at: crashAt, fault: { type: 'crash', node: leader } },
      { at: crashAt + 1, fault: { type: 'heal' } },
    ],
  };
  const result = runScenario(scenario, {}, { trace: 'memory', stateMode: 'mutable' });
  if (result.violations.length > 0) throw new Error(`seed ${seed}: ${result.violations[0]!.message}`);
  const sends = new Map<number, TraceEvent>();
  /** By "leader@term": when each other live server first heard that leader. */
  const heard = new Map<string, Map<string, Micros>>();
  for (const event of events(result.trace)) {
    if (event.k === 'send' && event.id !== undefined) {
      if (event.t === heartbeatAt && event.from === leader && event.msg?.type === 'Heartbeat') sends.set(-1, event);
      if (event.msg && (event.msg.type === 'AppendEntries' || event.msg.type === 'Heartbeat') && event.msg.term > term)
        sends.set(event.id, event);
      continue;
    }
    if (event.k !== 'deliver' || event.id === undefined || event.t < crashAt) continue;
    const send = sends.get(event.id);
    if (send === undefined) continue;
    const key = `${send.from}@${send.msg!.term}`;
    let receipts = heard.get(key);
    if (receipts === undefined) heard.set(key, (receipts = new Map()));
    if (!receipts.has(event.to!)) receipts.set(event.to!, event.t);
    // Everyone but the new leader itself has heard it.
    if (receipts.size === survivors.length - 1) {
      if (!sends.has(-1))
        throw new Error(`seed ${seed}: the run did not repeat the settling run's heartbeat at ${heartbeatAt}`);
      return Math.max(...receipts.values()) - crashAt;
    }
  }
  return Infinity;
}

export interface RangeResult {
  readonly range: readonly [number, number];
  readonly samples: readonly Micros[];
  readonly unfinished: number;
  /** Runs with no leader to crash at the settling time. */
  readonly noLeader: number;
  readonly stats: Readonly<Record<'min' | 'median' | 'mean' | 'p90' | 'p99' | 'max', Micros>>;
}

export function measureRange(
  range: readonly [number, number],
  runs: number,
  latency?: ElectionTimeOptions['latencyMicros'],
): RangeResult {
  const options: ElectionTimeOptions = {
    timeoutMicros: { min: range[0] * 1_000, max: range[1] * 1_000 },
    latencyMicros: latency,
  };
  const all: Micros[] = [];
  for (let seed = 1; seed <= runs; seed++) all.push(measureOnce(seed, options));
  const samples = all.filter(Number.isFinite).sort((a, b) => a - b);
  const quantile = (q: number) =>
    samples[Math.min(samples.length - 1, Math.max(0, Math.ceil(q * samples.length) - 1))] ?? NaN;
  return {
    range,
    samples: all,
    unfinished: all.filter((sample) => sample === Infinity).length,
    noLeader: all.filter(Number.isNaN).length,
    stats: {
      min: samples[0] ?? NaN,
      median: quantile(0.5),
      mean: Math.round(samples.reduce((sum, sample) => sum + sample, 0) / samples.length),
      p90: quantile(0.9),
      p99: quantile(0.99),
      max: samples[samples.length - 1] ?? NaN,
    },
  };
}

/** A cumulative-distribution plot, one curve per range, time on a logarithmic axis. */
export function cdfSvg(results: readonly RangeResult[]): string {
  const width = 720;
  const height = 420;
  const left = 60;
  const right = 170;
  const top = 20;
  const bottom = 50;
  const finite = results.flatMap((result) => result.samples.filter(Number.isFinite));
  if (finite.length === 0) finite.push(1_000, 1_000_000);
  const lo = Math.pow(10, Math.floor(Math.log10(Math.max(1, Math.min(...finite)))));
  const hi = Math.pow(10, Math.ceil(Math.log10(Math.max(...finite))));
  const x = (micros: number) =>
    left + ((Math.log10(micros) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * (width - left - right);
  const y = (fraction: number) => top + (1 - fraction) * (height - top - bottom);
  const colours = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<line x1="${left}" y1="${y(0)}" x2="${width - right}" y2="${y(0)}" stroke="black"/>`,
    `<line x1="${left}" y1="${y(0)}" x2="${left}" y2="${y(1)}" stroke="black"/>`,
  ];
  for (let decade = lo; decade <= hi; decade *= 10) {
    parts.push(`<line x1="${x(decade)}" y1="${y(0)}" x2="${x(decade)}" y2="${y(1)}" stroke="#ddd"/>`);
    parts.push(`<text x="${x(decade)}" y="${y(0) + 16}" text-anchor="middle">${formatMicros(decade)}</text>`);
  }
  for (const fraction of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(`<text x="${left - 6}" y="${y(fraction) + 4}" text-anchor="end">${fraction * 100}%</text>`);
  }
  parts.push(
    `<text x="${(left + width - right) / 2}" y="${height - 10}" text-anchor="middle">time without a leader (crash until every live server heard the new leader)</text>`,
  );
  results.forEach((result, i) => {
    const colour = colours[i % colours.length]!;
    const sorted = result.samples.filter(Number.isFinite).sort((a, b) => a - b);
    const label = `${result.range[0]}-${result.range[1]} ms${sorted.length === 0 ? ' (no samples)' : ''}`;
    parts.push(
      `<line x1="${width - right + 15}" y1="${top + 10 + i * 18}" x2="${width - right + 35}" y2="${top + 10 + i * 18}" stroke="${colour}" stroke-width="2"/>`,
    );
    parts.push(`<text x="${width - right + 40}" y="${top + 14 + i * 18}">${label}</text>`);
    if (sorted.length === 0) return;
    const points = [`${x(sorted[0]!)},${y(0)}`];
    sorted.forEach((sample, k) => {
      points.push(`${x(sample)},${y(k / result.samples.length)}`, `${x(sample)},${y((k + 1) / result.samples.length)}`);
    });
    parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="1.5" points="${points.join(' ')}"/>`);
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

function parseRanges(text: string): Array<readonly [number, number]> {
  return text.split(',').map((part) => {
    const match = /^(\d+)-(\d+)$/.exec(part.trim());
    if (!match || Number(match[2]) < Number(match[1]) || Number(match[1]) <= 0)
      throw new Error(`--ranges: expected ranges in milliseconds like 150-300,12-24 (got '${part}')`);
    return [Number(match[1]), Number(match[2])] as const;
  });
}

function parseRange(text: string, what: string): { min: Micros; max: Micros } {
  const [a, b] = text.split('..');
  const min = parseDuration(a);
  const max = b === undefined ? min : parseDuration(b);
  if (typeof min !== 'number' || typeof max !== 'number' || max < min)
    throw new Error(`--${what}: expected a duration or a range like 5ms..10ms, got '${text}'`);
  return { min, max };
}

export function main(args: readonly string[]): number {
  const { values } = parseFlags(args, ['runs', 'ranges', 'latency', 'svg', 'csv']);
  const runs = wholeNumber(values.runs, 'runs', 100);
  const ranges = values.ranges === undefined ? paperRanges : parseRanges(values.ranges);
  const latency = parseRange(values.latency ?? '5ms..10ms', 'latency');
  const svg = values.svg ?? '.dsim/raft-election-time.svg';
  const csv = values.csv ?? '.dsim/raft-election-time.csv';
  console.log(
    `leader crash → every live server heard the new leader; 5 servers, heartbeat at half the minimum timeout, PreVote and CheckQuorum off, two survivors with shorter logs, one-way latency ${formatMicros(latency.min)}..${formatMicros(latency.max)}, ${runs} runs per range`,
  );
  console.log(
    `${['range (ms)', 'min', 'median', 'mean', 'p90', 'p99', 'max'].map((h) => h.padEnd(11)).join('')}unfinished  no leader`,
  );
  const results: RangeResult[] = [];
  for (const range of ranges) {
    const result = measureRange(range, runs, latency);
    results.push(result);
    const cell = (micros: number) => (Number.isFinite(micros) ? `${(micros / 1000).toFixed(1)}ms` : '-').padEnd(11);
    const { min, median, mean, p90, p99, max } = result.stats;
    console.log(
      `${`${range[0]}-${range[1]}`.padEnd(11)}${[min, median, mean, p90, p99, max].map(cell).join('')}${String(result.unfinished).padEnd(12)}${result.noLeader}`,
    );
  }
  mkdirSync(dirname(svg), { recursive: true });
  writeFileSync(svg, cdfSvg(results));
  mkdirSync(dirname(csv), { recursive: true });
  writeFileSync(
    csv,
    `range,seed,leaderless_micros\n${results.flatMap((result) => result.samples.map((sample, i) => `${result.range[0]}-${result.range[1]},${i + 1},${Number.isFinite(sample) ? sample : Number.isNaN(sample) ? 'no-leader' : 'unfinished'}`)).join('\n')}\n`,
  );
  console.log(`plot written to ${svg}, samples to ${csv}`);
  return 0;
}
