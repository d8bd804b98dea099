/**
 * A node's durable storage: a key-value store whose writes survive a crash once synced, like a
 * file followed by fsync. Values are deep-copied on the way in and out, so neither the protocol's
 * later mutations nor a reader's can alter what is "on disk".
 */
export interface DurableStorage {
  get<T = unknown>(key: string): T | undefined;
  has(key: string): boolean;
  put(key: string, value: unknown): void;
  delete(key: string): void;
  /** Keys in sorted order (never insertion order, so iteration is the same however writes interleaved). */
  keys(prefix?: string): string[];
  /** Makes every write so far durable. */
  sync(): void;
  /** Writes made since the last sync. */
  readonly unsyncedWrites: number;
}

const DELETED = Symbol('deleted');

export class NodeStorage implements DurableStorage {
  private durable = new Map<string, unknown>();
  private pending = new Map<string, unknown>();
  private writesSinceSync = 0;
  /** Totals for summaries and benchmarks. */
  syncCount = 0;
  writeCount = 0;

  get unsyncedWrites(): number {
    return this.writesSinceSync;
  }

  get<T = unknown>(key: string): T | undefined {
    const value = this.pending.has(key) ? this.pending.get(key) : this.durable.get(key);
    if (value === DELETED || value === undefined) return undefined;
    return copy(value) as T;
  }

  has(key: string): boolean {
    const value = this.pending.has(key) ? this.pending.get(key) : this.durable.get(key);
    return value !== undefined && value !== DELETED;
  }

  put(key: string, value: unknown): void {
    if (value === undefined) throw new Error(`storage.put('${key}', undefined): store null or delete the key instead`);
    this.pending.set(key, copy(value));
    this.writesSinceSync++;
    this.writeCount++;
  }

  delete(key: string): void {
    this.pending.set(key, DELETED);
    this.writesSinceSync++;
    this.writeCount++;
  }

  keys(prefix = ''): string[] {
    const result = new Set<string>();
    for (const [key, value] of this.durable) if (value !== DELETED && key.startsWith(prefix)) result.add(key);
    for (const [key, value] of this.pending) {
      if (!key.startsWith(prefix)) continue;
      if (value === DELETED) result.delete(key);
      else result.add(key);
    }
    return [...result].sort();
  }

  sync(): void {
    for (const [key, value] of this.pending) {
      if (value === DELETED) this.durable.delete(key);
      else this.durable.set(key, value);
    }
    this.pending.clear();
    this.writesSinceSync = 0;
    this.syncCount++;
  }

  /**
   * What a crash leaves. With `loseUnsynced`, writes since the last sync vanish (the page cache
   * died with the machine); otherwise they survive (the OS flushed them before the process died).
   */
  crash(loseUnsynced: boolean): number {
    const lost = this.writesSinceSync;
    if (loseUnsynced) this.pending.clear();
    else this.sync();
    this.writesSinceSync = 0;
    return loseUnsynced ? lost : 0;
  }

  /**
   * Everything stored, as [key, value] pairs sorted by key. Pairs rather than an object: keys
   * that look like integers would otherwise iterate in numeric order, not the order we sorted.
   */
  snapshot(): Array<[string, unknown]> {
    return this.keys().map((key) => [key, this.get(key)]);
  }
}

/**
 * Deep-copies plain data (objects, arrays, Maps, Sets, primitives). Reading through an immer
 * draft works, so a handler may store parts of its draft directly.
 */
export function copy(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
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
