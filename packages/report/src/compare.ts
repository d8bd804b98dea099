import type { ParsedTrace, TraceEvent } from '@dsim/core';
import { h, type ElementNode } from './element-tree.ts';
import { formatMicros } from './format.ts';
import { PLOT_COLORS } from './plots.ts';
import { runFacts, type RunFacts } from './run-facts.ts';
import { scaleLinear } from 'd3-scale';

/** Where two runs part: the first event that differs, with each side's event (absent when one run ended). */
export interface Divergence {
  /** Index into both runs' events. */
  readonly index: number;
  readonly time: number;
  readonly a?: TraceEvent;
  readonly b?: TraceEvent;
}

/**
 * The first event at which two traces differ, or undefined when their events are identical. Two
 * runs of one scenario and seed replay identically up to a fork's first fault, so this is where a
 * fork, a bug switch or a code change first shows.
 */
export function firstDivergence(a: ParsedTrace, b: ParsedTrace): Divergence | undefined {
  const length = Math.max(a.events.length, b.events.length);
  for (let i = 0; i < length; i++) {
    const left = a.events[i];
    const right = b.events[i];
    if (left && right && JSON.stringify(left) === JSON.stringify(right)) continue;
    const time = Math.min(left?.t ?? Infinity, right?.t ?? Infinity);
    return { index: i, time, ...(left ? { a: left } : {}), ...(right ? { b: right } : {}) };
  }
  return undefined;
}

/** An event in one line, for the divergence's caption. */
export function describeTraceEvent(event: TraceEvent | undefined): string {
  if (!event) return '(the run has ended)';
  const { t, k, ...rest } = event as unknown as Record<string, unknown>;
  if (k === 'send') return `${String(rest.from)} → ${String(rest.to)} ${String(rest.desc ?? '')}`;
  if (k === 'fault') return `fault: ${String(rest.desc ?? JSON.stringify(rest.fault))}`;
  if (k === 'state') return `${String(rest.node)} is ${JSON.stringify(rest.summary)}`;
  const text = JSON.stringify(rest);
  return `${String(k)} ${text.length > 90 ? `${text.slice(0, 89)}…` : text} at ${formatMicros(Number(t))}`;
}

/**
 * Two runs on one time axis, one above the other: per node, the event density over time, crash
 * and pause stretches, partitions, violations, and the first divergent event as a line across both.
 */
export function comparePlot(
  a: ParsedTrace,
  b: ParsedTrace,
  labels: readonly [string, string] = ['A', 'B'],
): { plot: ElementNode; divergence: Divergence | undefined } {
  const facts: [RunFacts, RunFacts] = [runFacts(a), runFacts(b)];
  const divergence = firstDivergence(a, b);
  const end = Math.max(facts[0].endMicros, facts[1].endMicros);
  const width = 760;
  const left = 90;
  const right = width - 12;
  const laneHeight = 14;
  const x = scaleLinear().domain([0, end]).range([left, right]);
  const buckets = Math.floor(right - left);
  const children: ElementNode[] = [];
  let y = 30;
  const sides = [a, b] as const;
  for (let side = 0; side < 2; side++) {
    const trace = sides[side]!;
    const fact = facts[side]!;
    children.push(
      h('text', { x: 4, y: y + 10, fill: PLOT_COLORS.text, 'font-weight': 600 }, `${labels[side]}: ${fact.scenario}`),
    );
    y += 16;
    const nodeIndex = new Map(fact.nodes.map((node, i) => [node, i]));
    const counts = fact.nodes.map(() => new Uint32Array(buckets));
    for (const event of trace.events) {
      const record = event as unknown as { node?: unknown; from?: unknown };
      const node =
        typeof record.node === 'string' ? record.node : typeof record.from === 'string' ? record.from : undefined;
      const row = node === undefined ? undefined : nodeIndex.get(node);
      if (row === undefined) continue;
      counts[row]![Math.min(buckets - 1, Math.floor(((x(event.t) - left) / (right - left)) * buckets))]!++;
    }
    fact.nodes.forEach((node, row) => {
      const top = y + row * laneHeight;
      children.push(
        h('rect', { x: left, y: top, width: right - left, height: laneHeight - 3, fill: PLOT_COLORS.grid }),
        h('text', { x: left - 6, y: top + 10, fill: PLOT_COLORS.dim, 'text-anchor': 'end' }, node),
      );
      for (const period of fact.faultPeriods)
        if (period.node === node)
          children.push(
            h(
              'rect',
              {
                x: x(period.from),
                y: top,
                width: Math.max(1, x(period.to) - x(period.from)),
                height: laneHeight - 3,
                fill: period.kind === 'crash' ? PLOT_COLORS.crash : PLOT_COLORS.info,
                'fill-opacity': 0.35,
              },
              h('title', {}, period.label),
            ),
          );
      const lane = counts[row]!;
      let max = 1;
      for (const count of lane) if (count > max) max = count;
      for (let bucket = 0; bucket < buckets; bucket++) {
        if (lane[bucket] === 0) continue;
        const barHeight = Math.max(1, ((laneHeight - 3) * Math.sqrt(lane[bucket]!)) / Math.sqrt(max));
        children.push(
          h('rect', {
            x: left + bucket,
            y: top + laneHeight - 3 - barHeight,
            width: 1,
            height: barHeight,
            fill: PLOT_COLORS.bar,
          }),
        );
      }
    });
    const height = fact.nodes.length * laneHeight;
    for (const period of fact.faultPeriods)
      if (period.kind === 'partition' || period.kind === 'network')
        children.push(
          h(
            'rect',
            {
              x: x(period.from),
              y: y - 3,
              width: Math.max(1, x(period.to) - x(period.from)),
              height: 2,
              fill: PLOT_COLORS.fault,
            },
            h('title', {}, period.label),
          ),
        );
    for (const violation of fact.violations)
      children.push(
        h(
          'line',
          {
            x1: x(violation.time),
            x2: x(violation.time),
            y1: y,
            y2: y + height,
            stroke: PLOT_COLORS.violation,
            'stroke-width': 1.5,
          },
          h('title', {}, `${violation.invariant}: ${violation.message}`),
        ),
      );
    y += height + 14;
  }
  if (divergence) {
    const dx = x(Math.min(end, divergence.time));
    children.push(
      h(
        'line',
        {
          x1: dx,
          x2: dx,
          y1: 24,
          y2: y - 10,
          stroke: '#ffffff',
          'stroke-width': 1.5,
          'stroke-dasharray': '4 3',
          class: 'divergence',
        },
        h('title', {}, `first divergent event #${divergence.index + 1} at ${formatMicros(divergence.time)}`),
      ),
      h(
        'text',
        { x: Math.min(dx + 4, right - 150), y: 20, fill: '#ffffff' },
        `diverges at ${formatMicros(divergence.time)}`,
      ),
    );
  }
  const axis = scaleLinear().domain([0, end]);
  for (const tick of axis.ticks(8))
    children.push(
      h('text', { x: x(tick), y: y + 2, fill: PLOT_COLORS.dim, 'text-anchor': 'middle' }, formatMicros(tick)),
    );
  const height = y + 10;
  const title = divergence
    ? `The runs diverge at event #${divergence.index + 1} (${formatMicros(divergence.time)})`
    : 'The runs are identical';
  const plot = h(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      viewBox: `0 0 ${width} ${height}`,
      width,
      height,
      class: 'plot compare',
      role: 'img',
      'aria-label': title,
      'font-family': 'system-ui, sans-serif',
      'font-size': 11,
    },
    h('title', {}, title),
    ...children,
  );
  return { plot, divergence };
}
