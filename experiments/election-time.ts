/**
 * How long is a five-server Raft cluster without a leader after its leader crashes, in the Raft
 * paper's setup (USENIX ATC 2014 §9.3, Figure 16; Ongaro's dissertation §9.4)?
 *
 *   npx -y pnpm@10 experiment election-time [--runs 20] [--ranges 150-155,12-24,...]
 *     [--disk stated,microbenchmark,fastestTrial,2ms,...] [--latency 125us..250us] [--patience 100s]
 *     [--timer-granularity 1ms]
 *     [--svg file] [--csv file] [--trace 150-155:7]
 *
 * The setup, as the paper and the dissertation describe it (experiments/lib/election-run.ts runs
 * one trial):
 * - five servers; election timeouts drawn uniformly from each range A-B; the heartbeat interval
 *   is half the minimum timeout ("which was half of the minimum election timeout for all tests");
 *   PreVote and CheckQuorum off; a refused vote does not restart the refuser's timer and a
 *   candidate that lost keeps its campaign's timer (LogCabin's RaftConsensus.cc of 2013-14:
 *   stepDown restarts the timer only for a leader, and only startNewElection, a granted vote and
 *   an AppendEntries restart it);
 * - "it synchronized the old leader's heartbeat RPCs before causing the old leader to exit", and
 *   "the leader was crashed randomly within its heartbeat interval" (verified to lead at the crash);
 * - "two of the four servers were not eligible to become leader": two survivors are one entry
 *   behind (verified at the crash);
 * - the time runs "from when the old leader crashed until the other servers received the new
 *   leader's first heartbeat";
 * - timing (experiments/lib/election-timing.ts): the LAN's one-way latency from the dissertation's
 *   measurement on the same servers, and a durable write that a campaign (term and self-vote), a
 *   granted vote and the new leader's no-op each wait for before their messages leave, as
 *   LogCabin's did (updateLogMetadata and the no-op's append ran under the lock the RPC threads
 *   need); a heartbeat does not wait. `--disk` picks the write's cost: the paper's stated broadcast
 *   time, the dissertation's measured durable write, the slowest write Figure 16's fastest trials
 *   allow, or a given cost.
 * Nothing is fitted to the paper's curves: each range's figures are printed beside Figure 16's
 * (read back from the figure's source, lib/paper-figure16.ts) with a ±15% verdict, and the
 * figures the paper's text states are checked separately.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { formatMicros, parseDuration, type Micros } from '@dsim/core';
import { parseFlags, wholeNumber } from './lib/flags.ts';
import { runTrial, trialTraceText, type ElectionSetup, type MicrosRange } from './lib/election-run.ts';
import {
  lanLatencyMicros,
  parseDiskSetups,
  parseMicrosRange,
  writeRange,
  type DiskSetup,
} from './lib/election-timing.ts';
import { cdfSvg, leaderlessStats, type LeaderlessStats } from './lib/leaderless-stats.ts';
import { figure16, paperRanges, statedFigures, uncontestedElectionBoundMicros } from './lib/paper-figure16.ts';

export { paperRanges };

export const description =
  "how long a five-server Raft cluster is leaderless after its leader crashes (paper's Figure 16 setup)";
export const usage =
  '[--runs 20] [--ranges 150-155,12-24,...] [--disk stated,microbenchmark,fastestTrial,2ms] [--latency 125us..250us] [--patience 100s] [--timer-granularity 1ms] [--svg file] [--csv file] [--trace 150-155:7]';

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

/** Whether a measured figure is within ±15% of the paper's (an unfinished or missing one never is). */
export function withinFifteenPercent(ours: number, paper: number): boolean {
  return Number.isFinite(ours) && Math.abs(ours - paper) <= 0.15 * paper;
}

/** The figures the paper's text states for a range beside ours, each with its verdict. */
export function statedVerdicts(result: RangeResult): string[] {
  const figures = statedFigures[`${result.range[0]}-${result.range[1]}`] ?? [];
  return figures.map((figure) => {
    const ours = result.stats[figure.statistic];
    const pass =
      figure.compare === 'within'
        ? withinFifteenPercent(ours, figure.micros)
        : figure.compare === 'atLeast'
          ? ours >= figure.micros
          : ours <= figure.micros;
    const bound = { within: '±15% of', atLeast: 'at least', atMost: 'at most' }[figure.compare];
    return `${figure.statistic} ${ms(ours)} vs paper ${formatMicros(figure.micros)} ${figure.quote}: ${pass ? 'within' : 'NOT within'} (${bound})`;
  });
}

/** The statistics compared with Figure 16's curves: the extremes depend on the number of trials. */
const comparedStatistics = ['median', 'mean', 'p90'] as const;

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

const STATS = ['min', 'median', 'mean', 'p90', 'p99', 'max'] as const;
const CELL = 11;

function statsCells(stats: LeaderlessStats): string {
  return STATS.map((statistic) => ms(stats[statistic]).padEnd(CELL)).join('');
}

/** The timing of one disk setup, with the figures that explain split votes. */
function describeTiming(disk: DiskSetup, latency: MicrosRange, sync: MicrosRange): string {
  const oneWay = (latency.min + latency.max) / 2;
  const write = (sync.min + sync.max) / 2;
  const bounds = paperRanges
    .filter(([a, b]) => a !== b)
    .map((range) => ({ range, bound: uncontestedElectionBoundMicros(range)! }));
  const tightest = bounds.reduce((best, next) => (next.bound < best.bound ? next : best));
  return [
    `disk write ${formatMicros(sync.min)}..${formatMicros(sync.max)} (${disk.name}: ${disk.source}), one-way latency ${formatMicros(latency.min)}..${formatMicros(latency.max)} (gigabit LAN, dissertation §10.3)`,
    `  a candidate's RequestVote reaches the others ${ms(write + oneWay)} after its timeout on average (its write, then one trip): survivors timing out within that of each other split the vote`,
    `  an uncontested election (candidate's write, trip, vote's write, trip, new leader's no-op write, heartbeat's trip) takes ${ms(3 * write + 3 * oneWay)} on average here; Figure 16's fastest trials bound it to ${ms(tightest.bound)} (${tightest.range[0]}-${tightest.range[1]} ms: fastest ${ms(figure16[`${tightest.range[0]}-${tightest.range[1]}`]!.min)} less half the minimum timeout)`,
  ].join('\n');
}

export function main(args: readonly string[]): number {
  const { values } = parseFlags(args, [
    'runs',
    'ranges',
    'disk',
    'latency',
    'patience',
    'timer-granularity',
    'svg',
    'csv',
    'trace',
  ]);
  const runs = wholeNumber(values.runs, 'runs', 20);
  if (runs < 1) throw new Error('--runs must be at least 1');
  const ranges = values.ranges === undefined ? paperRanges : parseRanges(values.ranges);
  const disks = parseDiskSetups(values.disk ?? 'stated,microbenchmark,fastestTrial');
  const latencyMicros = values.latency === undefined ? lanLatencyMicros : parseMicrosRange(values.latency, 'latency');
  const patience = parseDuration(values.patience ?? '100s');
  if (typeof patience !== 'number' || patience <= 0)
    throw new Error(`--patience: expected a duration like 100s, got '${values.patience}'`);
  const svg = values.svg ?? '.dsim/raft-election-time.svg';
  const csv = values.csv ?? '.dsim/raft-election-time.csv';
  const granularity =
    values['timer-granularity'] === undefined ? undefined : parseDuration(values['timer-granularity']);
  if (granularity !== undefined && (typeof granularity !== 'number' || granularity < 1))
    throw new Error(`--timer-granularity: expected a duration like 1ms, got '${values['timer-granularity']}'`);
  const timingFor = (disk: DiskSetup) => ({
    latencyMicros,
    syncMicros: writeRange(disk.writeMicros),
    patienceMicros: patience,
    ...(granularity === undefined ? {} : { timeoutGranularityMicros: granularity }),
  });
  if (values.trace !== undefined) return writeTrialTrace(values.trace, timingFor(disks[0]!));
  const curves: Array<{ label: string; samples: readonly Micros[] }> = [];
  const rows: string[] = [];
  for (const disk of disks) {
    const timing = timingFor(disk);
    console.log(
      `\nleader crash → every live server heard the new leader; 5 servers, heartbeat at half the minimum timeout, PreVote and CheckQuorum off, LogCabin's timer rules${granularity === undefined ? '' : `, timeouts rounded to ${formatMicros(granularity)}`}, two survivors one entry behind; ${runs} seeds per range, patience ${formatMicros(patience)}`,
    );
    console.log(describeTiming(disk, timing.latencyMicros, timing.syncMicros));
    console.log(
      `${['range (ms)', '', ...STATS].map((h, i) => h.padEnd(i === 1 ? 7 : CELL)).join('')}terms  unfinished  no leader  setup failed`,
    );
    const notes: string[] = [];
    for (const range of ranges) {
      const result = measureRange(range, runs, timing);
      const label = `${range[0]}-${range[1]}`;
      console.log(
        `${label.padEnd(CELL)}${'dsim'.padEnd(7)}${statsCells(result.stats)}${(Number.isNaN(result.meanTerms) ? '-' : result.meanTerms.toFixed(1)).padEnd(7)}${String(result.unfinished).padEnd(12)}${String(result.noLeader).padEnd(11)}${result.setupFailed}`,
      );
      const figure = figure16[label];
      if (figure !== undefined) {
        console.log(`${''.padEnd(CELL)}${'paper'.padEnd(7)}${statsCells(figure)}(Figure 16, ${figure.trials} trials)`);
        const verdictCells = STATS.map((statistic) =>
          (comparedStatistics as readonly string[]).includes(statistic)
            ? (withinFifteenPercent(result.stats[statistic], figure[statistic]) ? 'within' : 'NOT').padEnd(CELL)
            : ''.padEnd(CELL),
        );
        console.log(`${''.padEnd(CELL)}${'±15%'.padEnd(7)}${verdictCells.join('')}`.trimEnd());
      }
      for (const verdict of statedVerdicts(result)) notes.push(`  ${label} ms: ${verdict}`);
      const tag = disks.length > 1 ? ` (${disk.name})` : '';
      curves.push({ label: `${label} ms${tag}`, samples: result.samples });
      result.samples.forEach((sample, i) =>
        rows.push(`${disk.name},${label},${result.seeds[i]},${Number.isFinite(sample) ? sample : 'unfinished'}`),
      );
    }
    if (notes.length > 0) console.log(`the figures the paper's text states:\n${notes.join('\n')}`);
  }
  mkdirSync(dirname(svg), { recursive: true });
  writeFileSync(svg, cdfSvg(curves));
  mkdirSync(dirname(csv), { recursive: true });
  writeFileSync(csv, `disk,range,seed,leaderless_micros\n${rows.join('\n')}\n`);
  console.log(`\nplot written to ${svg}, samples to ${csv}`);
  return 0;
}

/** `--trace A-B:seed`: one trial's trace to a file, to step through with `npx dsim view`. */
function writeTrialTrace(spec: string, timing: Omit<ElectionSetup, 'timeoutMicros'>): number {
  const match = /^(\d+-\d+):(\d+)$/.exec(spec);
  if (!match) throw new Error(`--trace: expected a range and a seed like 150-155:7, got '${spec}'`);
  const range = parseRanges(match[1]!)[0]!;
  const seed = Number(match[2]);
  const setup: ElectionSetup = { ...timing, timeoutMicros: { min: range[0] * 1_000, max: range[1] * 1_000 } };
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
