import type { DurableLog } from '../author/storage.ts';
import type { RecentlyImmutable } from './storage.ts';

/**
 * Where a log's writes are journaled: the node storage's undo journal, shared with its keys, so a
 * sync, a seal or a crash covers log writes and key writes in the order they were made.
 */
export interface LogJournal {
  journalLog(log: NodeLog, undo: LogUndo): void;
}

/**
 * What undoes one log write. A number `n`: drop the entries from index n on (an append after the
 * last entry, the common case, journals just that: no allocation). Otherwise the entries the
 * write removed, to put back.
 */
export type LogUndo = number | RestoreTail | RestoreFront;

/** Undoes a write that removed the entries from `from` on: they were `removed`. */
class RestoreTail {
  constructor(
    readonly from: number,
    readonly removed: unknown[],
  ) {}
}

/** Undoes a compaction that removed `removed`, the entries from `firstIndex` on. */
class RestoreFront {
  constructor(
    readonly firstIndex: number,
    readonly removed: unknown[],
  ) {}
}

/**
 * A log as one array of entries after an offset: an append is a push and one journal record
 * (etcd's MemoryStorage under a WAL), where the same log on keys costs a key lookup, an
 * immutability check and a journal record per entry plus one for the last index. The plain twin
 * (storage-log-plain.ts) keeps the same log on keys; storage-log.test.ts holds the two equal.
 */
export class NodeLog implements DurableLog {
  /** entries[i] has index offset + i. */
  private offset = 1;
  private entries: unknown[] = [];

  constructor(
    readonly name: string,
    private readonly journal: LogJournal,
    private readonly recent: RecentlyImmutable,
  ) {}

  get firstIndex(): number {
    return this.offset;
  }

  get lastIndex(): number {
    return this.offset + this.entries.length - 1;
  }

  entry<T = unknown>(index: number): T | undefined {
    return this.entries[index - this.offset] as T | undefined;
  }

  append(from: number, entries: readonly unknown[]): void {
    this.checkFrom('append', from);
    // Every value is checked (and copied if it must be) before anything changes: a bad entry leaves the log as it was.
    let copies: unknown[] | undefined;
    for (let i = 0; i < entries.length; i++) {
      if (this.isKeptAsIs(entries[i])) continue;
      copies ??= entries.slice();
      copies[i] = frozenCopy(entries[i], this.name, from + i);
    }
    const undo = this.cutFrom(from);
    const stored = copies ?? entries;
    for (let i = 0; i < stored.length; i++) this.entries.push(stored[i]);
    this.journal.journalLog(this, undo);
  }

  appendAt(index: number, entry: unknown): void {
    this.checkFrom('appendAt', index);
    const stored = this.isKeptAsIs(entry) ? entry : frozenCopy(entry, this.name, index);
    const undo = this.cutFrom(index);
    this.entries.push(stored);
    this.journal.journalLog(this, undo);
  }

  truncate(last: number): void {
    if (!Number.isInteger(last) || last < this.offset - 1)
      throw new Error(
        `storage.log('${this.name}').truncate(${String(last)}): give an integer index of at least ${this.offset - 1} (the log starts at ${this.offset})`,
      );
    this.journal.journalLog(this, last >= this.lastIndex ? this.lastIndex + 1 : this.cutFrom(last + 1));
  }

  compact(upTo: number): void {
    if (!Number.isInteger(upTo))
      throw new Error(`storage.log('${this.name}').compact(${String(upTo)}): give an integer index`);
    if (upTo < this.offset) return this.journal.journalLog(this, this.lastIndex + 1);
    const first = this.offset;
    const dropped = Math.min(upTo, this.lastIndex) - first + 1;
    const removed = this.entries.splice(0, dropped);
    this.offset = upTo + 1;
    this.journal.journalLog(this, new RestoreFront(first, removed));
  }

  /** Puts the log back as it was before the write that `undo` was journaled for (newest first, in a crash). */
  undo(undo: LogUndo): void {
    if (typeof undo === 'number') {
      this.entries.length = Math.max(0, undo - this.offset);
    } else if (undo instanceof RestoreTail) {
      this.entries.length = undo.from - this.offset;
      for (const entry of undo.removed) this.entries.push(entry);
    } else {
      this.entries = undo.removed.concat(this.entries);
      this.offset = undo.firstIndex;
    }
  }

  /** The entries in order (for snapshots of the storage). */
  stored(): readonly unknown[] {
    return this.entries.slice();
  }

  /** Drops the entries from `from` on and returns what undoes that. */
  private cutFrom(from: number): LogUndo {
    const kept = from - this.offset;
    if (kept >= this.entries.length) return from;
    const removed = this.entries.slice(kept);
    this.entries.length = kept;
    return new RestoreTail(from, removed);
  }

  private checkFrom(operation: string, from: number): void {
    if (Number.isInteger(from) && from >= this.offset && from <= this.lastIndex + 1) return;
    throw new Error(
      `storage.log('${this.name}').${operation}(${String(from)}, …): the log holds ${this.offset}..${this.lastIndex}; ` +
        `write from an index in ${this.offset}..${this.lastIndex + 1} (after the last entry, or over a suffix to replace it)`,
    );
  }

  private isKeptAsIs(value: unknown): boolean {
    if (value === null) return true;
    return typeof value === 'object' ? this.recent.has(value) : value !== undefined;
  }
}

/**
 * A frozen deep copy of plain data, so that nobody, the writer included, can change a stored
 * entry. A Map, Set, Date or class instance is refused: freezing does not reach its insides.
 */
function frozenCopy(value: unknown, log: string, index: number): unknown {
  if (value === undefined)
    throw new Error(`storage.log('${log}'): the entry at index ${index} is undefined; store null instead`);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const result = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++)
      result[i] = value[i] === undefined ? undefined : frozenCopy(value[i], log, index);
    return Object.freeze(result);
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null)
    throw new Error(
      `storage.log('${log}'): the entry at index ${index} holds a ${value.constructor?.name ?? 'non-plain object'}; ` +
        'a log stores plain data (objects, arrays, primitives)',
    );
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    result[key] = item === undefined ? undefined : frozenCopy(item, log, index);
  }
  return Object.freeze(result);
}
