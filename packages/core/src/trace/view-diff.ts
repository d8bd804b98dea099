import type { NodeId } from '../author/protocol.ts';
import type { LogEntryView, LogView, NodeView } from '../author/view.ts';

/**
 * A node's view as a trace carries it: what changed since the node's previous view line. A part
 * (`badges`, `fields`, `tables`, `edges`) is present when it changed, `null` when it went away, and
 * absent when it is as before; `role` is present when it changed. Logs change mostly at their tail,
 * so a changed log says which of its old entries it keeps and appends the rest (`LogDiff`), and
 * Raft's log does not repeat in every line.
 *
 * The first view after a node starts or restarts is a diff against no view: every part it has.
 */
export interface ViewDiff {
  readonly role?: string;
  readonly badges?: NodeView['badges'] | null;
  readonly fields?: NodeView['fields'] | null;
  readonly tables?: NodeView['tables'] | null;
  readonly edges?: NodeView['edges'] | null;
  /** The new list of logs, `null` for a log unchanged from the same position, or `logs: null` when all went away. */
  readonly logs?: ReadonlyArray<LogDiff | null> | null;
}

/**
 * One log, rebuilt from the same position's previous log: the previous entries from position
 * `start` on, the first `keep` of them, then `add`. A truncation (Raft's conflicting suffix, a
 * Kafka truncation to the high watermark) is a `keep` shorter than what the previous log held.
 * `name` and `marks` are repeated whole: they are a handful of numbers.
 */
export interface LogDiff {
  readonly name?: string;
  readonly start: number;
  readonly keep: number;
  readonly add: readonly LogEntryView[];
  readonly marks?: Readonly<Record<string, number>>;
}

/** The trace's `view` line for one node. */
export interface ViewLine extends ViewDiff {
  readonly t: number;
  readonly k: 'view';
  readonly node: NodeId;
}

type Part = 'badges' | 'fields' | 'tables' | 'edges';

const PARTS: readonly Part[] = ['badges', 'fields', 'tables', 'edges'];

/**
 * The view as JSON would carry it: parts that are undefined dropped, so that a view and the view
 * rebuilt from its diffs compare equal whatever a protocol left undefined. A direct copy: the
 * kernel keeps one after every traced step whose view changed, and the JSON text in between cost
 * more than the rest of the step.
 */
export function normalizeView(view: NodeView): NodeView {
  return jsonCopy(view) as NodeView;
}

/**
 * normalizeView(next), built from what `diff` (diffView(previous, next)) says changed: a part or log
 * the diff leaves out is taken from `previous` (itself such a copy), and a changed log copies only
 * the entries it adds, keeping the ones the diff keeps. Copying whole a Raft log whose commit mark
 * moved, or a list of edges that did not change, was most of the copy's cost. Kept entries are the
 * reader's too (applyViewDiff keeps them), and diffView compares entries by label, term and marks
 * alone, so the diffs taken against this view are those taken against normalizeView(next).
 */
export function normalizeViewAfter(previous: NodeView | undefined, next: NodeView, diff: ViewDiff): NodeView {
  if (previous === undefined) return normalizeView(next);
  const copy = copyChanged(previous, next, diff);
  return copy === EXOTIC ? normalizeView(next) : copy;
}

function copyChanged(previous: NodeView, next: NodeView, diff: ViewDiff): NodeView | typeof EXOTIC {
  return copyRecord(next as unknown as Record<string, unknown>, (key, value) => {
    if (key === 'logs') return diff.logs === undefined ? previous.logs : copyLogs(previous.logs, next.logs, diff.logs);
    if (key !== 'role' && (PARTS as readonly string[]).includes(key) && !(key in diff)) return previous[key as Part];
    return copyJsonValue(value, 1);
  }) as NodeView | typeof EXOTIC;
}

function copyLogs(
  previous: readonly LogView[] | undefined,
  next: readonly LogView[] | undefined,
  diffs: ReadonlyArray<LogDiff | null> | null,
): LogView[] | undefined | typeof EXOTIC {
  if (diffs === null || next === undefined) return undefined;
  if (Object.getPrototypeOf(next) !== Array.prototype || hasToJson(next)) return EXOTIC;
  const logs = new Array<LogView>(diffs.length);
  for (let i = 0; i < diffs.length; i++) {
    const diff = diffs[i]!;
    const before = previous?.[i];
    if (diff === null) {
      logs[i] = before!;
      continue;
    }
    const copy = copyRecord(next[i] as unknown as Record<string, unknown>, (key, value) => {
      if (key !== 'entries') return copyJsonValue(value, 2);
      const offset = before === undefined ? 0 : diff.start - before.start;
      const kept = diff.keep > 0 ? before!.entries.slice(offset, offset + diff.keep) : [];
      const added = copyJsonValue(diff.add, 2);
      return added === EXOTIC ? EXOTIC : kept.concat(added as LogEntryView[]);
    });
    if (copy === EXOTIC) return EXOTIC;
    logs[i] = copy as unknown as LogView;
  }
  return logs;
}

/**
 * A copy of a plain record whose members are what `member` makes of each (undefined: left out, as
 * JSON leaves it out); EXOTIC when the record or a member is not plain JSON data.
 */
function copyRecord(
  record: Record<string, unknown>,
  member: (key: string, value: unknown) => unknown,
): Record<string, unknown> | typeof EXOTIC {
  if (!isPlainRecord(record)) return EXOTIC;
  const copy: Record<string, unknown> = {};
  const keys = Object.keys(record);
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    if (key === '__proto__') return EXOTIC;
    const value = member(key, record[key]);
    if (value === EXOTIC) return EXOTIC;
    if (value !== undefined) copy[key] = value;
  }
  return copy;
}

/** An object JSON writes as its own members, in Object.keys order. */
function isPlainRecord(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return (prototype === Object.prototype || prototype === null) && !Array.isArray(value) && !hasToJson(value);
}

function hasToJson(value: object): boolean {
  return typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

/** normalizeView through JSON text: the definition that jsonCopy must match. */
export function normalizeViewByJson(view: NodeView): NodeView {
  return jsonRoundTrip(view) as NodeView;
}

/** `JSON.parse(JSON.stringify(value))`, which throws for what JSON cannot carry (cycles, BigInt). */
export function jsonRoundTrip(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value) as string) as unknown;
}

/** Met something whose JSON form only JSON.stringify itself knows (toJSON, a class, a boxed value, a cycle). */
const EXOTIC: unique symbol = Symbol('exotic');

/** Deeper than any view; a value this deep is most likely a cycle, which the round trip reports. */
const MAX_COPY_DEPTH = 200;

/**
 * What `JSON.parse(JSON.stringify(value))` returns, built without the text: members that are
 * undefined, functions or symbols dropped (null in arrays), non-finite numbers null, -0 as 0.
 * Plain objects, arrays and primitives are copied directly; anything else (a toJSON method, a
 * non-plain prototype, a BigInt, a cycle) sends the whole value through the round trip, so the
 * result and any error are JSON's own.
 */
export function jsonCopy(value: unknown): unknown {
  const copy = copyJsonValue(value, 0);
  // Undefined at the top has no JSON text, and parsing none throws: JSON's error, not ours.
  return copy === EXOTIC || copy === undefined ? jsonRoundTrip(value) : copy;
}

/** The copy of one value; undefined for what JSON leaves out; EXOTIC to fall back. */
function copyJsonValue(value: unknown, depth: number): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      // JSON writes NaN and infinities as null, and -0 as 0.
      return Number.isFinite(value) ? value + 0 : null;
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'bigint':
      return EXOTIC;
  }
  if (value === null) return null;
  if (depth > MAX_COPY_DEPTH) return EXOTIC;
  const object = value as Record<string, unknown>;
  if (typeof object.toJSON === 'function') return EXOTIC;
  if (Array.isArray(object)) {
    if (Object.getPrototypeOf(object) !== Array.prototype) return EXOTIC;
    const items = object as unknown[];
    const copy = new Array<unknown>(items.length);
    for (let i = 0; i < items.length; i++) {
      const item = copyJsonValue(items[i], depth + 1);
      if (item === EXOTIC) return EXOTIC;
      copy[i] = item === undefined ? null : item;
    }
    return copy;
  }
  const prototype = Object.getPrototypeOf(object) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return EXOTIC;
  const copy: Record<string, unknown> = {};
  const keys = Object.keys(object);
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    const member = copyJsonValue(object[key], depth + 1);
    if (member === EXOTIC) return EXOTIC;
    if (member === undefined) continue;
    // JSON.parse makes `__proto__` an own member; an assignment would set the prototype instead.
    if (key === '__proto__')
      Object.defineProperty(copy, key, { value: member, enumerable: true, writable: true, configurable: true });
    else copy[key] = member;
  }
  return copy;
}

/**
 * What changed from `previous` (the node's last view, undefined after a start) to `next`, or
 * undefined when nothing did. Parts are compared as their JSON texts would be (sameJson), and this runs
 * only when a trace is written.
 */
export function diffView(previous: NodeView | undefined, next: NodeView): ViewDiff | undefined {
  const diff: { -readonly [K in keyof ViewDiff]: ViewDiff[K] } = {};
  let changed = false;
  if (previous === undefined || previous.role !== next.role) {
    diff.role = next.role;
    changed = true;
  }
  for (let p = 0; p < PARTS.length; p++) {
    const part = PARTS[p]!;
    const before = previous?.[part];
    const after = next[part];
    if (after === undefined) {
      if (before !== undefined) {
        diff[part] = null;
        changed = true;
      }
    } else if (before === undefined || !sameJson(before, after)) {
      (diff as Record<Part, unknown>)[part] = after;
      changed = true;
    }
  }
  const logs = diffLogs(previous?.logs, next.logs);
  if (logs !== undefined) {
    diff.logs = logs;
    changed = true;
  }
  return changed ? diff : undefined;
}

function diffLogs(
  previous: readonly LogView[] | undefined,
  next: readonly LogView[] | undefined,
): ReadonlyArray<LogDiff | null> | null | undefined {
  if (next === undefined) return previous === undefined ? undefined : null;
  let changed = previous === undefined || previous.length !== next.length;
  const diffs = next.map((log, i) => {
    const diff = diffLog(previous?.[i], log);
    if (diff !== null) changed = true;
    return diff;
  });
  return changed ? diffs : undefined;
}

/** The diff of one log, or null when it is unchanged. */
function diffLog(previous: LogView | undefined, next: LogView): LogDiff | null {
  const entries = next.entries;
  let keep = 0;
  if (previous !== undefined && next.start >= previous.start) {
    const offset = next.start - previous.start;
    const old = previous.entries;
    const limit = Math.min(entries.length, old.length - offset);
    while (keep < limit && sameEntry(old[offset + keep]!, entries[keep]!)) keep++;
  }
  if (
    previous !== undefined &&
    keep === entries.length &&
    keep === previous.entries.length &&
    next.start === previous.start &&
    previous.name === next.name &&
    sameJson(previous.marks, next.marks)
  )
    return null;
  return {
    ...(next.name !== undefined ? { name: next.name } : {}),
    start: next.start,
    keep,
    add: entries.slice(keep),
    ...(next.marks !== undefined ? { marks: next.marks } : {}),
  };
}

function sameEntry(a: LogEntryView, b: LogEntryView): boolean {
  if (a === b) return true;
  if (a.label !== b.label || a.term !== b.term) return false;
  const marksA = a.marks;
  const marksB = b.marks;
  if (marksA === marksB) return true;
  if (marksA === undefined || marksB === undefined || marksA.length !== marksB.length) return false;
  for (let i = 0; i < marksA.length; i++) if (marksA[i] !== marksB[i]) return false;
  return true;
}

/**
 * The view after `diff`, from `previous` (undefined after a start). Never mutates `previous`: a
 * replay keeps old views for scrubbing back.
 */
export function applyViewDiff(previous: NodeView | undefined, diff: ViewDiff): NodeView {
  const view: { -readonly [K in keyof NodeView]: NodeView[K] } = { role: diff.role ?? previous?.role ?? '' };
  for (const part of PARTS) {
    const value = diff[part] === undefined ? previous?.[part] : diff[part];
    if (value !== null && value !== undefined) (view as Record<Part, unknown>)[part] = value;
  }
  const logs =
    diff.logs === undefined ? previous?.logs : diff.logs === null ? undefined : applyLogs(previous?.logs, diff.logs);
  if (logs !== undefined) view.logs = logs;
  return view;
}

function applyLogs(previous: readonly LogView[] | undefined, diffs: ReadonlyArray<LogDiff | null>): LogView[] {
  return diffs.map((diff, i) => {
    const before = previous?.[i];
    if (diff === null) {
      if (before === undefined) throw new Error(`view diff keeps log ${i}, but the node had no log ${i} before`);
      return before;
    }
    const kept =
      diff.keep > 0 && before !== undefined
        ? before.entries.slice(diff.start - before.start, diff.start - before.start + diff.keep)
        : [];
    if (kept.length !== diff.keep)
      throw new Error(
        `view diff keeps ${diff.keep} entries of log ${i} from ${diff.start}, but only ${kept.length} were there`,
      );
    return {
      ...(diff.name !== undefined ? { name: diff.name } : {}),
      start: diff.start,
      entries: diff.add.length === 0 ? kept : kept.concat(diff.add),
      ...(diff.marks !== undefined ? { marks: diff.marks } : {}),
    };
  });
}

/**
 * Whether two JSON-like values would serialize to the same JSON text, compared in place (views are
 * compared after every traced step, and serializing both sides cost more than the rest of the diff).
 * Members that are undefined count as absent, as in JSON.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    // NaN and infinities are written as null.
    if (typeof a === 'number' && typeof b === 'number') return !Number.isFinite(a) && !Number.isFinite(b);
    return false;
  }
  const arrayA = Array.isArray(a);
  if (arrayA !== Array.isArray(b)) return false;
  if (arrayA) {
    const x = a as unknown[];
    const y = b as unknown[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!sameJson(x[i] ?? null, y[i] ?? null)) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  // Same members in the same order (JSON text order), undefined ones skipped. The two key lists
  // are walked side by side rather than filtered first: this runs for every part of every view
  // after every step, and the filtered copies were most of its cost.
  const keysA = Object.keys(x);
  const keysB = Object.keys(y);
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < keysA.length && x[keysA[i]!] === undefined) i++;
    while (j < keysB.length && y[keysB[j]!] === undefined) j++;
    if (i === keysA.length || j === keysB.length) return i === keysA.length && j === keysB.length;
    const key = keysA[i]!;
    if (key !== keysB[j] || !sameJson(x[key], y[key])) return false;
    i++;
    j++;
  }
}
