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

const ABSENT = Symbol('absent');

/**
 * One live map holds every write, so reads are one lookup and sync is O(1). An undo journal keeps,
 * for each key written since the last sync, its durable value before that write: all a crash that
 * loses unsynced writes needs to roll the map back to what was on disk.
 */
export class NodeStorage implements DurableStorage {
  private readonly live = new Map<string, unknown>();
  private undo = new Map<string, unknown>();
  private writesSinceSync = 0;
  /** Totals for summaries and benchmarks. */
  syncCount = 0;
  writeCount = 0;

  get unsyncedWrites(): number {
    return this.writesSinceSync;
  }

  get<T = unknown>(key: string): T | undefined {
    const value = this.live.get(key);
    return value === undefined ? undefined : (copy(value) as T);
  }

  has(key: string): boolean {
    return this.live.has(key);
  }

  put(key: string, value: unknown): void {
    if (value === undefined) throw new Error(`storage.put('${key}', undefined): store null or delete the key instead`);
    this.remember(key);
    this.live.set(key, copy(value));
  }

  delete(key: string): void {
    if (!this.live.has(key) && !this.undo.has(key)) return;
    this.remember(key);
    this.live.delete(key);
  }

  private remember(key: string): void {
    if (!this.undo.has(key)) this.undo.set(key, this.live.has(key) ? this.live.get(key) : ABSENT);
    this.writesSinceSync++;
    this.writeCount++;
  }

  keys(prefix = ''): string[] {
    const result: string[] = [];
    for (const key of this.live.keys()) if (key.startsWith(prefix)) result.push(key);
    return result.sort();
  }

  sync(): void {
    if (this.writesSinceSync > 0) this.undo = new Map();
    this.writesSinceSync = 0;
    this.syncCount++;
  }

  /**
   * What a crash leaves. With `loseUnsynced`, writes since the last sync vanish (the page cache
   * died with the machine); otherwise they survive (the OS flushed them before the process died).
   */
  crash(loseUnsynced: boolean): number {
    const lost = this.writesSinceSync;
    if (loseUnsynced) {
      for (const [key, before] of this.undo) {
        if (before === ABSENT) this.live.delete(key);
        else this.live.set(key, before);
      }
    }
    this.undo = new Map();
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
