import type { HistoryRecord } from './operations.ts';

/**
 * Fast paths for the two history readers: most lines of a history are one flat operation map
 * whose values are integers, plain strings, keywords, nil and short vectors of those. The scanners
 * below read such a line straight from the text with charCodeAt, without building the parser's
 * value tree, and give up (return NOT_SCANNED) on anything else: an escape, a float, a nested
 * collection, a tag, a comment, a value the full reader would refuse. The caller then reads that
 * entry with the full parser, so its error messages and the corner cases of EDN and JSON stay the
 * parser's. What a scanner returns is always what the full reader returns for the same text (a
 * property test holds them equal on generated and hostile lines).
 */

/** A scanner's answer when the entry is not one it reads: read it with the full parser. */
export const NOT_SCANNED: unique symbol = Symbol('not scanned');

/** An EDN scanner's answer for an operation that is not a client's (:process :nemesis). */
export const NOT_A_CLIENT: unique symbol = Symbol('not a client');

const TYPES = new Set(['invoke', 'ok', 'fail', 'info']);

/** Integers longer than this many digits go to the full parser (which checks their range). */
const MAX_FAST_DIGITS = 15;

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const MINUS = 45;
const ZERO = 48;
const NINE = 57;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const NEWLINE = 10;

/**
 * A scanner's scratch: where the scalar just read ends, and the short strings read lately. A
 * history repeats a few short strings on every line (keys, "invoke", "put"), so a string found
 * here is shared instead of copied: less garbage, fewer copies of what the checker keeps.
 */
interface ScanContext {
  at: number;
  readonly recent: string[];
}

const RECENT_SLOTS = 512;
const MAX_RECENT_LENGTH = 24;

function scanContext(): ScanContext {
  return { at: 0, recent: new Array<string>(RECENT_SLOTS).fill('') };
}

/** text[start, end) as a string, shared with an equal one read lately when it is short. */
function textOf(context: ScanContext, text: string, start: number, end: number): string {
  const length = end - start;
  if (length === 0 || length > MAX_RECENT_LENGTH) return text.slice(start, end);
  const slot =
    (Math.imul(length, 31) +
      text.charCodeAt(start) * 7 +
      text.charCodeAt(end - 1) * 13 +
      text.charCodeAt((start + end) >> 1)) &
    (RECENT_SLOTS - 1);
  const known = context.recent[slot]!;
  if (known.length === length && text.startsWith(known, start)) return known;
  const fresh = text.slice(start, end);
  context.recent[slot] = fresh;
  return fresh;
}

/** Sentinel for "no scalar here" inside the scanners (distinct from every value). */
const NO_VALUE: unique symbol = Symbol('no value');
type Scanned = unknown;

/**
 * The fields of one operation map as read, before the reader's checks (which are the same as
 * recordFromJson's and recordFromEdn's, applied by `finishJson` and `finishEdn`).
 */
interface Fields {
  process: Scanned;
  type: Scanned;
  f: Scanned;
  key: Scanned;
  value: Scanned;
  time: Scanned;
  client: Scanned;
  node: Scanned;
  error: Scanned;
}

function emptyFields(): Fields {
  return {
    process: undefined,
    type: undefined,
    f: undefined,
    key: undefined,
    value: undefined,
    time: undefined,
    client: undefined,
    node: undefined,
    error: undefined,
  };
}

/** Stores one field with a store per property name (a store by computed name is slower). */
function setField(fields: Fields, field: keyof Fields, value: Scanned): void {
  switch (field) {
    case 'process':
      fields.process = value;
      break;
    case 'type':
      fields.type = value;
      break;
    case 'f':
      fields.f = value;
      break;
    case 'key':
      fields.key = value;
      break;
    case 'value':
      fields.value = value;
      break;
    case 'time':
      fields.time = value;
      break;
    case 'client':
      fields.client = value;
      break;
    case 'node':
      fields.node = value;
      break;
    case 'error':
      fields.error = value;
      break;
  }
}

/** Which record field a map key names (the same names in JSON and EDN), or undefined. */
function fieldName(text: string, start: number, length: number): keyof Fields | undefined {
  switch (length) {
    case 1:
      return text.charCodeAt(start) === 102 ? 'f' : undefined;
    case 3:
      return text.startsWith('key', start) ? 'key' : undefined;
    case 4:
      return text.startsWith('type', start)
        ? 'type'
        : text.startsWith('time', start)
          ? 'time'
          : text.startsWith('node', start)
            ? 'node'
            : undefined;
    case 5:
      return text.startsWith('value', start) ? 'value' : text.startsWith('error', start) ? 'error' : undefined;
    case 6:
      return text.startsWith('client', start) ? 'client' : undefined;
    case 7:
      return text.startsWith('process', start) ? 'process' : undefined;
    default:
      return undefined;
  }
}

// ------------------------------------------------------------------------------------------ JSON

/** Reads JSON Lines entries, one flat entry object per line. */
export class JsonLineScanner {
  private readonly context = scanContext();

  /**
   * Reads one entry from text[start, end) (one line, without its newline) as
   * recordFromJson(JSON.parse(line), where, line) would, or answers NOT_SCANNED.
   */
  scan(text: string, start: number, end: number, line: number): HistoryRecord | typeof NOT_SCANNED {
    return scanJsonRecord(text, start, end, line, this.context);
  }
}

function scanJsonRecord(
  text: string,
  start: number,
  end: number,
  line: number,
  scalarEnd: ScanContext,
): HistoryRecord | typeof NOT_SCANNED {
  const fields = emptyFields();
  let at = skipJsonSpace(text, start, end);
  if (text.charCodeAt(at) !== OPEN_BRACE) return NOT_SCANNED;
  at = skipJsonSpace(text, at + 1, end);
  if (text.charCodeAt(at) === CLOSE_BRACE) return NOT_SCANNED;
  for (;;) {
    if (text.charCodeAt(at) !== QUOTE) return NOT_SCANNED;
    const nameEnd = plainStringEnd(text, at + 1, end);
    if (nameEnd < 0) return NOT_SCANNED;
    const field = fieldName(text, at + 1, nameEnd - at - 1);
    at = skipJsonSpace(text, nameEnd + 1, end);
    if (text.charCodeAt(at) !== COLON) return NOT_SCANNED;
    at = skipJsonSpace(text, at + 1, end);
    let value: Scanned;
    if (text.charCodeAt(at) === OPEN_BRACKET) {
      const items: unknown[] = [];
      at = skipJsonSpace(text, at + 1, end);
      if (text.charCodeAt(at) === CLOSE_BRACKET) at++;
      else
        for (;;) {
          const item = jsonScalar(text, at, end, scalarEnd);
          if (item === NO_VALUE) return NOT_SCANNED;
          items.push(item);
          at = skipJsonSpace(text, scalarEnd.at, end);
          const code = text.charCodeAt(at);
          if (code === CLOSE_BRACKET) {
            at++;
            break;
          }
          if (code !== COMMA) return NOT_SCANNED;
          at = skipJsonSpace(text, at + 1, end);
        }
      value = items;
    } else {
      value = jsonScalar(text, at, end, scalarEnd);
      if (value === NO_VALUE) return NOT_SCANNED;
      at = scalarEnd.at;
    }
    // A repeated name: the last one counts, as in JSON.parse.
    if (field !== undefined) setField(fields, field, value);
    at = skipJsonSpace(text, at, end);
    const code = text.charCodeAt(at);
    if (code === COMMA) {
      at = skipJsonSpace(text, at + 1, end);
      continue;
    }
    if (code !== CLOSE_BRACE) return NOT_SCANNED;
    if (skipJsonSpace(text, at + 1, end) !== end) return NOT_SCANNED;
    return finishJson(fields, line);
  }
}

function skipJsonSpace(text: string, at: number, end: number): number {
  while (at < end) {
    const code = text.charCodeAt(at);
    if (code !== 32 && code !== 9 && code !== 13) break;
    at++;
  }
  return at;
}

/** The index of the quote closing a string whose text starts at `at`, or -1 for an escape, a control character or no end. */
function plainStringEnd(text: string, at: number, end: number): number {
  for (; at < end; at++) {
    const code = text.charCodeAt(at);
    if (code === QUOTE) return at;
    if (code === BACKSLASH || code < 32) return -1;
  }
  return -1;
}

/** A JSON string without escapes, a short integer, null, true or false at `at`; NO_VALUE otherwise. */
function jsonScalar(text: string, at: number, end: number, out: ScanContext): Scanned | typeof NO_VALUE {
  const code = text.charCodeAt(at);
  if (code === QUOTE) {
    const close = plainStringEnd(text, at + 1, end);
    if (close < 0) return NO_VALUE;
    out.at = close + 1;
    return textOf(out, text, at + 1, close);
  }
  if (code === MINUS || (code >= ZERO && code <= NINE)) {
    const negative = code === MINUS;
    let index = negative ? at + 1 : at;
    const first = text.charCodeAt(index);
    if (!(first >= ZERO && first <= NINE)) return NO_VALUE;
    let value = 0;
    const digitsStart = index;
    for (; index < end; index++) {
      const digit = text.charCodeAt(index);
      if (digit < ZERO || digit > NINE) break;
      value = value * 10 + (digit - ZERO);
    }
    const digits = index - digitsStart;
    // JSON has no leading zeros; fractions and exponents are the full parser's.
    if (digits > MAX_FAST_DIGITS || (first === ZERO && digits > 1)) return NO_VALUE;
    const next = text.charCodeAt(index);
    if (next === 46 || next === 101 || next === 69) return NO_VALUE;
    out.at = index;
    return negative ? -value : value;
  }
  if (text.startsWith('null', at)) return ((out.at = at + 4), null);
  if (text.startsWith('true', at)) return ((out.at = at + 4), true);
  if (text.startsWith('false', at)) return ((out.at = at + 5), false);
  return NO_VALUE;
}

/** recordFromJson's checks and record, or NOT_SCANNED where it would throw (its message is its own). */
function finishJson(fields: Fields, line: number): HistoryRecord | typeof NOT_SCANNED {
  const { process, type, f, key, value, time } = fields;
  if (!Number.isInteger(process)) return NOT_SCANNED;
  if (typeof type !== 'string' || !TYPES.has(type)) return NOT_SCANNED;
  if (typeof f !== 'string' || f === '') return NOT_SCANNED;
  if (time !== undefined && typeof time !== 'number') return NOT_SCANNED;
  if (key !== undefined && key !== null && typeof key !== 'string') return NOT_SCANNED;
  const { client, node, error } = fields;
  if (client !== undefined && typeof client !== 'string') return NOT_SCANNED;
  if (node !== undefined && typeof node !== 'string') return NOT_SCANNED;
  if (error !== undefined && typeof error !== 'string') return NOT_SCANNED;
  const record: Record<string, unknown> = { process, type, f };
  if (key !== undefined && key !== null) record.key = key;
  if (value !== undefined) record.value = value;
  if (typeof time === 'number') record.time = time;
  if (client !== undefined) record.client = client;
  if (node !== undefined) record.node = node;
  if (error !== undefined) record.error = error;
  record.line = line;
  return record as unknown as HistoryRecord;
}

// ------------------------------------------------------------------------------------------- EDN

/** A keyword read by the EDN scanner (its name), kept apart from strings until the record is built. */
class Keyword {
  constructor(readonly name: string) {}
}

/**
 * Reads Jepsen operation maps in EDN, one flat map on one line at a time, as recordFromEdn over
 * the EDN reader would. `end` says where the last map read ended.
 */
export class EdnLineScanner {
  /** Just past the map read by the last successful `scan`. */
  end = 0;
  private readonly context = scanContext();

  /**
   * Reads the map that starts at text[start] (a '{'), on the given line, or answers NOT_SCANNED
   * (read it with the full reader), or NOT_A_CLIENT for a :nemesis operation. The map must end
   * before the next newline.
   */
  scan(text: string, start: number, line: number): HistoryRecord | typeof NOT_SCANNED | typeof NOT_A_CLIENT {
    if (text.charCodeAt(start) !== OPEN_BRACE) return NOT_SCANNED;
    const fields = emptyFields();
    const scalarEnd = this.context;
    let at = start + 1;
    for (;;) {
      at = skipEdnSpace(text, at);
      const code = text.charCodeAt(at);
      if (code === CLOSE_BRACE) {
        this.end = at + 1;
        return finishEdn(fields, line);
      }
      // Keys: keywords only (anything else is the full reader's error).
      if (code !== COLON) return NOT_SCANNED;
      const nameEnd = tokenEnd(text, at + 1);
      const nameLength = nameEnd - at - 1;
      if (nameLength === 0 || text.charCodeAt(at + 1) === COLON) return NOT_SCANNED;
      const field = fieldName(text, at + 1, nameLength);
      at = skipEdnSpace(text, nameEnd);
      let value: Scanned;
      if (text.charCodeAt(at) === OPEN_BRACKET) {
        const items: unknown[] = [];
        at++;
        for (;;) {
          at = skipEdnSpace(text, at);
          if (text.charCodeAt(at) === CLOSE_BRACKET) {
            at++;
            break;
          }
          const item = ednScalar(text, at, scalarEnd);
          if (item === NO_VALUE) return NOT_SCANNED;
          items.push(item);
          at = scalarEnd.at;
        }
        value = items;
      } else {
        value = ednScalar(text, at, scalarEnd);
        if (value === NO_VALUE) return NOT_SCANNED;
        at = scalarEnd.at;
      }
      // A repeated key: the last one counts, as in recordFromEdn.
      if (field !== undefined) setField(fields, field, value);
    }
  }
}

/** EDN whitespace (commas included) within one line; a comment or a newline stops it. */
function skipEdnSpace(text: string, at: number): number {
  for (;;) {
    const code = text.charCodeAt(at);
    if (code === 32 || code === COMMA || code === 9 || code === 13 || code === 12) at++;
    else return at;
  }
}

/** The end of the EDN token starting at `at` (the reader's readToken, within a line). */
function tokenEnd(text: string, at: number): number {
  for (; ; at++) {
    const code = text.charCodeAt(at);
    // Delimiters ( ) [ ] { } " ; , and whitespace, or the end of the text (NaN).
    if (
      !(code === code) ||
      code === 40 ||
      code === 41 ||
      code === OPEN_BRACKET ||
      code === CLOSE_BRACKET ||
      code === OPEN_BRACE ||
      code === CLOSE_BRACE ||
      code === QUOTE ||
      code === 59 ||
      code === COMMA ||
      code === 32 ||
      code === 9 ||
      code === NEWLINE ||
      code === 13 ||
      code === 12
    )
      return at;
  }
}

/** An EDN string without escapes or newlines, a short integer, a keyword, nil, true or false; NO_VALUE otherwise. */
function ednScalar(text: string, at: number, out: ScanContext): Scanned | typeof NO_VALUE {
  const code = text.charCodeAt(at);
  if (code === QUOTE) {
    for (let index = at + 1; ; index++) {
      const char = text.charCodeAt(index);
      if (char === QUOTE) {
        out.at = index + 1;
        return textOf(out, text, at + 1, index);
      }
      if (char === BACKSLASH || char === NEWLINE || !(char === char)) return NO_VALUE;
    }
  }
  const end = tokenEnd(text, at);
  if (end === at) return NO_VALUE;
  out.at = end;
  if (code === COLON) {
    // ':' alone and '::x' are the full reader's errors.
    if (end - at === 1 || text.charCodeAt(at + 1) === COLON) return NO_VALUE;
    return new Keyword(textOf(out, text, at + 1, end));
  }
  if (code === MINUS || (code >= ZERO && code <= NINE)) {
    const negative = code === MINUS;
    const digitsStart = negative ? at + 1 : at;
    const digits = end - digitsStart;
    if (digits === 0 || digits > MAX_FAST_DIGITS) return NO_VALUE;
    let value = 0;
    for (let index = digitsStart; index < end; index++) {
      const digit = text.charCodeAt(index);
      if (digit < ZERO || digit > NINE) return NO_VALUE;
      value = value * 10 + (digit - ZERO);
    }
    return negative ? -value : value;
  }
  const length = end - at;
  if (length === 3 && text.startsWith('nil', at)) return null;
  if (length === 4 && text.startsWith('true', at)) return true;
  if (length === 5 && text.startsWith('false', at)) return false;
  // Symbols, '#' tags and the rest: the full reader.
  return NO_VALUE;
}

/** A scanned EDN value as recordFromEdn's toPlain makes it: a keyword keeps its colon. */
function plain(value: Scanned): unknown {
  if (value instanceof Keyword) return `:${value.name}`;
  if (Array.isArray(value)) return value.map(plain);
  return value;
}

/** keyText of jepsen-edn.ts: a string is itself, anything else its EDN text. */
function ednKeyText(value: Scanned): string {
  if (typeof value === 'string') return value;
  if (value instanceof Keyword) return `:${value.name}`;
  if (Array.isArray(value)) return `[${value.map(ednText).join(' ')}]`;
  return String(value);
}

function ednText(value: Scanned): string {
  if (value === null) return 'nil';
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof Keyword) return `:${value.name}`;
  return String(value);
}

/** recordFromEdn's checks and record, or NOT_SCANNED where it would throw. */
function finishEdn(fields: Fields, line: number): HistoryRecord | typeof NOT_SCANNED | typeof NOT_A_CLIENT {
  const { process, type, f, key, value, time } = fields;
  if (process === undefined) return NOT_SCANNED;
  if (typeof process !== 'number') return process instanceof Keyword ? NOT_A_CLIENT : NOT_SCANNED;
  const typeName = type instanceof Keyword ? type.name : typeof type === 'string' ? type : undefined;
  if (typeName === undefined || !TYPES.has(typeName)) return NOT_SCANNED;
  const fName = f instanceof Keyword ? f.name : typeof f === 'string' ? f : undefined;
  if (fName === undefined) return NOT_SCANNED;
  if (time !== undefined && time !== null && typeof time !== 'number') return NOT_SCANNED;
  const record: Record<string, unknown> = { process, type: typeName, f: fName };
  if (key !== undefined && key !== null) record.key = ednKeyText(key);
  const plainValue = value === undefined ? undefined : plain(value);
  // Jepsen writes :value nil on invokes of reads; an absent value and nil mean the same there.
  if (plainValue !== undefined && !(plainValue === null && typeName === 'invoke')) record.value = plainValue;
  if (typeof time === 'number') record.time = Math.floor(time / 1000);
  for (const name of ['client', 'node', 'error'] as const) {
    const field = fields[name];
    if (field !== undefined && field !== null)
      record[name] = typeof field === 'string' ? field : JSON.stringify(plain(field));
  }
  record.line = line;
  return record as unknown as HistoryRecord;
}
