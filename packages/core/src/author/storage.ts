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
  /** Keys in sorted order (never insertion order, so iteration is the same however writes interleaved). */
  keys(prefix?: string): string[];
  /** Makes every write so far durable. */
  sync(): void;
  /** Writes made since the last sync. */
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
