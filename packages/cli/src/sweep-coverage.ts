import {
  addCoverage,
  emptyCoverageTotals,
  unreachedGoals,
  type CoverageCounts,
  type CoverageGoals,
  type MutableCoverageTotals,
} from '@dsim/core';
import { style } from './style.ts';

/** A sweep's coverage: the totals over its runs, and the declared goals no run reached. */
export interface SweepCoverage {
  readonly goals: CoverageGoals;
  readonly totals: MutableCoverageTotals;
  /** `category name` of every goal never reached ('state truncatedLog'). */
  readonly unreached: readonly string[];
  /** How many goals there are in all. */
  readonly goalCount: number;
  /** Runs that carried coverage counters. */
  readonly runs: number;
}

export function sweepCoverage(
  goals: CoverageGoals,
  runs: ReadonlyArray<{ readonly coverage?: CoverageCounts }>,
): SweepCoverage {
  const totals = emptyCoverageTotals();
  let counted = 0;
  for (const run of runs) {
    if (!run.coverage) continue;
    addCoverage(totals, run.coverage);
    counted++;
  }
  return {
    goals,
    totals,
    unreached: unreachedGoals(goals, totals),
    goalCount: goals.roles.length + goals.messages.length + goals.states.length + goals.sometimes.length,
    runs: counted,
  };
}

/**
 * The first run, in the given order, by which every goal the whole list reaches had been reached:
 * `--until-covered` reports it so the answer does not depend on which worker finished first.
 */
export function coveredBy<R extends { readonly coverage?: CoverageCounts }>(
  goals: CoverageGoals,
  runs: readonly R[],
): R | undefined {
  const target = unreachedGoals(goals, sweepCoverage(goals, runs).totals).length;
  const totals = emptyCoverageTotals();
  for (const run of runs) {
    if (run.coverage) addCoverage(totals, run.coverage);
    if (unreachedGoals(goals, totals).length === target) return run;
  }
  return undefined;
}

/** The lines a summary prints: goals reached, what was never reached, and faults by the role they hit. */
export function coverageLines(coverage: SweepCoverage): string[] {
  if (coverage.runs === 0) return [];
  const lines: string[] = [];
  const reached = coverage.goalCount - coverage.unreached.length;
  const head = `coverage   ${reached} of ${coverage.goalCount} declared goals reached in ${coverage.runs.toLocaleString('en-US')} runs`;
  lines.push(coverage.unreached.length === 0 ? style.green(head) : style.yellow(head));
  if (coverage.unreached.length > 0) lines.push(style.yellow(`  never reached: ${coverage.unreached.join(', ')}`));
  const faults = Object.entries(coverage.totals.faults)
    .filter(([key]) => !/^(heal|restart|resume)@/.test(key))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, count]) => `${key} ${count.toLocaleString('en-US')}`);
  if (faults.length > 0) lines.push(style.dim(`  faults by role: ${faults.join(', ')}`));
  const states = coverage.goals.states.map(
    (name) => `${name} ${(coverage.totals.states[name] ?? 0).toLocaleString('en-US')}`,
  );
  if (states.length > 0) lines.push(style.dim(`  declared states (steps held): ${states.join(', ')}`));
  return lines;
}
