import { TRACE_FORMAT, TRACE_VERSION, type TraceEvent, type TraceHeader } from './format.ts';

/** A problem found while reading a trace: where it is and what is wrong. */
export interface TraceProblem {
  /** 1-based line number in the file. */
  readonly line: number;
  readonly message: string;
}

export interface ParsedTrace {
  readonly header: TraceHeader | undefined;
  readonly events: TraceEvent[];
  /** Problems found; reading continues past a bad line so the valid part still shows. */
  readonly problems: TraceProblem[];
  /** True when the trace ends with its `end` event (false for a truncated or still-running trace). */
  readonly complete: boolean;
}

const KNOWN_KINDS = new Set([
  'init',
  'send',
  'deliver',
  'drop',
  'timer',
  'request',
  'invoke',
  'complete',
  'fault',
  'clock',
  'state',
  'view',
  'note',
  'violation',
  'error',
  'end',
]);

const REQUIRED_FIELDS: Record<string, readonly string[]> = {
  init: ['node'],
  send: ['id', 'from', 'to'],
  deliver: ['id', 'from', 'to'],
  drop: ['id', 'from', 'to', 'reason'],
  timer: ['node', 'name'],
  request: ['req', 'client', 'node'],
  invoke: ['req', 'client', 'process', 'op'],
  complete: ['req', 'client', 'type'],
  fault: ['fault'],
  clock: ['node', 'offset', 'driftPpm'],
  state: ['node', 'summary'],
  view: ['node'],
  note: ['text'],
  violation: ['invariant', 'message'],
  error: ['message'],
  end: ['reason'],
};

/**
 * Reads a JSON Lines trace. Never throws: every problem is reported with its line number, and
 * every valid event is kept, so a truncated trace still replays up to where it stops.
 */
export function parseTrace(text: string): ParsedTrace {
  const problems: TraceProblem[] = [];
  const events: TraceEvent[] = [];
  let header: TraceHeader | undefined;
  let complete = false;
  let lastTime = -Infinity;
  let start = 0;
  let lineNumber = 0;
  const length = text.length;
  while (start < length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = length;
    lineNumber++;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      const last = start >= length;
      problems.push({
        line: lineNumber,
        message: last
          ? `the last line is not complete JSON (the trace looks truncated): ${(error as Error).message}`
          : `not valid JSON: ${(error as Error).message}`,
      });
      continue;
    }
    if (lineNumber === 1 || header === undefined) {
      if (isRecord(value) && value.format === TRACE_FORMAT) {
        if (typeof value.version !== 'number' || value.version < 1 || value.version > TRACE_VERSION) {
          problems.push({
            line: lineNumber,
            message: `trace version ${String(value.version)} is not supported (this dsim reads versions 1 to ${TRACE_VERSION})`,
          });
        }
        if (!Array.isArray(value.nodes)) problems.push({ line: lineNumber, message: `header has no 'nodes' list` });
        header = value as unknown as TraceHeader;
        continue;
      }
      if (header === undefined && lineNumber === 1) {
        problems.push({
          line: 1,
          message: `the first line is not a dsim trace header (expected {"format":"${TRACE_FORMAT}",...}); is this a dsim trace?`,
        });
      }
    }
    const problem = checkEvent(value);
    if (problem) {
      problems.push({ line: lineNumber, message: problem });
      continue;
    }
    const event = value as TraceEvent;
    if (event.t < lastTime) {
      problems.push({ line: lineNumber, message: `time goes backwards: ${event.t}us after ${lastTime}us` });
      continue;
    }
    lastTime = event.t;
    events.push(event);
    if (event.k === 'end') complete = true;
  }
  if (!complete && header !== undefined) {
    problems.push({
      line: lineNumber,
      message: `the trace has no 'end' event: it was cut short (showing the ${events.length} events before the cut)`,
    });
  }
  return { header, events, problems, complete };
}

function checkEvent(value: unknown): string | undefined {
  if (!isRecord(value)) return `expected a JSON object, got ${Array.isArray(value) ? 'an array' : typeof value}`;
  if (typeof value.t !== 'number' || !Number.isInteger(value.t) || value.t < 0)
    return `field 't' must be a non-negative integer time in microseconds`;
  if (typeof value.k !== 'string') return `field 'k' (the event kind) is missing`;
  if (!KNOWN_KINDS.has(value.k)) return `unknown event kind '${value.k}' (known: ${[...KNOWN_KINDS].join(', ')})`;
  for (const field of REQUIRED_FIELDS[value.k] ?? []) {
    if (!(field in value)) return `'${value.k}' event is missing field '${field}'`;
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
