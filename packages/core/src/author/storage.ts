/**
 * A node's durable storage: a key-value store whose writes survive a crash once synced, like a
 * file followed by fsync. Values are deep-copied on the way in and out, so neither the protocol's
 * later mutations nor a reader's can alter what is "on disk".
 */
export interface DurableStorage {
  get<T = unknown>(key: string | StorageKey): T | undefined;
  has(key: string | StorageKey): boolean;
  put(key: string | StorageKey, value: unknown): void;
  delete(key: string | StorageKey): void;
  /**
   * The key `family/index`, for records kept as an array, such as a log's slots: get, has, put and
   * delete take it in place of a name. It names the same key as the string `family/index`.
   */
  keyAt(family: string, index: number): StorageKey;
  /**
   * The log `name`: entries by consecutive index, appended, truncated and compacted as a whole, as
   * a write-ahead log is (etcd's raft Storage). One append is one write however many entries it
   * carries, under the same crash model as keys. Logs are named apart from keys.
   */
  log(name: string): DurableLog;
  /** Keys in sorted order (never insertion order, so iteration is the same however writes interleaved). */
  keys(prefix?: string): string[];
  /** Makes every write so far durable. */
  sync(): void;
  /** Writes made since the last sync (a log's append, truncation or compaction is one). */
  readonly unsyncedWrites: number;
  /**
   * True when this node's syncs take no time (the scenario gives it no storage sync latency): a
   * step's synced writes are on disk before any of its messages leave, as in etcd's synchronous
   * Ready loop (persist, then send), so the step itself may treat them as durable. False with a
   * sync latency: a message the node sends itself arrives when the sync completes (etcd's
   * MsgStorageAppendResp), and that is when the writes are durable.
   */
  readonly syncsAreImmediate: boolean;
}

/** A key resolved by DurableStorage.keyAt. */
export interface StorageKey {
  readonly name: string;
}

/**
 * A durable log of entries at consecutive indexes firstIndex..lastIndex (empty: lastIndex is
 * firstIndex - 1; a new log holds nothing and starts at 1). Each append, truncation or compaction
 * is one write: durable after `sync()`, gone in a crash that loses unsynced writes. Entries are
 * immutable once stored: one frozen all the way down is kept as it is, anything else is stored as
 * a frozen copy (plain objects, arrays and primitives only), so reads return frozen values.
 */
export interface DurableLog {
  readonly firstIndex: number;
  readonly lastIndex: number;
  /** The entry at `index`; undefined outside firstIndex..lastIndex. */
  entry<T = unknown>(index: number): T | undefined;
  /** Stores `entries` from index `from` (firstIndex..lastIndex + 1) on: whatever was at or after `from` is gone. */
  append(from: number, entries: readonly unknown[]): void;
  /** `append(index, [entry])` without the array: `entry` becomes the last entry. */
  appendAt(index: number, entry: unknown): void;
  /** Drops the entries after `last` (at least firstIndex - 1; at or past lastIndex nothing goes). */
  truncate(last: number): void;
  /** Drops the entries up to `upTo`; past lastIndex the log is left empty, to continue at upTo + 1. */
  compact(upTo: number): void;
}
