import type { DurableStorage, StorageKey } from '../author/storage.ts';
import type { Micros } from '../time/time.ts';
import { NodeLog, type LogJournal, type LogUndo } from './storage-log.ts';
import { StorageKeys } from './storage-keys.ts';

const ABSENT = Symbol('absent');

/** `takeSyncRequest`'s answers other than a journal position. */
export const NO_SYNC = -2;
export const NOTHING_NEW = -1;

function nameOf(key: string | StorageKey): string {
  return typeof key === 'string' ? key : key.name;
}

/** Values by key id, in pages of PAGE slots: a storage that uses a few keys with high ids stays small. */
const PAGE_BITS = 8;
const PAGE = 1 << PAGE_BITS;
const SLOT = PAGE - 1;

/**
 * Each present key's current value lives in a slot of its key id's page (undefined: absent), or
 * in `overflow` for a key without an id; reads are a lookup and sync is O(1). An undo
 * journal keeps, for each write since the last sync, the key's value before that write: all a
 * crash that loses unsynced writes needs to roll back to what was on disk. Replayed newest first,
 * a key written twice ends with its oldest journaled value: the durable one. A log
 * (storage-log.ts) journals each of its writes in the same journal, as what undoes it, so syncs,
 * seals and crashes cover log and key writes alike, in the order they were made.
 */
export class NodeStorage implements DurableStorage, LogJournal {
  /** The run's key table and recent immutable values, shared by its nodes' storages; a storage made alone gets its own. */
  constructor(
    private readonly keyTable: StorageKeys = new StorageKeys(),
    private readonly recent: RecentlyImmutable = new RecentlyImmutable(),
  ) {}

  /**
   * Values by key id: pages[id >> PAGE_BITS][id & SLOT]. A value is stored directly, not in a
   * cell object: a cell costs a cache miss and an allocation per key.
   */
  private readonly pages: Array<unknown[] | undefined> = [];
  /** Keys that got no id (the run's key table was full), and their values. */
  private overflow: Map<string, unknown> | undefined;
  /** Each journal record's key name, or the log it changed (its undo in undoValues). */
  private readonly undoKeys: Array<string | NodeLog> = [];
  private readonly undoValues: unknown[] = [];
  /** The logs by name, and the one named last (a protocol usually keeps one). */
  private logs: Map<string, NodeLog> | undefined;
  private lastLog: NodeLog | undefined;
  /** Journal records in use; slots past it are stale and get overwritten. */
  private undoCount = 0;
  /** The journal's keys as a set, built only when a long journal must answer "written since the sync?". */
  private undoIndex: Set<string> | undefined;
  /**
   * With a sync latency (see `timeSyncs`), a sync does not make writes durable at once: it seals
   * the journal up to that point, and the seal completes at a time the kernel gives. Seals in
   * order: `sealEnds[i]` is the journal position sealed, `sealDoneAt[i]` when it is on disk.
   * Without a sync latency both stay empty and a sync clears the journal.
   */
  private timedSyncs = false;
  private readonly sealEnds: number[] = [];
  private readonly sealDoneAt: Micros[] = [];
  /** What this step's syncs asked for: NO_SYNC, NOTHING_NEW, or the journal position to seal. */
  private requestedSeal = NO_SYNC;
  /** Totals for summaries and benchmarks. */
  syncCount = 0;
  writeCount = 0;

  get unsyncedWrites(): number {
    return this.undoCount;
  }

  get syncsAreImmediate(): boolean {
    return !this.timedSyncs;
  }

  get<T = unknown>(key: string | StorageKey): T | undefined {
    const value = this.current(key);
    return value === undefined ? undefined : (copy(value) as T);
  }

  has(key: string | StorageKey): boolean {
    return this.current(key) !== undefined;
  }

  put(key: string | StorageKey, value: unknown): void {
    const name = nameOf(key);
    if (value === undefined) throw new Error(`storage.put('${name}', undefined): store null or delete the key instead`);
    const id = this.keyTable.idOf(key, true);
    if (id < 0) {
      const overflow = (this.overflow ??= new Map());
      const before = overflow.get(name);
      this.journal(name, before === undefined ? ABSENT : before);
      overflow.set(name, keep(value, this.recent));
      return;
    }
    const page = this.page(id >> PAGE_BITS);
    const slot = id & SLOT;
    const before = page[slot];
    this.journal(name, before === undefined ? ABSENT : before);
    page[slot] = keep(value, this.recent);
  }

  delete(key: string | StorageKey): void {
    const name = nameOf(key);
    const before = this.current(key);
    if (before === undefined) {
      // Deleting a key that is absent, and was not written since the last sync, is not a write.
      if (!this.writtenSinceSync(name)) return;
      this.journal(name, ABSENT);
      return;
    }
    this.journal(name, before);
    this.restore(name, undefined);
  }

  log(name: string): NodeLog {
    const last = this.lastLog;
    if (last !== undefined && last.name === name) return last;
    if (typeof name !== 'string' || name === '')
      throw new Error(`storage.log(${JSON.stringify(name)}): name the log with a non-empty string, such as 'log'`);
    const logs = (this.logs ??= new Map());
    let log = logs.get(name);
    if (log === undefined) {
      log = new NodeLog(name, this, this.recent);
      logs.set(name, log);
    }
    this.lastLog = log;
    return log;
  }

  /** One journal record for a log write, however many entries it carries. */
  journalLog(log: NodeLog, undo: LogUndo): void {
    const n = this.undoCount++;
    this.undoKeys[n] = log;
    this.undoValues[n] = undo;
    this.writeCount++;
  }

  /** The key `name`, resolved once: a key used often is looked up by name only here. */
  key(name: string): StorageKey {
    return this.keyTable.resolve(name);
  }

  keyAt(family: string, index: number): StorageKey {
    return this.keyTable.keyAt(family, index);
  }

  /**
   * A key's value as stored (undefined: absent). A key read before it is ever written gets its id
   * here (while the table has room), with an empty slot: a protocol that keeps reading a key it
   * rarely writes (Raft's ring size, on every entry saved) then finds its name among the recent
   * ones instead of missing in the key map each time. An id never shows: absent is absent either way.
   */
  private current(key: string | StorageKey): unknown {
    const id = this.keyTable.idOf(key, true);
    if (id < 0) return this.overflow?.get(nameOf(key));
    const page = this.pages[id >> PAGE_BITS];
    return page === undefined ? undefined : page[id & SLOT];
  }

  /** Sets a key's stored value as it is (undefined: absent), without journaling. */
  private restore(name: string, value: unknown): void {
    const id = this.keyTable.idOf(name, false);
    if (id >= 0) this.page(id >> PAGE_BITS)[id & SLOT] = value;
    else if (value !== undefined) (this.overflow ??= new Map()).set(name, value);
    else this.overflow?.delete(name);
  }

  /** The page with this number, made on first use. Pages are added in order, so the array never has holes. */
  private page(number: number): unknown[] {
    const pages = this.pages;
    while (pages.length <= number) pages.push(undefined);
    let page = pages[number];
    if (page === undefined) {
      page = new Array<unknown>(PAGE).fill(undefined);
      pages[number] = page;
    }
    return page;
  }

  private journal(key: string, before: unknown): void {
    const n = this.undoCount++;
    this.undoKeys[n] = key;
    this.undoValues[n] = before;
    this.undoIndex?.add(key);
    this.writeCount++;
  }

  private writtenSinceSync(key: string): boolean {
    // A log record's NodeLog never equals a key name.
    const n = this.undoCount;
    if (n <= 16) {
      for (let i = 0; i < n; i++) if (this.undoKeys[i] === key) return true;
      return false;
    }
    if (this.undoIndex === undefined) {
      this.undoIndex = new Set();
      for (let i = 0; i < n; i++) {
        const written = this.undoKeys[i]!;
        if (typeof written === 'string') this.undoIndex.add(written);
      }
    }
    return this.undoIndex.has(key);
  }

  keys(prefix = ''): string[] {
    const result: string[] = [];
    const names = this.keyTable.names;
    const pages = this.pages;
    for (let number = 0; number < pages.length; number++) {
      const page = pages[number];
      if (page === undefined) continue;
      for (let slot = 0; slot < PAGE; slot++) {
        if (page[slot] === undefined) continue;
        const key = names[(number << PAGE_BITS) | slot]!;
        if (key.startsWith(prefix)) result.push(key);
      }
    }
    if (this.overflow) for (const key of this.overflow.keys()) if (key.startsWith(prefix)) result.push(key);
    return result.sort();
  }

  sync(): void {
    this.syncCount++;
    if (!this.timedSyncs) return this.clearJournal();
    const sealed = this.sealEnds.length > 0 ? this.sealEnds[this.sealEnds.length - 1]! : 0;
    if (this.undoCount > sealed) this.requestedSeal = this.undoCount;
    else if (this.requestedSeal === NO_SYNC) this.requestedSeal = NOTHING_NEW;
  }

  /** Makes syncs take time: the kernel then seals each step's sync and says when it completes. */
  timeSyncs(): void {
    this.timedSyncs = true;
  }

  /**
   * What the step that just ran asked of the disk, and resets the request: NO_SYNC (no sync),
   * NOTHING_NEW (a sync, but every write was already sealed), or the journal position to seal.
   */
  takeSyncRequest(): number {
    const request = this.requestedSeal;
    this.requestedSeal = NO_SYNC;
    return request;
  }

  /** When every write sealed so far is on disk: `now` when no seal is in progress. */
  durableAt(now: Micros): Micros {
    const last = this.sealDoneAt.length > 0 ? this.sealDoneAt[this.sealDoneAt.length - 1]! : now;
    return last > now ? last : now;
  }

  /** The writes up to journal position `end` reach the disk at `doneAt`; those of seals done by `now` are durable. */
  seal(end: number, doneAt: Micros, now: Micros): void {
    const settled = this.settle(now);
    this.sealEnds.push(end - settled);
    this.sealDoneAt.push(doneAt);
  }

  /** Drops from the journal the writes whose seal completed by `now` (they are on disk); returns how many. */
  private settle(now: Micros): number {
    let done = 0;
    while (done < this.sealDoneAt.length && this.sealDoneAt[done]! <= now) done++;
    if (done === 0) return 0;
    const durable = this.sealEnds[done - 1]!;
    this.undoKeys.splice(0, durable);
    this.undoValues.splice(0, durable);
    this.undoCount -= durable;
    this.undoIndex = undefined;
    this.sealEnds.splice(0, done);
    this.sealDoneAt.splice(0, done);
    for (let i = 0; i < this.sealEnds.length; i++) this.sealEnds[i] = this.sealEnds[i]! - durable;
    return durable;
  }

  private clearJournal(): void {
    if (this.undoCount === 0) return;
    if (this.undoCount > 32) {
      // A long journal: let its old values go.
      this.undoKeys.length = 0;
      this.undoValues.length = 0;
    } else {
      for (let i = 0; i < this.undoCount; i++) this.undoValues[i] = undefined;
    }
    this.undoCount = 0;
    this.undoIndex = undefined;
  }

  /**
   * What a crash leaves. With `loseUnsynced`, writes since the last sync vanish (the page cache
   * died with the machine); otherwise they survive (the OS flushed them before the process died).
   */
  crash(loseUnsynced: boolean, now: Micros = 0): number {
    // With timed syncs, what a completed seal covered is on disk; a seal still in progress is not.
    this.settle(now);
    this.sealEnds.length = 0;
    this.sealDoneAt.length = 0;
    this.requestedSeal = NO_SYNC;
    const lost = this.undoCount;
    if (loseUnsynced) {
      for (let i = lost - 1; i >= 0; i--) {
        const written = this.undoKeys[i]!;
        const before = this.undoValues[i];
        if (typeof written !== 'string') written.undo(before as LogUndo);
        else this.restore(written, before === ABSENT ? undefined : before);
      }
    }
    this.clearJournal();
    return loseUnsynced ? lost : 0;
  }

  /** The names of the logs written or opened, sorted. */
  logNames(): string[] {
    return this.logs === undefined ? [] : [...this.logs.keys()].sort();
  }

  /**
   * Everything stored, as [key, value] pairs sorted by key, then each log as a pair
   * [`log:<name>`, { firstIndex, entries }] in order of name. Pairs rather than an object: keys
   * that look like integers would otherwise iterate in numeric order, not the order we sorted.
   */
  snapshot(): Array<[string, unknown]> {
    const pairs: Array<[string, unknown]> = this.keys().map((key) => [key, this.get(key)]);
    for (const name of this.logNames()) {
      const log = this.logs!.get(name)!;
      pairs.push([`log:${name}`, { firstIndex: log.firstIndex, entries: log.stored() }]);
    }
    return pairs;
  }
}

/**
 * What `put` keeps of a value. A value that nothing can change is kept as it is, however exotic
 * its keys: `get` copies it on the way out unless it is plain (see copy), which gives the reader
 * exactly what a copy made by `put` would have given, because the value cannot have changed in
 * between. So `put` checks only that the value cannot change, which is cheaper than checking that
 * it is plain: it looks for no symbols or hidden properties, a search that would otherwise run on
 * every new log entry.
 */
function keep(value: unknown, recent: RecentlyImmutable): unknown {
  if (value === null || typeof value !== 'object') return value;
  return recent.has(value) ? value : copy(value);
}

/**
 * The last few values found immutable (an immutable value stays so), shared by the storages of
 * one run: the same value is usually written to several nodes' storage in a row, as a Raft entry
 * is to every node's log.
 */
export class RecentlyImmutable {
  private static readonly SIZE = 8;
  private readonly ring: Array<object | undefined> = new Array<object | undefined>(RecentlyImmutable.SIZE).fill(
    undefined,
  );
  private next = 0;

  /** Whether nothing can change `value` (see isImmutable). */
  has(value: object): boolean {
    const ring = this.ring;
    const mask = RecentlyImmutable.SIZE - 1;
    // Newest first: a value is usually written again within a write or two. The ring is looked at
    // before Object.isFrozen (in isImmutable), which costs more than these eight comparisons.
    for (let i = 1; i <= RecentlyImmutable.SIZE; i++) if (ring[(this.next - i) & mask] === value) return true;
    if (!isImmutable(value)) return false;
    ring[this.next] = value;
    this.next = (this.next + 1) & mask;
    return true;
  }
}

/**
 * Whether nothing can change what copy() would read from `value`: it is a frozen plain object or
 * array (so no Map, Set, Date or class instance, whose insides freezing does not reach), and so is
 * every object that copy() would read in it (its own enumerable properties; an array's elements).
 * Properties that copy() skips (symbols, non-enumerable ones, an array's named ones) may hold
 * anything: they are never read back. A getter is read as a value, as copy() reads it.
 */
function isImmutable(value: object): boolean {
  if (!Object.isFrozen(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype === Array.prototype && Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item !== null && typeof item === 'object' && !isImmutable(item)) return false;
    }
    return true;
  }
  if (prototype !== Object.prototype) return false;
  for (const key in value) {
    const item: unknown = (value as Record<string, unknown>)[key];
    if (item !== null && typeof item === 'object' && !isImmutable(item)) return false;
  }
  return true;
}

/**
 * Plain data frozen all the way down: what copy() returns as it is, since a copy would be
 * indistinguishable from it (frozen, with the prototype copy() gives, no symbols, no hidden or
 * named-on-array properties, no holes).
 */
function isFrozenPlain(value: object): boolean {
  if (!Object.isFrozen(value)) return false;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return false;
    for (let i = 0; i < value.length; i++) {
      if (!Object.hasOwn(value, i)) return false;
      const item: unknown = value[i];
      if (item !== null && typeof item === 'object' && !isFrozenPlain(item)) return false;
    }
    return Object.getOwnPropertyNames(value).length === value.length + 1; // the indexes and 'length'
  }
  // copy() makes an object with Object.prototype: share only what would look the same.
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  if (Object.getOwnPropertySymbols(value).length > 0) return false;
  let count = 0;
  for (const key in value) {
    const item: unknown = (value as Record<string, unknown>)[key];
    if (item !== null && typeof item === 'object' && !isFrozenPlain(item)) return false;
    count++;
  }
  return Object.getOwnPropertyNames(value).length === count;
}

/**
 * Deep-copies plain data (objects, arrays, Maps, Sets, primitives). Reading through an immer
 * draft works, so a handler may store parts of its draft directly. Plain objects and arrays
 * frozen all the way down (no symbols, hidden properties or holes) are returned as they are:
 * nobody can change them, so a copy would be indistinguishable.
 */
export function copy(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (isFrozenPlain(value)) return value;
  if (Array.isArray(value)) {
    const result = new Array(value.length);
    for (let i = 0; i < value.length; i++) result[i] = copy(value[i]);
    return result;
  }
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [copy(k), copy(v)]));
  if (value instanceof Set) return new Set([...value].map(copy));
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(value)) result[key] = copy((value as Record<string, unknown>)[key]);
  return result;
}
