import { formatMicros, type Micros, type RunResult, type TraceEvent } from '@dsim/core';

/** What a style may remember across events: the text of each send (for drops) and the last value per key. */
export interface GoldenMemory {
  /** `from->to desc` of every send so far, by message id. */
  readonly sends: ReadonlyMap<number, string>;
  /** True when `value` differs from the last value remembered under `key` (and remembers it). */
  changed(key: string, value: string): boolean;
  forget(key: string): void;
}

type Formatter<K extends TraceEvent['k']> = (
  event: Extract<TraceEvent, { k: K }>,
  memory: GoldenMemory,
) => string | undefined;

/**
 * How a golden trace renders a run: the time column, one formatter per event kind (an event kind
 * without one, or a formatter returning undefined, leaves no line), an optional cap on lines and
 * an optional last line.
 */
export interface GoldenStyle {
  readonly time: (micros: Micros) => string;
  readonly events: { readonly [K in TraceEvent['k']]?: Formatter<K> };
  readonly maxLines?: number;
  readonly footer?: (result: RunResult) => string;
}

const micros9 = (t: Micros) => formatMicros(t).padStart(9);
const violation: Formatter<'violation'> = (event) => `VIOLATION ${event.invariant}: ${event.message}`;

/**
 * The default: every send, drop, timer, fault, restart, note and client operation, in etcd raft's
 * testdata spirit (`   8ms c->p1 Commit tx=1`). Deliveries are left out: a send that is not
 * dropped is delivered. `hideTimers` leaves out pacing timers that only add noise. A long run
 * keeps its first `maxLines` lines (default 400) and ends with its trace hash.
 */
export function compactStyle(
  options: { readonly hideTimers?: readonly string[]; readonly maxLines?: number } = {},
): GoldenStyle {
  const hidden = new Set(options.hideTimers ?? []);
  return {
    time: micros9,
    maxLines: options.maxLines ?? 400,
    events: {
      send: (event) => `${event.from}->${event.to} ${event.desc}`,
      drop: (event, memory) => `DROP ${memory.sends.get(event.id) ?? `#${event.id}`} (${event.reason})`,
      timer: (event) => (hidden.has(event.name) ? undefined : `${event.node} timer ${event.name}`),
      fault: (event) => `FAULT ${event.desc}`,
      init: (event) => (event.restart ? `${event.node} restarts` : undefined),
      note: (event) => `${event.node ? `${event.node}: ` : ''}${event.text}`,
      invoke: (event) => `${event.client} invokes ${JSON.stringify((event.op as { value?: unknown }).value)}`,
      complete: (event) => `${event.client} ${event.type}${event.error ? ` (${event.error})` : ''}`,
      violation,
      end: (event) => `END ${event.reason}`,
    },
  };
}

/**
 * The story of a run for protocols with roles and terms: faults, role changes, the messages that
 * matter, client outcomes and violations, leaving out steady chatter (`hideSend`, `hideNote`).
 * The last line carries the trace hash, so any change to the run shows in the diff.
 */
export function storyStyle(options: {
  readonly hideSend?: (desc: string) => boolean;
  readonly hideNote?: (text: string) => boolean;
  /** The role a node summary shows ('leader t=3'), and what to print beside a change of it. */
  readonly role: (summary: Record<string, unknown>) => string;
  readonly detail?: (summary: Record<string, unknown>) => string;
  readonly maxLines?: number;
}): GoldenStyle {
  return {
    time: micros9,
    maxLines: options.maxLines ?? 500,
    events: {
      send: (event) => (options.hideSend?.(event.desc) ? undefined : `${event.from}->${event.to} ${event.desc}`),
      fault: (event) => `fault: ${event.desc}`,
      state: (event, memory) => {
        const summary = event.summary as Record<string, unknown>;
        const role = options.role(summary);
        if (!memory.changed(`role:${event.node}`, role)) return undefined;
        return `${event.node} is ${role}${options.detail ? ` ${options.detail(summary)}` : ''}`;
      },
      init: (event, memory) => {
        if (!event.restart) return undefined;
        memory.forget(`role:${event.node}`);
        return `${event.node} restarts`;
      },
      note: (event) => (event.node && !options.hideNote?.(event.text) ? `note: ${event.text}` : undefined),
      complete: (event) =>
        `${event.client} ${event.type}${event.value !== undefined ? ` ${JSON.stringify(event.value)}` : ''}${event.error ? ` (${event.error})` : ''}`,
      violation,
      error: (event) => `ERROR ${event.message}`,
    },
    footer: endLine,
  };
}

/** The last line of a story, or of any rendering that left lines out: the trace hash covers them. */
const endLine = (result: RunResult) =>
  `end ${result.endReason} at ${formatMicros(result.endTime)}, ${result.stats.events} events, trace hash ${result.hash}`;

/**
 * For protocols whose story is in their notes (failure detectors): faults, node notes, drops and
 * violations, on a seconds clock, and the message totals at the end.
 */
export function notesStyle(): GoldenStyle {
  return {
    time: (t) => `${(t / 1e6).toFixed(3)}s`.padStart(8),
    events: {
      fault: (event) => `!! ${event.desc}`,
      note: (event) => (event.node ? `${event.node}: ${event.text}` : undefined),
      drop: (event) => `${event.from}->${event.to} dropped (${event.reason})`,
      violation,
      end: (event) =>
        `end (${event.reason}) sent=${event.stats.messagesSent} delivered=${event.stats.messagesDelivered}`,
    },
  };
}

/** Renders a run (traced in 'memory' mode) in a style: one line per event the style keeps. */
export function renderGolden(result: RunResult, style: GoldenStyle = compactStyle()): string {
  if (result.trace.length === 0)
    throw new Error("renderGolden needs the run's trace: run it with { trace: 'memory' } (the default)");
  const sends = new Map<number, string>();
  const last = new Map<string, string>();
  const memory: GoldenMemory = {
    sends,
    changed(key, value) {
      if (last.get(key) === value) return false;
      last.set(key, value);
      return true;
    },
    forget: (key) => void last.delete(key),
  };
  const maxLines = style.maxLines ?? Infinity;
  const lines: string[] = [];
  let omitted = 0;
  for (const line of result.trace.slice(1)) {
    const event = JSON.parse(line) as TraceEvent;
    if (event.k === 'send') sends.set(event.id, `${event.from}->${event.to} ${event.desc}`);
    const format = style.events[event.k] as Formatter<typeof event.k> | undefined;
    const text = format?.(event as never, memory);
    if (text === undefined) continue;
    if (lines.length < maxLines) lines.push(`${style.time(event.t)} ${text}`);
    else omitted++;
  }
  if (omitted > 0) lines.push(`... ${omitted} more lines`);
  if (style.footer) lines.push(style.footer(result));
  else if (omitted > 0) lines.push(endLine(result));
  return `${lines.join('\n')}\n`;
}
