import { h, type ElementNode } from './element-tree.ts';
import { formatCount, formatMicros } from './format.ts';
import { htmlPage } from './html-page.ts';
import { histogram, horizontalBars, PLOT_COLORS } from './plots.ts';

/** The fields of a sweep result line (`dsim sweep --results`) the report reads; others are ignored. */
export interface SweepResultLine {
  readonly seed: number;
  readonly verdict?: 'ok' | 'violation' | 'error';
  readonly ok?: boolean;
  readonly events?: number;
  readonly simulatedMicros?: number;
  readonly wallMillis?: number;
  readonly violations?: ReadonlyArray<{ readonly invariant: string }>;
  readonly error?: string;
  readonly label?: string;
  readonly reproduce?: string;
  /** Per-seed coverage counters: how often the run reached each role, message kind or state. */
  readonly coverage?: object;
}

export interface SweepHeaderLine {
  readonly title?: string;
  readonly codeVersion?: string;
  readonly seeds?: { readonly first: number; readonly last: number };
}

/** Reads JSON Lines of a results file: the header (when present) and every result line; bad lines are named. */
export function readSweepResults(text: string): {
  header?: SweepHeaderLine;
  results: SweepResultLine[];
  problems: string[];
} {
  const results: SweepResultLine[] = [];
  const problems: string[] = [];
  let header: SweepHeaderLine | undefined;
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      problems.push(`line ${i + 1}: not valid JSON (${(error as Error).message})`);
      return;
    }
    if (typeof value !== 'object' || value === null) {
      problems.push(`line ${i + 1}: expected a JSON object`);
      return;
    }
    const record = value as Record<string, unknown>;
    if (record.format === 'dsim-sweep-results') header ??= record as SweepHeaderLine;
    else if (typeof record.seed === 'number') results.push(record as unknown as SweepResultLine);
    else problems.push(`line ${i + 1}: neither a results header nor a result line (no 'seed')`);
  });
  return { ...(header ? { header } : {}), results, problems };
}

function verdictOf(line: SweepResultLine): 'ok' | 'violation' | 'error' {
  if (line.verdict) return line.verdict;
  if (line.ok) return 'ok';
  return line.violations && line.violations.length ? 'violation' : 'error';
}

/** Numeric coverage counters per key, across the seeds that carry them. */
function coverageTable(results: readonly SweepResultLine[]): Map<string, number[]> {
  const table = new Map<string, number[]>();
  const walk = (prefix: string, value: unknown, into: Map<string, number>) => {
    if (typeof value === 'number') into.set(prefix, (into.get(prefix) ?? 0) + value);
    else if (typeof value === 'boolean') into.set(prefix, (into.get(prefix) ?? 0) + (value ? 1 : 0));
    else if (typeof value === 'object' && value !== null && !Array.isArray(value))
      for (const [key, inner] of Object.entries(value)) walk(prefix ? `${prefix}.${key}` : key, inner, into);
  };
  for (const line of results) {
    if (!line.coverage) continue;
    const seen = new Map<string, number>();
    walk('', line.coverage, seen);
    for (const [key, count] of seen) {
      const list = table.get(key);
      if (list) list.push(count);
      else table.set(key, [count]);
    }
  }
  return table;
}

export function sweepReportBody(
  header: SweepHeaderLine | undefined,
  results: readonly SweepResultLine[],
): ElementNode[] {
  const counts = { ok: 0, violation: 0, error: 0 };
  const byInvariant = new Map<string, number>();
  for (const line of results) {
    counts[verdictOf(line)]++;
    for (const violation of line.violations ?? [])
      byInvariant.set(violation.invariant, (byInvariant.get(violation.invariant) ?? 0) + 1);
  }
  const failing = results.filter((line) => verdictOf(line) !== 'ok').sort((a, b) => a.seed - b.seed);
  const numbers = (pick: (line: SweepResultLine) => number | undefined) =>
    results.map(pick).filter((value): value is number => typeof value === 'number' && Number.isFinite(value));
  const coverage = coverageTable(results);
  const withCoverage = results.filter((line) => line.coverage).length;
  const body: ElementNode[] = [
    h('h1', {}, `Sweep: ${header?.title ?? 'results'}`),
    h(
      'p',
      { class: 'sub' },
      `${formatCount(results.length)} runs${header?.seeds ? ` · seeds ${header.seeds.first}–${header.seeds.last}` : ''}${header?.codeVersion ? ` · ${header.codeVersion}` : ''} `,
      h(
        'span',
        { class: `verdict ${failing.length ? 'bad' : 'good'}` },
        failing.length ? `✗ ${failing.length} failing` : '✓ all held',
      ),
    ),
    horizontalBars({
      title: 'Verdicts',
      max: Math.max(1, results.length),
      bars: [
        { label: 'ok', value: counts.ok, text: formatCount(counts.ok), color: PLOT_COLORS.ok },
        {
          label: 'violation',
          value: counts.violation,
          text: formatCount(counts.violation),
          color: PLOT_COLORS.violation,
        },
        { label: 'error', value: counts.error, text: formatCount(counts.error), color: PLOT_COLORS.info },
      ],
    }),
  ];
  if (byInvariant.size)
    body.push(
      horizontalBars({
        title: 'Violations by invariant (runs)',
        bars: [...byInvariant]
          .sort((a, b) => b[1] - a[1])
          .map(([invariant, count]) => ({
            label: invariant.slice(0, 10),
            value: count,
            text: `${count} · ${invariant}`,
            color: PLOT_COLORS.violation,
          })),
      }),
    );
  const distributions: Array<[string, number[], (value: number) => string]> = [
    ['Events per run', numbers((line) => line.events), formatCount],
    ['Simulated time per run', numbers((line) => line.simulatedMicros), formatMicros],
    ['Wall time per run', numbers((line) => line.wallMillis), (value) => `${Math.round(value)}ms`],
  ];
  body.push(h('h2', {}, 'Distributions'));
  for (const [title, values, format] of distributions)
    if (values.length) body.push(histogram({ title, values, format }));
  if (coverage.size) {
    body.push(
      h('h2', {}, `Coverage (${formatCount(withCoverage)} of ${formatCount(results.length)} runs carry counters)`),
    );
    const rows = [...coverage].sort((a, b) => a[0].localeCompare(b[0]));
    body.push(
      horizontalBars({
        title: 'Share of runs that reached each counter at least once',
        max: 1,
        bars: rows.map(([key, values]) => {
          const reached = values.filter((value) => value > 0).length / Math.max(1, withCoverage);
          return {
            label: key.length > 10 ? `…${key.slice(-9)}` : key,
            value: reached,
            text: `${(reached * 100).toFixed(0)}% · ${key}`,
          };
        }),
      }),
    );
  }
  if (failing.length) {
    body.push(h('h2', {}, 'Failing runs'));
    body.push(
      h(
        'table',
        { id: 'failing' },
        ...failing
          .slice(0, 200)
          .map((line) =>
            h(
              'tr',
              {},
              h('td', { class: 'num' }, line.label ?? `seed ${line.seed}`),
              h(
                'td',
                {},
                verdictOf(line) === 'error'
                  ? `error: ${line.error ?? ''}`
                  : (line.violations ?? []).map((v) => v.invariant).join(', '),
              ),
              h('td', {}, line.reproduce ? h('code', {}, line.reproduce) : ''),
            ),
          ),
      ),
    );
    if (failing.length > 200)
      body.push(h('p', { class: 'sub' }, `… and ${failing.length - 200} more in the results file`));
  }
  return body;
}

/** `dsim sweep --html`: one self-contained HTML file for a sweep's results. */
export function sweepReportHtml(header: SweepHeaderLine | undefined, results: readonly SweepResultLine[]): string {
  return htmlPage(`dsim sweep report: ${header?.title ?? 'results'}`, ...sweepReportBody(header, results));
}
