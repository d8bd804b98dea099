import { formatMicros, type Micros } from '@dsim/core';

/**
 * Summary figures of a range's trials. An unfinished trial counts as longer than any finished
 * one, so the quantiles stay honest when some trials never elect a leader (they read Infinity);
 * the mean is over finished trials only.
 */
export interface LeaderlessStats {
  readonly min: Micros;
  readonly median: Micros;
  readonly mean: Micros;
  readonly p90: Micros;
  readonly p99: Micros;
  readonly max: Micros;
}

/** `samples`: microseconds per trial, Infinity for a trial that did not finish. */
export function leaderlessStats(samples: readonly Micros[]): LeaderlessStats {
  const sorted = [...samples].sort((a, b) => a - b);
  const finished = sorted.filter(Number.isFinite);
  // The nearest-rank quantile: the smallest sample with at least q of the samples at or below it.
  const quantile = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
  return {
    min: sorted[0] ?? NaN,
    median: quantile(0.5),
    mean: finished.length === 0 ? NaN : Math.round(finished.reduce((sum, sample) => sum + sample, 0) / finished.length),
    p90: quantile(0.9),
    p99: quantile(0.99),
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

/** A cumulative-distribution plot, one curve per range, time on a logarithmic axis. */
export function cdfSvg(curves: ReadonlyArray<{ readonly label: string; readonly samples: readonly Micros[] }>): string {
  const width = 720;
  const height = 420;
  const left = 60;
  const right = 190;
  const top = 20;
  const bottom = 50;
  const finite = curves.flatMap((curve) => curve.samples.filter(Number.isFinite));
  if (finite.length === 0) finite.push(1_000, 1_000_000);
  const lo = Math.pow(10, Math.floor(Math.log10(Math.max(1, Math.min(...finite)))));
  const hi = Math.max(lo * 10, Math.pow(10, Math.ceil(Math.log10(Math.max(...finite)))));
  const x = (micros: number) =>
    left + ((Math.log10(micros) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * (width - left - right);
  const y = (fraction: number) => top + (1 - fraction) * (height - top - bottom);
  const colours = [
    '#1f77b4',
    '#ff7f0e',
    '#2ca02c',
    '#d62728',
    '#9467bd',
    '#8c564b',
    '#e377c2',
    '#7f7f7f',
    '#bcbd22',
    '#17becf',
  ];
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
  for (const fraction of [0, 0.25, 0.5, 0.75, 1])
    parts.push(`<text x="${left - 6}" y="${y(fraction) + 4}" text-anchor="end">${fraction * 100}%</text>`);
  parts.push(
    `<text x="${(left + width - right) / 2}" y="${height - 10}" text-anchor="middle">time without a leader (crash until every live server heard the new leader)</text>`,
  );
  curves.forEach((curve, i) => {
    const colour = colours[i % colours.length]!;
    const sorted = curve.samples.filter(Number.isFinite).sort((a, b) => a - b);
    const label = `${curve.label}${sorted.length === 0 ? ' (none finished)' : ''}`;
    parts.push(
      `<line x1="${width - right + 15}" y1="${top + 10 + i * 18}" x2="${width - right + 35}" y2="${top + 10 + i * 18}" stroke="${colour}" stroke-width="2"/>`,
    );
    parts.push(`<text x="${width - right + 40}" y="${top + 14 + i * 18}">${label}</text>`);
    if (sorted.length === 0) return;
    // Unfinished trials stay in the denominator: a curve that never reaches 100% did not finish them all.
    const total = curve.samples.length;
    const points = [`${x(sorted[0]!)},${y(0)}`];
    sorted.forEach((sample, k) => points.push(`${x(sample)},${y(k / total)}`, `${x(sample)},${y((k + 1) / total)}`));
    parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="1.5" points="${points.join(' ')}"/>`);
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
