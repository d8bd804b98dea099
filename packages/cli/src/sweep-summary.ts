import { formatMicros } from '@dsim/core';
import { style, table } from './style.ts';
import type { SeedResult } from './sweep-worker.ts';

/** A finished run as a summary sees it: the result, how to name it and how to replay it. */
export interface SummaryRun extends SeedResult {
  readonly label: string;
  readonly reproduce: string;
}

export interface SummaryInput {
  readonly runs: readonly SummaryRun[];
  readonly invariants: ReadonlyArray<{ readonly name: string; readonly kind: string }>;
  /** 'seeds', or 'runs' when each seed ran several option sets. */
  readonly unit: string;
  readonly wallMillis: number;
  /** The family's measurement report lines, if it declares any. */
  readonly measured: readonly string[];
  /** The coverage report lines (see sweep-coverage.ts). */
  readonly coverage?: readonly string[];
  /** Where every failing run is listed, for the "… n more" line. */
  readonly savedIn?: string;
  /** Some runs of the sweep did not finish (Ctrl-C, a missing shard): a pass speaks only for those that did. */
  readonly incomplete?: boolean;
}

/** Prints the verdict table, the throughput line and every failing run with its reproduce command; returns the failing count. */
export function printSummary(input: SummaryInput): number {
  const { runs, unit, wallMillis } = input;
  const failing = runs.filter((run) => !run.ok);
  const byInvariant = new Map<string, { kind: string; seeds: string[] }>();
  for (const run of failing) {
    const names = run.violations.length
      ? run.violations.map((violation) => [violation.invariant, violation.kind] as const)
      : [['(protocol error)', 'error'] as const];
    for (const [name, kind] of names) {
      const entry = byInvariant.get(name) ?? { kind, seeds: [] };
      if (!entry.seeds.includes(run.label)) entry.seeds.push(run.label);
      byInvariant.set(name, entry);
    }
  }
  const verdictRows = input.invariants.map((invariant) => {
    const entry = byInvariant.get(invariant.name);
    return [
      invariant.name,
      invariant.kind,
      entry ? style.red(`✗ ${entry.seeds.length}`) : style.green('✓ 0'),
      entry ? entry.seeds[0]! : '-',
    ];
  });
  const errors = byInvariant.get('(protocol error)');
  if (errors) verdictRows.push(['(protocol error)', 'error', style.red(`✗ ${errors.seeds.length}`), errors.seeds[0]!]);
  if (verdictRows.length > 0) {
    console.log(table(['invariant', 'kind', 'failing seeds', 'first'], verdictRows));
    console.log();
  }
  for (const line of input.measured) console.log(line);
  for (const line of input.coverage ?? []) console.log(line);
  const events = runs.reduce((sum, run) => sum + run.events, 0);
  const simulated = runs.reduce((sum, run) => sum + run.simulatedMicros, 0);
  const operations = runs.reduce((sum, run) => sum + run.operations, 0);
  const seconds = Math.max(wallMillis, 1e-3) / 1000;
  console.log(
    `${runs.length.toLocaleString('en-US')} ${unit} in ${seconds.toFixed(1)}s (${Math.round(runs.length / seconds).toLocaleString('en-US')} ${unit}/s, ${Math.round(events / seconds).toLocaleString('en-US')} events/s, ${formatMicros(Math.round(simulated))} simulated, ${operations.toLocaleString('en-US')} client operations)`,
  );
  if (failing.length === 0) {
    console.log(
      style.green(
        style.bold(
          input.incomplete
            ? `✓ every finished seed held every invariant (the sweep is incomplete)`
            : `✓ every seed held every invariant`,
        ),
      ),
    );
    return 0;
  }
  console.log(style.red(style.bold(`✗ ${failing.length} of ${runs.length} ${unit} failed`)));
  for (const run of failing.slice(0, 20)) {
    const first = run.violations[0];
    const what = first ? `${first.invariant} at ${formatMicros(first.time)}: ${first.message}` : `error: ${run.error}`;
    console.log(`  seed ${run.label.padEnd(6)} ${style.red(truncate(what, 100))}`);
    console.log(style.dim(`              ${run.reproduce}`));
  }
  if (failing.length > 20)
    console.log(
      style.dim(
        `  … ${failing.length - 20} more${input.savedIn ? ` (all in ${input.savedIn})` : ' (use --results to save them all)'}`,
      ),
    );
  return failing.length;
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}
