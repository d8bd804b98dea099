import type { History, HistoryEntry } from '@dsim/core';
import { EdnError, EdnKeyword, EdnSymbol, parseEdnForms, type EdnPosition, type EdnValue } from './edn.ts';
import type { HistoryRecord } from './operations.ts';
import { canonicalJson } from './values.ts';

/**
 * Jepsen histories in EDN, so Knossos and Elle can read what dsim records and dsim can check what
 * Jepsen recorded. An operation is a map:
 *
 *   {:index 0, :type :invoke, :f :read, :process 0, :time 1000000, :key "x", :value nil}
 *
 * Times: Jepsen counts nanoseconds, dsim microseconds; reading divides by 1000 (rounding down),
 * writing multiplies. Keywords read as strings (`:read` → 'read'), vectors and lists as arrays,
 * maps as objects. Operations whose :process is not a number (the `:nemesis`) are skipped: they
 * are faults, not client operations.
 */

export interface EdnHistoryOptions {
  /** Where the text came from, for error messages. */
  readonly source?: string;
}

export interface EdnHistory {
  readonly history: History;
  /** Operations skipped because their process is not a client (e.g. :nemesis). */
  readonly skipped: number;
}

const TYPES = new Set(['invoke', 'ok', 'fail', 'info']);

/**
 * Reads a Jepsen history: one operation map per top-level form (Jepsen's history.edn), or a
 * single vector of them. Throws an EdnError naming the line and column of what is wrong.
 */
export function historyFromEdn(text: string, options: EdnHistoryOptions = {}): EdnHistory {
  let forms: Array<{ value: EdnValue; position: EdnPosition }>;
  try {
    forms = parseEdnForms(text);
  } catch (error) {
    throw withSource(error, options.source);
  }
  const first = forms[0];
  const ops =
    forms.length === 1 && first !== undefined && Array.isArray(first.value)
      ? first.value.map((value) => ({ value, position: first.position }))
      : forms;
  const history: HistoryEntry[] = [];
  let skipped = 0;
  const independent = new IndependentKeys((record) => history.push(entryOf(record, history.length)));
  for (const { value, position } of ops) {
    try {
      const record = recordFromEdn(value, position);
      if (record) independent.push(record);
      else skipped++;
    } catch (error) {
      throw withSource(error, options.source);
    }
  }
  independent.end();
  return { history, skipped };
}

/** A record as a dsim HistoryEntry: its position as index, and as time when the file has none. */
function entryOf(record: HistoryRecord, index: number): HistoryEntry {
  const { line: _line, time, ...rest } = record;
  return { index, ...rest, time: time ?? index } as unknown as HistoryEntry;
}

/**
 * One Jepsen operation map as a history record (with the line it starts on), or undefined for an
 * operation that is not a client's (the :nemesis). Throws an EdnError naming the line and the fix.
 */
export function recordFromEdn(value: EdnValue, position: EdnPosition): HistoryRecord | undefined {
  const fail = (problem: string): never => {
    throw new EdnError(position.line, position.column, problem);
  };
  const unwrapped = isTagged(value) ? value.value : value;
  if (!isMap(unwrapped))
    return fail(
      `expected an operation map like {:process 0, :type :invoke, :f :read, :value nil}, got ${describeEdn(value)}`,
    );
  const fields = new Map<string, EdnValue>();
  for (const [key, field] of unwrapped.entries) {
    if (!(key instanceof EdnKeyword))
      return fail(`operation map keys must be keywords (:process, :type, ...), got ${describeEdn(key)}`);
    fields.set(key.name, field);
  }
  const process = fields.get('process');
  if (process === undefined) return fail('the operation has no :process');
  if (typeof process !== 'number') {
    if (process instanceof EdnKeyword) return undefined; // :nemesis and friends
    return fail(`:process must be an integer (or :nemesis), got ${describeEdn(process)}`);
  }
  if (!Number.isInteger(process)) return fail(`:process must be an integer, got ${process}`);
  const type = fields.get('type');
  const typeName = type instanceof EdnKeyword ? type.name : typeof type === 'string' ? type : undefined;
  if (typeName === undefined || !TYPES.has(typeName))
    return fail(
      `:type must be one of :invoke :ok :fail :info, got ${type === undefined ? 'nothing' : describeEdn(type)}`,
    );
  const f = fields.get('f');
  const fName = f instanceof EdnKeyword || f instanceof EdnSymbol ? f.name : typeof f === 'string' ? f : undefined;
  if (fName === undefined)
    return fail(`:f must be a keyword such as :read, got ${f === undefined ? 'nothing' : describeEdn(f)}`);
  const time = fields.get('time');
  if (time !== undefined && time !== null && typeof time !== 'number')
    return fail(`:time must be a number of nanoseconds, got ${describeEdn(time)}`);
  const entry: Record<string, unknown> = { process, type: typeName, f: fName };
  const key = fields.get('key');
  if (key !== undefined && key !== null) entry.key = keyText(key);
  const plainValue = fields.has('value') ? toPlain(fields.get('value')!) : undefined;
  // Jepsen writes :value nil on invokes of reads; an absent value and nil mean the same there.
  if (plainValue !== undefined && !(plainValue === null && typeName === 'invoke')) entry.value = plainValue;
  else if (plainValue === null && typeName !== 'invoke') entry.value = null;
  if (typeof time === 'number') entry.time = Math.floor(time / 1000);
  for (const name of ['client', 'node', 'error'] as const) {
    const field = fields.get(name);
    if (field !== undefined && field !== null)
      entry[name] = typeof field === 'string' ? field : JSON.stringify(toPlain(field));
  }
  entry.line = position.line;
  return entry as unknown as HistoryRecord;
}

/**
 * Jepsen's multi-key histories (jepsen.independent): every client operation's :value is a tuple
 * [k v], k the key and v the value on that key, each key an independent register. They are read
 * as operations on key k with value v. Whether a history is one is decided by its first client
 * invoke without a :key: a pair value says multi-key (a plain read invokes with nil, a plain
 * write writes a scalar), except for a cas, whose plain value is already a pair [expected next]
 * and whose multi-key one is [k [expected next]]. Records wait until that invoke is read.
 */
export class IndependentKeys {
  private mode: 'undecided' | 'independent' | 'plain' = 'undecided';
  private readonly held: HistoryRecord[] = [];

  constructor(private readonly emit: (record: HistoryRecord) => void) {}

  /** True once the history is known to be a multi-key one. */
  get independent(): boolean {
    return this.mode === 'independent';
  }

  push(record: HistoryRecord): void {
    // An operation with its own :key says the history is not written as tuples.
    if (this.mode === 'undecided' && record.key !== undefined && record.key !== null) this.decide('plain');
    if (this.mode === 'undecided' && record.type === 'invoke') {
      const value = record.value;
      const pair = Array.isArray(value) && value.length === 2;
      const decisive = record.f === 'cas' ? pair && Array.isArray((value as unknown[])[1]) : pair;
      this.decide(decisive ? 'independent' : 'plain');
    }
    if (this.mode === 'undecided') this.held.push(record);
    else this.emit(this.unwrap(record));
  }

  end(): void {
    if (this.mode === 'undecided') this.decide('plain');
  }

  private decide(mode: 'independent' | 'plain'): void {
    this.mode = mode;
    for (const held of this.held.splice(0)) this.emit(this.unwrap(held));
  }

  private unwrap(record: HistoryRecord): HistoryRecord {
    if (this.mode !== 'independent' || (record.key !== undefined && record.key !== null)) return record;
    const value = record.value;
    if (!Array.isArray(value) || value.length !== 2) return record;
    const [key, inner] = value as [unknown, unknown];
    const unwrapped: Record<string, unknown> = { ...record, key: typeof key === 'string' ? key : valueToEdn(key) };
    // Jepsen writes [k nil] on invokes of reads; as with a plain :value nil, that is no value.
    if (inner === null && record.type === 'invoke') delete unwrapped.value;
    else unwrapped.value = inner;
    return unwrapped as unknown as HistoryRecord;
  }
}

/**
 * An EDN value as plain JSON-able data, equal (by canonical JSON) exactly when the EDN values are
 * equal: vectors and lists become arrays; sets become arrays sorted by canonical JSON (so #{1 2}
 * and #{2 1} are one value); maps become objects whose key order does not matter. A keyword
 * value keeps its colon (`:a` reads as ":a", not as the string "a"); a keyword or string map key
 * is its name (so dsim's JSON objects survive a trip through EDN), any other key its EDN text
 * ([1 2] → "[1 2]"). Symbols read as their names.
 */
export function toPlain(value: EdnValue): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof EdnKeyword) return `:${value.name}`;
  if (value instanceof EdnSymbol) return value.name;
  if (Array.isArray(value)) return value.map(toPlain);
  if (value.kind === 'set') {
    const items = value.items.map(toPlain);
    const texts = items.map(canonicalJson);
    return items
      .map((item, i) => ({ item, text: texts[i]! }))
      .sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0))
      .map(({ item }) => item);
  }
  if (value.kind === 'tagged') return toPlain(value.value);
  const result: Record<string, unknown> = {};
  for (const [key, field] of value.entries) {
    const name = key instanceof EdnKeyword ? key.name : typeof key === 'string' ? key : keyText(key);
    // A key named like an Object.prototype member is stored as an own property, never a setter.
    Object.defineProperty(result, name, {
      value: toPlain(field),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return result;
}

/**
 * The partition key of an operation's :key (or of the k of an independent [k v] value): a string
 * is itself, anything else its EDN text, so the vector [1 2], the string "1,2" and the keyword
 * :x are three keys.
 */
export function keyText(key: EdnValue): string {
  return typeof key === 'string' ? key : ednText(key);
}

/** EDN text of a value, sets and maps in a canonical order (the text of equal values is equal). */
function ednText(value: EdnValue): string {
  if (value === null) return 'nil';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value !== 'object') return String(value);
  if (value instanceof EdnKeyword) return `:${value.name}`;
  if (value instanceof EdnSymbol) return value.name;
  if (Array.isArray(value)) return `[${value.map(ednText).join(' ')}]`;
  if (value.kind === 'set') return `#{${value.items.map(ednText).sort().join(' ')}}`;
  if (value.kind === 'tagged') return `#${value.tag} ${ednText(value.value)}`;
  return `{${value.entries
    .map(([key, field]) => `${ednText(key)} ${ednText(field)}`)
    .sort()
    .join(', ')}}`;
}

/** Writes a history as Jepsen EDN, one operation map per line. Times become nanoseconds. */
export function historyToEdn(history: History): string {
  return history.map((entry, index) => `${entryToEdn(entry, index)}\n`).join('');
}

function entryToEdn(entry: HistoryEntry, index: number): string {
  const parts = [
    `:index ${index}`,
    `:type :${entry.type}`,
    `:f ${keyword(entry.f)}`,
    `:process ${entry.process}`,
    `:time ${entry.time * 1000}`,
  ];
  if (entry.key !== undefined) parts.push(`:key ${valueToEdn(entry.key)}`);
  // Jepsen writes :value on every operation, nil when there is none.
  parts.push(`:value ${valueToEdn(entry.value)}`);
  if (entry.client !== undefined) parts.push(`:client ${valueToEdn(entry.client)}`);
  if (entry.node !== undefined) parts.push(`:node ${valueToEdn(entry.node)}`);
  if (entry.error !== undefined) parts.push(`:error ${valueToEdn(entry.error)}`);
  return `{${parts.join(', ')}}`;
}

const KEYWORD_NAME = /^[A-Za-z*!_?$%&=<>][A-Za-z0-9*!_?$%&=<>.\-+/]*$/;

function keyword(name: string): string {
  return KEYWORD_NAME.test(name) ? `:${name}` : valueToEdn(name);
}

/** A JSON value as EDN: null → nil, arrays → vectors, objects → maps with keyword keys where possible. */
export function valueToEdn(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`EDN has no ${value}; histories hold finite numbers`);
    return Number.isInteger(value)
      ? String(value)
      : String(value).includes('.') || String(value).includes('e')
        ? String(value)
        : `${value}.0`;
  }
  // JSON's string escapes (\n \t \" \\ \uXXXX) are all EDN escapes too.
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(valueToEdn).join(' ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([key, field]) => `${KEYWORD_NAME.test(key) ? `:${key}` : JSON.stringify(key)} ${valueToEdn(field)}`)
      .join(', ')}}`;
  }
  throw new Error(`cannot write a ${typeof value} as EDN`);
}

function isMap(value: EdnValue): value is Extract<EdnValue, { kind: 'map' }> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && 'kind' in value && value.kind === 'map'
  );
}

function isTagged(value: EdnValue): value is Extract<EdnValue, { kind: 'tagged' }> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && 'kind' in value && value.kind === 'tagged'
  );
}

function describeEdn(value: EdnValue): string {
  if (value === null) return 'nil';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value !== 'object') return String(value);
  if (value instanceof EdnKeyword || value instanceof EdnSymbol) return value.toString();
  if (Array.isArray(value)) return 'a vector';
  return value.kind === 'map' ? 'a map' : value.kind === 'set' ? 'a set' : `#${value.tag}`;
}

export function withSource(error: unknown, source: string | undefined): unknown {
  if (source === undefined || !(error instanceof EdnError)) return error;
  const wrapped = new EdnError(error.line, error.column, error.problem);
  wrapped.message = `${source}: ${error.message}`;
  return wrapped;
}
