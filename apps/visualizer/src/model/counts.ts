import type { TraceEvent } from '@dsim/core';
import { formatCount } from './describe.ts';
import type { TraceModel } from './trace-model.ts';

/**
 * What a run's size is counted in, as `dsim run` counts it: `events` are the kernel's events (a
 * delivery, a timer, a fault, a client call: RunStats.events, written on the end line), `lines`
 * are the trace file's lines, the header included. One event writes several lines (a delivery
 * that sends writes the deliver, the sends, the state summary and the view change), so Figure 8's
 * bug run is 33,139 events in 66,559 lines. A trace cut short has no end line: only its lines count.
 */
export interface TraceCounts {
  readonly events: number | undefined;
  readonly lines: number;
}

export function traceCounts(model: TraceModel): TraceCounts {
  const last = model.events[model.events.length - 1] as TraceEvent | undefined;
  const stats = last?.k === 'end' ? (last.stats as { events?: unknown } | undefined) : undefined;
  const events = typeof stats?.events === 'number' && Number.isSafeInteger(stats.events) ? stats.events : undefined;
  return { events, lines: model.events.length + (model.header ? 1 : 0) };
}

/** The header's count: '33,139 events · 66,559 trace lines', or the lines alone without an end line. */
export function countsLabel(counts: TraceCounts): string {
  const lines = `${formatCount(counts.lines)} trace lines`;
  return counts.events === undefined ? lines : `${formatCount(counts.events)} events · ${lines}`;
}
