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

/** What a field of an event holds; a field of the wrong type is a problem on its line, never a crash downstream. */
type FieldType = 'string' | 'strings' | 'count' | 'integer' | 'number' | 'boolean' | 'record' | 'any' | 'outcome';

const REQUIRED_FIELDS: Readonly<Record<string, Readonly<Record<string, FieldType>>>> = {
  init: { node: 'string' },
  send: { id: 'count', from: 'string', to: 'string' },
  deliver: { id: 'count', from: 'string', to: 'string' },
  drop: { id: 'count', from: 'string', to: 'string', reason: 'string' },
  timer: { node: 'string', name: 'string' },
  request: { req: 'string', client: 'string', node: 'string' },
  invoke: { req: 'string', client: 'string', process: 'count', op: 'any' },
  complete: { req: 'string', client: 'string', type: 'outcome' },
  fault: { fault: 'record' },
  clock: { node: 'string', offset: 'integer', driftPpm: 'number' },
  state: { node: 'string', summary: 'record' },
  view: { node: 'string' },
  note: { text: 'string' },
  violation: { invariant: 'string', message: 'string' },
  error: { message: 'string' },
  end: { reason: 'string' },
};

/** Optional fields, checked when present. */
const OPTIONAL_FIELDS: Readonly<Record<string, Readonly<Record<string, FieldType>>>> = {
  init: { restart: 'boolean' },
  send: { desc: 'string' },
  deliver: { dup: 'boolean' },
  drop: { dup: 'boolean' },
  invoke: { node: 'string' },
  complete: { process: 'count', error: 'string', node: 'string' },
  fault: { desc: 'string' },
  note: { node: 'string' },
  violation: { kind: 'string', nodes: 'strings' },
  error: { node: 'string' },
  end: { stats: 'record' },
};

/** Each kind's required and optional fields as lists, made once: every line of a trace is checked against them. */
const FIELD_CHECKS: ReadonlyMap<
  string,
  {
    readonly required: ReadonlyArray<readonly [string, FieldType]>;
    readonly optional: ReadonlyArray<readonly [string, FieldType]>;
  }
> = new Map(
  [...KNOWN_KINDS].map((kind) => [
    kind,
    { required: Object.entries(REQUIRED_FIELDS[kind] ?? {}), optional: Object.entries(OPTIONAL_FIELDS[kind] ?? {}) },
  ]),
);

const TYPE_NAMES: Readonly<Record<FieldType, string>> = {
  string: 'a string',
  strings: 'an array of strings',
  count: 'a non-negative whole number',
  integer: 'a whole number',
  number: 'a finite number',
  boolean: 'true or false',
  record: 'an object',
  any: 'a value',
  outcome: "'ok', 'fail' or 'info'",
};

function hasType(value: unknown, type: FieldType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'strings':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
    case 'count':
      return Number.isSafeInteger(value) && (value as number) >= 0;
    case 'integer':
      return Number.isSafeInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'record':
      return isRecord(value);
    case 'any':
      return true;
    case 'outcome':
      return value === 'ok' || value === 'fail' || value === 'info';
  }
}

/**
 * Strings longer than this are cut when read: a viewer draws and searches each on every frame,
 * and a 10 MB string would make every click take seconds. The trace's hash is of the file's
 * bytes, so cutting what is shown changes no identity.
 */
export const MAX_TRACE_STRING = 10_000;

/**
 * Reads a JSON Lines trace. Never throws: every problem is reported with its line number, and
 * every valid event is kept, so a truncated trace still replays up to where it stops.
 */
export function parseTrace(text: string): ParsedTrace {
  const reader = new TraceReader();
  reader.push(text);
  return reader.finish();
}

/**
 * Reads a trace as its text arrives, in pieces of any size (a download, a file read in chunks):
 * `push` the text, `read` as many lines as the caller can afford now, `finish` at the end. The
 * result equals `parseTrace` of the whole text, whatever the pieces. A viewer draws the events
 * read so far while the rest of a large trace is still arriving.
 */
export class TraceReader {
  private readonly problems: TraceProblem[] = [];
  /** Events read so far; the same array `finish` returns, so a reader of it sees it grow. */
  readonly events: TraceEvent[] = [];
  private headerRead: TraceHeader | undefined;
  private complete = false;
  private lastTime = -Infinity;
  private lineNumber = 0;
  private clipReported = false;
  /** Text not yet read, from `offset` on. */
  private buffer = '';
  private offset = 0;
  private finished: ParsedTrace | undefined;

  get header(): TraceHeader | undefined {
    return this.headerRead;
  }

  /** Problems found so far (the end-of-trace checks come with `finish`). */
  get problemsSoFar(): readonly TraceProblem[] {
    return this.problems;
  }

  push(text: string): void {
    if (this.finished) throw new Error('TraceReader.push: the reader is finished; make a new one for more text');
    if (text === '') return;
    this.buffer = this.offset === 0 ? this.buffer + text : this.buffer.slice(this.offset) + text;
    this.offset = 0;
  }

  /**
   * Reads up to `maxLines` whole lines of the text pushed so far; returns how many it read. A
   * line is read only once more text follows it, so whether it is the trace's last line (which
   * changes what a broken line is called) is known.
   */
  read(maxLines = Infinity): number {
    let lines = 0;
    const buffer = this.buffer;
    while (lines < maxLines) {
      const end = buffer.indexOf('\n', this.offset);
      if (end === -1 || end + 1 >= buffer.length) break;
      this.readLine(buffer.slice(this.offset, end), false);
      this.offset = end + 1;
      lines++;
    }
    return lines;
  }

  /** Reads what is left and ends the trace. */
  finish(): ParsedTrace {
    if (this.finished) return this.finished;
    const buffer = this.buffer;
    const length = buffer.length;
    let start = this.offset;
    while (start < length) {
      let end = buffer.indexOf('\n', start);
      if (end === -1) end = length;
      const last = end + 1 >= length;
      this.readLine(buffer.slice(start, end), last);
      start = end + 1;
    }
    this.buffer = '';
    this.offset = 0;
    const { problems, events } = this;
    const header = this.headerRead;
    if (this.lineNumber === 0 || (events.length === 0 && header === undefined && problems.length === 0))
      problems.push({ line: 1, message: 'the file is empty: a dsim trace starts with a header line' });
    if (!this.complete && header !== undefined) {
      problems.push({
        line: this.lineNumber,
        message: `the trace has no 'end' event: it was cut short (showing the ${events.length} events before the cut)`,
      });
    }
    this.finished = { header, events, problems, complete: this.complete };
    return this.finished;
  }

  private readLine(raw: string, last: boolean): void {
    const problems = this.problems;
    const lineNumber = ++this.lineNumber;
    const line = raw.trim();
    if (line === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
      // Only a line this long can hold a string this long: short lines, nearly all, skip the walk.
      if (line.length > MAX_TRACE_STRING && clipStrings(value)) {
        if (!this.clipReported)
          problems.push({
            line: lineNumber,
            message: `strings longer than ${MAX_TRACE_STRING.toLocaleString('en-US')} characters and values nested deeper than ${MAX_TRACE_DEPTH} levels are shown cut short (first on this line)`,
          });
        this.clipReported = true;
      }
    } catch (error) {
      problems.push({
        line: lineNumber,
        message: last
          ? `the last line is not complete JSON (the trace looks truncated): ${(error as Error).message}`
          : `not valid JSON: ${(error as Error).message}`,
      });
      return;
    }
    if (lineNumber === 1 || this.headerRead === undefined) {
      if (isRecord(value) && value.format === TRACE_FORMAT) {
        this.headerRead = checkHeader(value, lineNumber, problems);
        return;
      }
      if (this.headerRead === undefined && lineNumber === 1) {
        problems.push({
          line: 1,
          message: `the first line is not a dsim trace header (expected {"format":"${TRACE_FORMAT}",...}); is this a dsim trace?`,
        });
      }
    }
    const problem = checkEvent(value);
    if (problem) {
      problems.push({ line: lineNumber, message: problem });
      return;
    }
    const event = value as TraceEvent;
    if (event.t < this.lastTime) {
      problems.push({ line: lineNumber, message: `time goes backwards: ${event.t}us after ${this.lastTime}us` });
      return;
    }
    this.lastTime = event.t;
    this.events.push(event);
    if (event.k === 'end') this.complete = true;
  }
}

function checkEvent(value: unknown): string | undefined {
  if (!isRecord(value)) return `expected a JSON object, got ${Array.isArray(value) ? 'an array' : typeof value}`;
  if (!Number.isSafeInteger(value.t) || (value.t as number) < 0)
    return `field 't' must be a non-negative integer time in microseconds`;
  if (typeof value.k !== 'string') return `field 'k' (the event kind) is missing`;
  const fields = FIELD_CHECKS.get(value.k);
  if (fields === undefined)
    return `unknown event kind '${value.k.slice(0, 40)}' (known: ${[...KNOWN_KINDS].join(', ')})`;
  for (const [field, type] of fields.required) {
    if (!Object.hasOwn(value, field)) return `'${value.k}' event is missing field '${field}'`;
    if (!hasType(value[field], type)) return `'${value.k}' event's field '${field}' must be ${TYPE_NAMES[type]}`;
  }
  for (const [field, type] of fields.optional) {
    if (Object.hasOwn(value, field) && value[field] !== undefined && !hasType(value[field], type))
      return `'${value.k}' event's field '${field}' must be ${TYPE_NAMES[type]}`;
  }
  if (value.k === 'fault') {
    const problem = faultShapeProblem(value.fault as Record<string, unknown>);
    if (problem) return `'fault' event's fault ${problem}`;
  }
  if (value.k === 'state' && Object.hasOwn(value.summary as object, 'role')) {
    const role = (value.summary as Record<string, unknown>).role;
    if (role !== undefined && role !== null && typeof role !== 'string')
      return `'state' event's summary.role must be a string`;
  }
  return undefined;
}

/**
 * The header, with each field the viewer reads checked: a field of the wrong type is reported
 * and left out (node ids that are not strings are dropped), so what ran can still be shown.
 */
function checkHeader(value: Record<string, unknown>, line: number, problems: TraceProblem[]): TraceHeader {
  // Version 1 traces differ only in having no view lines: still readable.
  if (
    typeof value.version !== 'number' ||
    !Number.isInteger(value.version) ||
    value.version < 1 ||
    value.version > TRACE_VERSION
  ) {
    problems.push({
      line,
      message: `trace version ${printable(value.version)} is not supported (this dsim reads versions 1 to ${TRACE_VERSION})`,
    });
  }
  const header: Record<string, unknown> = { ...value };
  const wrong = (field: string, expected: string) => {
    problems.push({ line, message: `header field '${field}' must be ${expected}; it is ignored` });
    delete header[field];
  };
  if (!Array.isArray(value.nodes)) {
    problems.push({ line, message: `header has no 'nodes' list` });
    header.nodes = [];
  } else if (!value.nodes.every((node) => typeof node === 'string')) {
    problems.push({ line, message: `header field 'nodes' must list node ids as strings; the others are ignored` });
    header.nodes = value.nodes.filter((node) => typeof node === 'string');
  }
  if (
    value.clients !== undefined &&
    !(Array.isArray(value.clients) && value.clients.every((c) => typeof c === 'string'))
  )
    wrong('clients', 'a list of client ids');
  for (const field of ['scenario', 'protocol', 'description'])
    if (value[field] !== undefined && typeof value[field] !== 'string') wrong(field, 'a string');
  for (const field of ['seed', 'until', 'faultsEndAt'])
    if (value[field] !== undefined && !(Number.isSafeInteger(value[field]) && (value[field] as number) >= 0))
      wrong(field, 'a non-negative whole number');
  for (const field of ['bugs', 'clocks', 'faults', 'invariants'])
    if (value[field] !== undefined && !Array.isArray(value[field])) wrong(field, 'a list');
  const entries = (field: string, expected: string, ok: (entry: unknown) => boolean) => {
    const list = header[field];
    if (!Array.isArray(list) || list.every(ok)) return;
    problems.push({ line, message: `header field '${field}' must list ${expected}; the others are ignored` });
    header[field] = list.filter(ok);
  };
  entries('bugs', 'bug switch names', (bug) => typeof bug === 'string');
  entries(
    'clocks',
    '[node, offsetMicros, driftPpm] entries',
    (entry) =>
      Array.isArray(entry) &&
      typeof entry[0] === 'string' &&
      Number.isSafeInteger(entry[1]) &&
      typeof entry[2] === 'number' &&
      Number.isFinite(entry[2]),
  );
  entries(
    'faults',
    '{ at, fault } entries',
    (entry) =>
      isRecord(entry) &&
      Number.isSafeInteger(entry.at) &&
      isRecord(entry.fault) &&
      faultShapeProblem(entry.fault) === undefined,
  );
  entries('invariants', '{ name, kind } entries', (entry) => isRecord(entry) && typeof entry.name === 'string');
  return header as unknown as TraceHeader;
}

const isIdList = (value: unknown): boolean => Array.isArray(value) && value.every((node) => typeof node === 'string');

/** What is wrong with a fault's shape (the fields each type needs, of the right types), or undefined. */
export function faultShapeProblem(fault: Readonly<Record<string, unknown>>): string | undefined {
  const needs = (field: string, ok: boolean, expected: string) =>
    ok ? undefined : `of type '${String(fault.type)}' needs '${field}' as ${expected}`;
  switch (fault.type) {
    case 'partition':
      return needs('groups', Array.isArray(fault.groups) && fault.groups.every(isIdList), 'lists of node ids');
    case 'bridge':
      return (
        needs('bridge', typeof fault.bridge === 'string', 'a node id') ??
        needs(
          'groups',
          Array.isArray(fault.groups) && fault.groups.length === 2 && fault.groups.every(isIdList),
          'two lists of node ids',
        )
      );
    case 'cut':
      return (
        needs('from', isIdList(fault.from), 'a list of node ids') ??
        needs('to', isIdList(fault.to), 'a list of node ids')
      );
    case 'ring':
    case 'heal':
      return undefined;
    case 'isolate':
    case 'crash':
    case 'restart':
    case 'pause':
    case 'resume':
      return needs('node', typeof fault.node === 'string', 'a node id');
    case 'clockJump':
      return (
        needs('node', typeof fault.node === 'string', 'a node id') ??
        needs('delta', Number.isSafeInteger(fault.delta), 'whole microseconds')
      );
    case 'clockDrift':
      return (
        needs('node', typeof fault.node === 'string', 'a node id') ??
        needs('ppm', typeof fault.ppm === 'number' && Number.isFinite(fault.ppm), 'a finite number')
      );
    case 'loss':
    case 'duplicate':
      return needs(
        'probability',
        typeof fault.probability === 'number' && fault.probability >= 0 && fault.probability <= 1,
        'a probability between 0 and 1',
      );
    case 'slow':
      return needs('latency', isRecord(fault.latency), 'a latency distribution');
    default:
      return `has an unknown type ${typeof fault.type === 'string' ? `'${fault.type.slice(0, 40)}'` : '(none)'}`;
  }
}

/** How deep a value in an event may nest; deeper parts are replaced (a viewer prints values recursively). */
const MAX_TRACE_DEPTH = 64;

/**
 * Cuts, in place, every string longer than MAX_TRACE_STRING inside `value` and every part nested
 * deeper than MAX_TRACE_DEPTH; whether anything was cut.
 */
function clipStrings(value: unknown): boolean {
  let clipped = false;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    const record = item as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const field = record[key];
      if (typeof field === 'string' && field.length > MAX_TRACE_STRING) {
        record[key] =
          `${field.slice(0, MAX_TRACE_STRING)}… (${(field.length - MAX_TRACE_STRING).toLocaleString('en-US')} more characters)`;
        clipped = true;
      } else if (typeof field === 'object' && field !== null) {
        if (depth + 1 >= MAX_TRACE_DEPTH) {
          record[key] = `… (nested deeper than ${MAX_TRACE_DEPTH} levels)`;
          clipped = true;
        } else stack.push([field, depth + 1]);
      }
    }
  }
  return clipped;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Any JSON value as a short text (an object's own 'toString' key is data, not a method). */
function printable(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? 'nothing');
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
