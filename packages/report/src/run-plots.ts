import type { ElementNode } from './element-tree.ts';
import { formatMicros } from './format.ts';
import { barsOverTime, horizontalBars, lanes, PLOT_COLORS, scatterOverTime, type Band } from './plots.ts';
import { latencies, throughput, type RunFacts } from './run-facts.ts';

const OUTCOME_COLORS: Record<string, string> = {
  ok: PLOT_COLORS.ok,
  fail: PLOT_COLORS.fail,
  info: PLOT_COLORS.info,
  pending: PLOT_COLORS.pending,
};

/** Fault periods as shaded bands: crashes and pauses red, partitions and network faults amber. */
export function faultBands(facts: RunFacts): Band[] {
  return facts.faultPeriods.map((period) => ({
    from: period.from,
    to: period.to,
    color: period.kind === 'crash' || period.kind === 'pause' ? PLOT_COLORS.crash : PLOT_COLORS.fault,
    label: period.label,
  }));
}

/** Every plot that applies to this run, in reading order; plots with nothing to show are left out. */
export function runPlots(facts: RunFacts): Array<{ readonly id: string; readonly plot: ElementNode }> {
  const plots: Array<{ id: string; plot: ElementNode }> = [];
  const bands = faultBands(facts);
  const markers = facts.violations.map((violation) => ({
    at: violation.time,
    color: PLOT_COLORS.violation,
    label: `${violation.invariant}: ${violation.message}`,
  }));
  const points = latencies(facts);
  if (points.length) {
    plots.push({
      id: 'latency',
      plot: scatterOverTime({
        title: 'Client latency over time',
        note: 'each operation at its invocation · shaded: faults · red lines: violations',
        endMicros: facts.endMicros,
        bands,
        markers,
        points: points.map((point) => ({
          at: point.at,
          value: point.micros,
          color: OUTCOME_COLORS[point.type] ?? PLOT_COLORS.dim,
          label: `${point.type} after ${formatMicros(point.micros)} (invoked at ${formatMicros(point.at)})`,
        })),
      }),
    });
    const buckets = throughput(facts);
    const width = buckets[0] ? buckets[0].to - buckets[0].from : 1;
    plots.push({
      id: 'throughput',
      plot: barsOverTime({
        title: 'Throughput: successful operations over time',
        note: `per ${formatMicros(width)} · shaded: faults`,
        endMicros: facts.endMicros,
        bands,
        color: PLOT_COLORS.ok,
        buckets: buckets.map((bucket) => ({
          from: bucket.from,
          to: bucket.to,
          value: bucket.ok,
          label: `${bucket.ok} ok, ${bucket.other} fail/info, ${formatMicros(bucket.from)}–${formatMicros(bucket.to)}`,
        })),
      }),
    });
  }
  if (facts.nodes.length) {
    plots.push({
      id: 'availability',
      plot: lanes({
        title: 'Availability per node',
        note: 'red: crashed · amber: paused',
        endMicros: facts.endMicros,
        rows: facts.availability.map((row) => ({
          label: row.node,
          summary: `${(row.fraction * 100).toFixed(1)}% up`,
          periods: facts.faultPeriods
            .filter((period) => period.node === row.node)
            .map((period) => ({
              from: period.from,
              to: period.to,
              color: period.kind === 'crash' ? PLOT_COLORS.crash : PLOT_COLORS.info,
              label: period.label,
            })),
        })),
      }),
    });
  }
  if (facts.leadership) {
    const { leaderless, leaderlessMicros, changes } = facts.leadership;
    plots.push({
      id: 'leaderless',
      plot: lanes({
        title: 'Time without a leader',
        note: `${formatMicros(leaderlessMicros)} in all · ${changes} leadership change${changes === 1 ? '' : 's'}`,
        endMicros: facts.endMicros,
        rows: [
          {
            label: 'no leader',
            summary: formatMicros(leaderlessMicros),
            periods: leaderless.map((period) => ({ ...period, color: PLOT_COLORS.leaderless, label: 'no leader' })),
          },
          {
            label: 'faults',
            periods: bands.map((band) => ({ ...band })),
          },
        ],
      }),
    });
    if (leaderless.length)
      plots.push({
        id: 'elections',
        plot: horizontalBars({
          title: 'Election time: each stretch without a leader',
          bars: leaderless.map((period) => ({
            label: `at ${formatMicros(period.from)}`,
            value: period.to - period.from,
            text: formatMicros(period.to - period.from),
            color: PLOT_COLORS.leaderless,
          })),
        }),
      });
  }
  if (facts.blocked) {
    plots.push({
      id: 'blocked',
      plot: lanes({
        title: 'Blocked or frozen time per participant',
        note: 'in doubt holding locks (2PC/3PC), resources frozen (TCC)',
        endMicros: facts.endMicros,
        rows: facts.blocked.map((row) => ({
          label: row.node,
          summary: formatMicros(row.micros),
          periods: row.periods.map((period) => ({
            ...period,
            color: PLOT_COLORS.blocked,
            label: `${row.node} blocked`,
          })),
        })),
      }),
    });
  }
  if (facts.suspicions) {
    plots.push({
      id: 'suspicions',
      plot: lanes({
        title: 'Suspicion: who suspects whom, and for how long',
        endMicros: facts.endMicros,
        rows: facts.suspicions.map((row) => ({
          label: `${row.observer} → ${row.node}`,
          summary: formatMicros(row.periods.reduce((sum, period) => sum + period.to - period.from, 0)),
          periods: row.periods.map((period) => ({
            ...period,
            color: PLOT_COLORS.suspect,
            label: `${row.observer} suspects ${row.node}`,
          })),
        })),
      }),
    });
  }
  return plots;
}
