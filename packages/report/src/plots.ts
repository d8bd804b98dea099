import { scaleLinear } from 'd3-scale';
import { h, type ElementNode, type TreeChild } from './element-tree.ts';
import { formatMicros } from './format.ts';

/**
 * Charts as element trees (see element-tree.ts): the same tree is an SVG string in a report file
 * and SVG nodes in the app. Colours read on the dark background both use.
 */
export const PLOT_COLORS = {
  text: '#d6dde6',
  dim: '#8793a3',
  grid: '#26303b',
  ok: '#7cc58a',
  fail: '#ef6f6c',
  info: '#e5c07b',
  pending: '#8793a3',
  fault: '#e0a458',
  crash: '#ff6b6b',
  violation: '#ff5f6d',
  bar: '#7fb4e6',
  blocked: '#f08a3c',
  leaderless: '#c08fe0',
  suspect: '#e05fa0',
} as const;

export interface Band {
  readonly from: number;
  readonly to: number;
  readonly color: string;
  readonly label: string;
}

const WIDTH = 720;
const MARGIN = { top: 26, right: 14, bottom: 24, left: 64 };

function frame(title: string, height: number, note?: string): { svg: (...children: TreeChild[]) => ElementNode } {
  return {
    svg: (...children) =>
      h(
        'svg',
        {
          xmlns: 'http://www.w3.org/2000/svg',
          viewBox: `0 0 ${WIDTH} ${height}`,
          width: WIDTH,
          height,
          class: 'plot',
          role: 'img',
          'aria-label': title,
          'font-family': 'system-ui, sans-serif',
          'font-size': 11,
        },
        h('title', {}, title),
        h('text', { x: 4, y: 15, fill: PLOT_COLORS.text, 'font-size': 12.5, 'font-weight': 600 }, title),
        note ? h('text', { x: WIDTH - 4, y: 15, fill: PLOT_COLORS.dim, 'text-anchor': 'end' }, note) : undefined,
        ...children,
      ),
  };
}

function timeAxis(x: (value: number) => number, domainEnd: number, y: number): ElementNode[] {
  const scale = scaleLinear().domain([0, domainEnd]);
  return scale
    .ticks(7)
    .map((tick) =>
      h(
        'g',
        {},
        h('line', { x1: x(tick), x2: x(tick), y1: y, y2: y + 4, stroke: PLOT_COLORS.dim }),
        h('text', { x: x(tick), y: y + 15, fill: PLOT_COLORS.dim, 'text-anchor': 'middle' }, formatMicros(tick)),
      ),
    );
}

function bandRects(bands: readonly Band[], x: (value: number) => number, top: number, height: number): ElementNode[] {
  return bands.map((band) =>
    h(
      'rect',
      {
        x: x(band.from),
        y: top,
        width: Math.max(1, x(band.to) - x(band.from)),
        height,
        fill: band.color,
        'fill-opacity': 0.16,
      },
      h('title', {}, `${band.label}: ${formatMicros(band.from)}–${formatMicros(band.to)}`),
    ),
  );
}

/** Points over time (e.g. each operation's latency at its invocation), fault periods shaded behind. */
export function scatterOverTime(options: {
  readonly title: string;
  readonly endMicros: number;
  readonly points: ReadonlyArray<{
    readonly at: number;
    readonly value: number;
    readonly color: string;
    readonly label: string;
  }>;
  readonly bands?: readonly Band[];
  readonly markers?: ReadonlyArray<{ readonly at: number; readonly color: string; readonly label: string }>;
  readonly formatValue?: (value: number) => string;
  readonly note?: string;
}): ElementNode {
  const height = 220;
  const format = options.formatValue ?? formatMicros;
  const max = Math.max(1, ...options.points.map((point) => point.value));
  const x = scaleLinear()
    .domain([0, options.endMicros])
    .range([MARGIN.left, WIDTH - MARGIN.right]);
  const y = scaleLinear()
    .domain([0, max])
    .nice()
    .range([height - MARGIN.bottom, MARGIN.top]);
  const bottom = height - MARGIN.bottom;
  return frame(options.title, height, options.note).svg(
    ...bandRects(options.bands ?? [], x, MARGIN.top, bottom - MARGIN.top),
    ...y
      .ticks(4)
      .map((tick) =>
        h(
          'g',
          {},
          h('line', { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y(tick), y2: y(tick), stroke: PLOT_COLORS.grid }),
          h('text', { x: MARGIN.left - 6, y: y(tick) + 4, fill: PLOT_COLORS.dim, 'text-anchor': 'end' }, format(tick)),
        ),
      ),
    ...(options.markers ?? []).map((marker) =>
      h(
        'line',
        { x1: x(marker.at), x2: x(marker.at), y1: MARGIN.top, y2: bottom, stroke: marker.color, 'stroke-width': 1.5 },
        h('title', {}, marker.label),
      ),
    ),
    ...options.points.map((point) =>
      h('circle', { cx: x(point.at), cy: y(point.value), r: 2.6, fill: point.color }, h('title', {}, point.label)),
    ),
    ...timeAxis(x, options.endMicros, bottom),
  );
}

/** Counts per stretch of time as bars (e.g. completions per bucket), fault periods shaded behind. */
export function barsOverTime(options: {
  readonly title: string;
  readonly endMicros: number;
  readonly buckets: ReadonlyArray<{
    readonly from: number;
    readonly to: number;
    readonly value: number;
    readonly label: string;
  }>;
  readonly bands?: readonly Band[];
  readonly color?: string;
  readonly note?: string;
}): ElementNode {
  const height = 180;
  const max = Math.max(1, ...options.buckets.map((bucket) => bucket.value));
  const x = scaleLinear()
    .domain([0, options.endMicros])
    .range([MARGIN.left, WIDTH - MARGIN.right]);
  const y = scaleLinear()
    .domain([0, max])
    .nice()
    .range([height - MARGIN.bottom, MARGIN.top]);
  const bottom = height - MARGIN.bottom;
  return frame(options.title, height, options.note).svg(
    ...bandRects(options.bands ?? [], x, MARGIN.top, bottom - MARGIN.top),
    ...y
      .ticks(3)
      .map((tick) =>
        h(
          'g',
          {},
          h('line', { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y(tick), y2: y(tick), stroke: PLOT_COLORS.grid }),
          h('text', { x: MARGIN.left - 6, y: y(tick) + 4, fill: PLOT_COLORS.dim, 'text-anchor': 'end' }, String(tick)),
        ),
      ),
    ...options.buckets.map((bucket) =>
      h(
        'rect',
        {
          x: x(bucket.from) + 0.5,
          y: y(bucket.value),
          width: Math.max(1, x(bucket.to) - x(bucket.from) - 1),
          height: bottom - y(bucket.value),
          fill: options.color ?? PLOT_COLORS.bar,
        },
        h('title', {}, bucket.label),
      ),
    ),
    ...timeAxis(x, options.endMicros, bottom),
  );
}

/** One lane per row with coloured stretches (crashes, leaderless time, blocked time, suspicions). */
export function lanes(options: {
  readonly title: string;
  readonly endMicros: number;
  readonly rows: ReadonlyArray<{
    readonly label: string;
    readonly summary?: string;
    readonly periods: ReadonlyArray<{
      readonly from: number;
      readonly to: number;
      readonly color: string;
      readonly label: string;
    }>;
  }>;
  readonly note?: string;
}): ElementNode {
  const laneHeight = 18;
  const height = MARGIN.top + options.rows.length * laneHeight + MARGIN.bottom + 4;
  const right = WIDTH - MARGIN.right - 70;
  const x = scaleLinear().domain([0, options.endMicros]).range([MARGIN.left, right]);
  const bottom = MARGIN.top + options.rows.length * laneHeight + 4;
  return frame(options.title, height, options.note).svg(
    ...options.rows.map((row, i) => {
      const top = MARGIN.top + i * laneHeight + 2;
      return h(
        'g',
        {},
        h('rect', {
          x: MARGIN.left,
          y: top,
          width: right - MARGIN.left,
          height: laneHeight - 4,
          fill: PLOT_COLORS.grid,
        }),
        h('text', { x: MARGIN.left - 6, y: top + 11, fill: PLOT_COLORS.text, 'text-anchor': 'end' }, row.label),
        ...row.periods.map((period) =>
          h(
            'rect',
            {
              x: x(period.from),
              y: top,
              width: Math.max(1.5, x(period.to) - x(period.from)),
              height: laneHeight - 4,
              fill: period.color,
              'fill-opacity': 0.85,
            },
            h(
              'title',
              {},
              `${period.label}: ${formatMicros(period.from)}–${formatMicros(period.to)} (${formatMicros(period.to - period.from)})`,
            ),
          ),
        ),
        row.summary !== undefined
          ? h('text', { x: right + 6, y: top + 11, fill: PLOT_COLORS.dim }, row.summary)
          : undefined,
      );
    }),
    ...timeAxis(x, options.endMicros, bottom),
  );
}

/** Horizontal bars, one per label (e.g. availability per node). */
export function horizontalBars(options: {
  readonly title: string;
  readonly bars: ReadonlyArray<{
    readonly label: string;
    readonly value: number;
    readonly text: string;
    readonly color?: string;
  }>;
  readonly max?: number;
  readonly note?: string;
}): ElementNode {
  const barHeight = 16;
  const height = MARGIN.top + options.bars.length * barHeight + 8;
  const max = options.max ?? Math.max(1e-9, ...options.bars.map((bar) => bar.value));
  const right = WIDTH - MARGIN.right - 90;
  const x = scaleLinear().domain([0, max]).range([MARGIN.left, right]);
  return frame(options.title, height, options.note).svg(
    ...options.bars.map((bar, i) => {
      const top = MARGIN.top + i * barHeight;
      return h(
        'g',
        {},
        h('text', { x: MARGIN.left - 6, y: top + 11, fill: PLOT_COLORS.text, 'text-anchor': 'end' }, bar.label),
        h('rect', {
          x: MARGIN.left,
          y: top + 1,
          width: right - MARGIN.left,
          height: barHeight - 4,
          fill: PLOT_COLORS.grid,
        }),
        h('rect', {
          x: MARGIN.left,
          y: top + 1,
          width: Math.max(0, x(bar.value) - MARGIN.left),
          height: barHeight - 4,
          fill: bar.color ?? PLOT_COLORS.bar,
        }),
        h('text', { x: right + 6, y: top + 11, fill: PLOT_COLORS.dim }, bar.text),
      );
    }),
  );
}

/** A histogram of values (e.g. events per seed across a sweep). */
export function histogram(options: {
  readonly title: string;
  readonly values: readonly number[];
  readonly format: (value: number) => string;
  readonly bins?: number;
  readonly color?: string;
}): ElementNode {
  const height = 170;
  const values = options.values;
  const min = Math.min(...values);
  const max = Math.max(...values);
  // Every run alike (a scripted scenario's events, say): one bar, labelled with the one value.
  const bins = max === min ? 1 : (options.bins ?? Math.min(30, Math.max(1, Math.ceil(Math.sqrt(values.length)))));
  const width = max > min ? (max - min) / bins : 1;
  const counts = new Array<number>(bins).fill(0);
  for (const value of values) counts[Math.min(bins - 1, Math.floor((value - min) / width))]!++;
  const x = scaleLinear()
    .domain(max > min ? [min, max] : [min - 0.5, min + 0.5])
    .range([MARGIN.left, WIDTH - MARGIN.right]);
  const y = scaleLinear()
    .domain([0, Math.max(1, ...counts)])
    .nice()
    .range([height - MARGIN.bottom, MARGIN.top]);
  const bottom = height - MARGIN.bottom;
  const sorted = [...values].sort((a, b) => a - b);
  const quantile = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const note = values.length
    ? `median ${options.format(quantile(0.5))} · p99 ${options.format(quantile(0.99))} · max ${options.format(max)}`
    : 'no values';
  return frame(options.title, height, note).svg(
    ...y
      .ticks(3)
      .map((tick) =>
        h(
          'g',
          {},
          h('line', { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y(tick), y2: y(tick), stroke: PLOT_COLORS.grid }),
          h('text', { x: MARGIN.left - 6, y: y(tick) + 4, fill: PLOT_COLORS.dim, 'text-anchor': 'end' }, String(tick)),
        ),
      ),
    ...counts.map((count, i) => {
      const from = max > min ? min + i * width : min - 0.5;
      return h(
        'rect',
        {
          x: x(from) + 0.5,
          y: y(count),
          width: Math.max(1, x(from + width) - x(from) - 1),
          height: bottom - y(count),
          fill: options.color ?? PLOT_COLORS.bar,
        },
        h('title', {}, `${options.format(from)}–${options.format(from + width)}: ${count}`),
      );
    }),
    ...(max === min ? [min] : x.ticks(6)).map((tick) =>
      h('text', { x: x(tick), y: bottom + 15, fill: PLOT_COLORS.dim, 'text-anchor': 'middle' }, options.format(tick)),
    ),
  );
}
