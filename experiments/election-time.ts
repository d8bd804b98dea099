/**
 * How long is a five-server Raft cluster without a leader after its leader crashes, in the Raft
 * paper's setup (§9.3, Figure 16; dissertation chapter 9)?
 *
 *   npx -y pnpm@10 experiment election-time [--runs 20] [--ranges 150-155,12-24,...]
 *     [--broadcast 15ms[,10ms,...]] [--disk-share 0.5] [--latency 2.5ms..5ms] [--sync 6ms..9ms]
 *     [--patience 30s] [--svg file] [--csv file] [--trace 150-155:7]
 *
 * The setup (experiments/lib/election-run.ts runs one trial):
 * - five servers; election timeouts drawn uniformly from each range A-B (ms); the heartbeat
 *   interval is half the minimum timeout A; PreVote and CheckQuorum off; a refused vote does not
 *   restart the refuser's timer and a candidate that lost keeps its campaign's timer (the paper's
 *   Figure 2 and LogCabin, where Figure 16 was measured);
 * - the leader, verified to lead at the crash, sends a heartbeat round to all followers at once and
 *   crashes at a uniformly random moment within the following heartbeat interval;
 * - two of the four survivors are one entry behind (verified at the crash), so they cannot win;
 * - the time measured runs from the crash until every live server has received the new leader's
 *   first AppendEntries or heartbeat;
 * - the paper's broadcast time, "roughly 15ms", is a round trip plus a disk write: by default half
 *   is the round trip (one-way latency uniform in [B/6, B/3]) and half the disk sync (uniform in
 *   [0.4B, 0.6B]), which a campaign, a granted vote and an append each pay before their messages
 *   leave; a heartbeat and a refused vote do not.
 * Nothing is fitted to the paper's curves: each range's figures are printed beside the figures the
 * paper states, with a ±15% verdict.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { formatMicros, parseDuration, type Micros } from '@dsim/core';
import { parseFlags, wholeNumber } from './lib/flags.ts';
import { runTrial, trialTraceText, type ElectionSetup, type MicrosRange } from './lib/election-run.ts';
import { cdfSvg, leaderlessStats, type LeaderlessStats } from './lib/leaderless-stats.ts';

export const description =
  "how long a five-server Raft cluster is leaderless after its leader crashes (paper's Figure 16 setup)";
export const usage =
  '[--runs 20] [--ranges 150-155,12-24,...] [--broadcast 15ms[,6ms]] [--disk-share 0.5] [--latency 2.5ms..5ms] [--sync 6ms..9ms] [--patience 30s] [--svg file] [--csv file] [--trace 150-155:7]';

/** The ranges of the paper's Figure 16 (top graph, then bottom graph), in milliseconds. */
export const paperRanges: ReadonlyArray<readonly [number, number]> = [
  [150, 150],
  [150, 151],
  [150, 155],
  [150, 175],
  [150, 200],
  [150, 300],
  [12, 24],
  [25, 50],
  [50, 100],
  [100, 200],
];

/** What the paper's text states for a range (§9.3), and how a measured figure is compared to it. */
interface PaperFigure {
  readonly statistic: keyof LeaderlessStats;
  readonly micros: Micros;
  /** within: ±15%; atLeast / atMost: a bound (the paper's extremes come from 1000 trials). */
  readonly compare: 'within' | 'atLeast' | 'atMost';
  readonly quote: string;
}

const paperFigures: Readonly<Record<string, readonly PaperFigure[]>> = {
  '150-150': [
    {
      statistic: 'min',
      micros: 10_000_000,
      compare: 'atLeast',
      quote: '"consistently took longer than 10 seconds"',
    },
  ],
  '150-155': [{ statistic: 'median', micros: 287_000, compare: 'within', quote: '"a median downtime of 287ms"' }],
  '150-200': [
    { statistic: 'max', micros: 513_000, compare: 'atMost', quote: '"worst-case ... (over 1000 trials) was 513ms"' },
  ],
  '12-24': [
    { statistic: 'mean', micros: 35_000, compare: 'within', quote: '"only 35ms on average"' },
    { statistic: 'max', micros: 152_000, compare: 'atMost', quote: '"the longest trial took 152ms"' },
  ],
};

export interface RangeResult {
  readonly range: readonly [number, number];
  /** Microseconds per finished or unfinished (Infinity) trial. */
  readonly samples: readonly Micros[];
  /** The seed of each sample. */
  readonly seeds: readonly number[];
  readonly unfinished: number;
  /** Seeds with no leader to crash after settling. */
  readonly noLeader: number;
  /** Seeds where the leader or the unequal logs were not in place at the crash. */
  readonly setupFailed: number;
  /** Mean number of terms from the crashed leader's to the new leader's, over finished trials. */
  readonly meanTerms: number;
  readonly stats: LeaderlessStats;
}

export function measureRange(
  range: readonly [number, number],
  runs: number,
  timing: Omit<ElectionSetup, 'timeoutMicros'>,
): RangeResult {
  const setup: ElectionSetup = { ...timing, timeoutMicros: { min: range[0] * 1_000, max: range[1] * 1_000 } };
  const samples: Micros[] = [];
  const seeds: number[] = [];
  let noLeader = 0;
  let setupFailed = 0;
  let terms = 0;
  for (let seed = 1; seed <= runs; seed++) {
    const outcome = runTrial(seed, setup);
    if (outcome.kind === 'elected' || outcome.kind === 'unfinished') seeds.push(seed);
    if (outcome.kind === 'elected') {
      samples.push(outcome.micros);
      terms += outcome.terms;
    } else if (outcome.kind === 'unfinished') samples.push(Infinity);
    else if (outcome.kind === 'noLeader') noLeader++;
    else setupFailed++;
  }
  const finished = samples.filter(Number.isFinite).length;
  return {
    range,
    samples,
    seeds,
    unfinished: samples.length - finished,
    noLeader,
    setupFailed,
    meanTerms: finished === 0 ? NaN : terms / finished,
    stats: leaderlessStats(samples),
  };
}

/** The paper's figures for a range beside ours, each with its verdict. */
export function verdicts(result: RangeResult): string[] {
  const figures = paperFigures[`${result.range[0]}-${result.range[1]}`] ?? [];
  return figures.map((figure) => {
    const ours = result.stats[figure.statistic];
    const pass =
      figure.compare === 'within'
        ? Math.abs(ours - figure.micros) <= 0.15 * figure.micros
        : figure.compare === 'atLeast'
          ? ours >= figure.micros
          : ours <= figure.micros;
    const bound = { within: '±15% of', atLeast: 'at least', atMost: 'at most' }[figure.compare];
    return `${figure.statistic} ${ms(ours)} vs paper ${formatMicros(figure.micros)} ${figure.quote}: ${pass ? 'within' : 'NOT within'} (${bound})`;
  });
}

function ms(micros: number): string {
  if (Number.isNaN(micros)) return '-';
  return Number.isFinite(micros) ? `${(micros / 1000).toFixed(1)}ms` : 'unfinished';
}

function parseRanges(text: string): Array<readonly [number, number]> {
  return text.split(',').map((part) => {
    const match = /^(\d+)-(\d+)$/.exec(part.trim());
    if (!match || Number(match[2]) < Number(match[1]) || Number(match[1]) < 2)
      throw new Error(
        `--ranges: expected ranges in milliseconds like 150-300,12-24, minimum at least 2 (got '${part}')`,
      );
    return [Number(match[1]), Number(match[2])] as const;
  });
}

function duration(text: string, flag: string): Micros {
  const micros = parseDuration(text);
  if (typeof micros !== 'number' || micros < 0)
    throw new Error(`--${flag}: expected a duration like 15ms or 500us, got '${text}'`);
  return micros;
}

function parseRange(text: string, flag: string): MicrosRange {
  const [a, b] = text.split('..');
  const min = duration(a!, flag);
  const max = b === undefined ? min : duration(b, flag);
  if (max < min) throw new Error(`--${flag}: the range must not run backwards, got '${text}'`);
  return { min, max };
}

/**
 * A broadcast time B (a round trip plus a disk write) split into the two: `diskShare` of it is the
 * mean disk sync (uniform within ±20%), the rest the mean round trip (one-way uniform in [2/3, 4/3]
 * of half of it).
 */
export function splitBroadcast(broadcast: Micros, diskShare: number): { latency: MicrosRange; sync: MicrosRange } {
  const oneWay = (broadcast * (1 - diskShare)) / 2;
  const disk = broadcast * diskShare;
  return {
    latency: { min: Math.round((oneWay * 2) / 3), max: Math.round((oneWay * 4) / 3) },
    sync: { min: Math.round(disk * 0.8), max: Math.round(disk * 1.2) },
  };
}

export function main(args: readonly string[]): number {
  const { values } = parseFlags(args, [
    'runs',
    'ranges',
    'broadcast',
    'disk-share',
    'latency',
    'sync',
    'patience',
    'svg',
    'csv',
    'trace',
  ]);
  const runs = wholeNumber(values.runs, 'runs', 20);
  if (runs < 1) throw new Error('--runs must be at least 1');
  const ranges = values.ranges === undefined ? paperRanges : parseRanges(values.ranges);
  const diskShare = values['disk-share'] === undefined ? 0.5 : Number(values['disk-share']);
  if (!(diskShare >= 0 && diskShare <= 1))
    throw new Error(`--disk-share: expected a fraction from 0 to 1, got '${values['disk-share']}'`);
  const broadcasts = (values.broadcast ?? '15ms').split(',').map((text) => duration(text.trim(), 'broadcast'));
  const patienceMicros = duration(values.patience ?? '30s', 'patience');
  const svg = values.svg ?? '.dsim/raft-election-time.svg';
  const csv = values.csv ?? '.dsim/raft-election-time.csv';
  if (values.trace !== undefined)
    return writeTrialTrace(values.trace, broadcasts[0]!, diskShare, values, patienceMicros);
  const curves: Array<{ label: string; samples: readonly Micros[] }> = [];
  const rows: string[] = [];
  for (const broadcast of broadcasts) {
    const split = splitBroadcast(broadcast, diskShare);
    const latencyMicros = values.latency === undefined ? split.latency : parseRange(values.latency, 'latency');
    const syncMicros = values.sync === undefined ? split.sync : parseRange(values.sync, 'sync');
    console.log(
      `\nleader crash → every live server heard the new leader; 5 servers, heartbeat at half the minimum timeout, PreVote and CheckQuorum off, the paper's timer rules, two survivors one entry behind; one-way latency ${formatMicros(latencyMicros.min)}..${formatMicros(latencyMicros.max)}, disk sync ${formatMicros(syncMicros.min)}..${formatMicros(syncMicros.max)} (broadcast time ≈ ${formatMicros(latencyMicros.min + latencyMicros.max + (syncMicros.min + syncMicros.max) / 2)}); ${runs} seeds per range, patience ${formatMicros(patienceMicros)}`,
    );
    console.log(
      `${['range (ms)', 'min', 'median', 'mean', 'p90', 'p99', 'max'].map((h) => h.padEnd(11)).join('')}terms  unfinished  no leader  setup failed`,
    );
    const notes: string[] = [];
    for (const range of ranges) {
      const result = measureRange(range, runs, { latencyMicros, syncMicros, patienceMicros });
      const { min, median, mean, p90, p99, max } = result.stats;
      const label = `${range[0]}-${range[1]}`;
      console.log(
        `${label.padEnd(11)}${[min, median, mean, p90, p99, max].map((micros) => ms(micros).padEnd(11)).join('')}${(Number.isNaN(result.meanTerms) ? '-' : result.meanTerms.toFixed(1)).padEnd(7)}${String(result.unfinished).padEnd(12)}${String(result.noLeader).padEnd(11)}${result.setupFailed}`,
      );
      for (const verdict of verdicts(result)) notes.push(`  ${label} ms: ${verdict}`);
      const tag = broadcasts.length > 1 ? ` (B ${formatMicros(broadcast)})` : '';
      curves.push({ label: `${label} ms${tag}`, samples: result.samples });
      result.samples.forEach((sample, i) =>
        rows.push(`${broadcast},${label},${result.seeds[i]},${Number.isFinite(sample) ? sample : 'unfinished'}`),
      );
    }
    if (notes.length > 0) console.log(`beside the paper's stated figures:\n${notes.join('\n')}`);
  }
  mkdirSync(dirname(svg), { recursive: true });
  writeFileSync(svg, cdfSvg(curves));
  mkdirSync(dirname(csv), { recursive: true });
  writeFileSync(csv, `broadcast_micros,range,seed,leaderless_micros\n${rows.join('\n')}\n`);
  console.log(`\nplot written to ${svg}, samples to ${csv}`);
  return 0;
}

/** `--trace A-B:seed`: one trial's trace to a file, to step through with `npx dsim view`. */
function writeTrialTrace(
  spec: string,
  broadcast: Micros,
  diskShare: number,
  values: Readonly<Record<string, string>>,
  patienceMicros: Micros,
): number {
  const match = /^(\d+-\d+):(\d+)$/.exec(spec);
  if (!match) throw new Error(`--trace: expected a range and a seed like 150-155:7, got '${spec}'`);
  const range = parseRanges(match[1]!)[0]!;
  const seed = Number(match[2]);
  const split = splitBroadcast(broadcast, diskShare);
  const setup: ElectionSetup = {
    timeoutMicros: { min: range[0] * 1_000, max: range[1] * 1_000 },
    latencyMicros: values.latency === undefined ? split.latency : parseRange(values.latency, 'latency'),
    syncMicros: values.sync === undefined ? split.sync : parseRange(values.sync, 'sync'),
    patienceMicros,
  };
  const outcome = runTrial(seed, setup);
  const text = trialTraceText(seed, setup);
  if (text === undefined) {
    console.log(`${match[1]} ms seed ${seed}: no leader settled, nothing to crash`);
    return 1;
  }
  const file = `.dsim/election-${match[1]}-seed${seed}.jsonl`;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  const found =
    outcome.kind === 'elected'
      ? `${ms(outcome.micros)} leaderless, ${outcome.newLeader} won ${outcome.terms} terms on`
      : outcome.kind === 'setupFailed'
        ? `setup failed: ${outcome.why}`
        : outcome.kind;
  console.log(`${match[1]} ms seed ${seed}: ${found}\ntrace written to ${file}: npx dsim view ${file}`);
  return 0;
}
