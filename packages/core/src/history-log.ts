import type { HistoryEntry } from './history.ts';
import type { NodeId } from './protocol.ts';
import type { Micros } from './time.ts';

type EntryType = HistoryEntry['type'];
const TYPES: readonly EntryType[] = ['invoke', 'ok', 'fail', 'info'];
const TYPE_CODE: Readonly<Record<EntryType, number>> = { invoke: 0, ok: 1, fail: 2, info: 3 };

/**
 * The run's client history, kept in columns while the run goes on and turned into HistoryEntry
 * objects only when someone reads it.
 *
 * Why: the history lasts the whole run (two entries per client operation: 700,000 in an hour of
 * Raft under 100 writes/s), and as objects each entry was ~100 bytes of old-generation heap that
 * every major GC traced, a tenth of a long run's time, while most runs read the history once at
 * the end or never. In columns an entry is a few numbers and references to strings the run holds
 * anyway. `entries()` builds the objects once, in order, and extends the same array as the log
 * grows, so a checker that reads the history after every step pays once per entry.
 */
export class HistoryLog {
  private time: Float64Array = new Float64Array(1024);
  private process: Float64Array = new Float64Array(1024);
  private type: Uint8Array = new Uint8Array(1024);
  private readonly f: string[] = [];
  private readonly key: Array<string | undefined> = [];
  private readonly value: unknown[] = [];
  private readonly client: Array<string | undefined> = [];
  private readonly node: Array<NodeId | undefined> = [];
  private readonly error: Array<string | undefined> = [];
  private count = 0;
  /** The entries built so far, as objects; extended by `entries()`. */
  private readonly built: HistoryEntry[] = [];

  get length(): number {
    return this.count;
  }

  append(process: number, type: EntryType, f: string, key: string | undefined, value: unknown, time: Micros, client: string | undefined, node: NodeId | undefined, error: string | undefined): void {
    const index = this.count++;
    if (index === this.time.length) this.grow();
    this.time[index] = time;
    this.process[index] = process;
    this.type[index] = TYPE_CODE[type];
    this.f.push(f);
    this.key.push(key);
    this.value.push(value);
    this.client.push(client);
    this.node.push(node);
    this.error.push(error);
  }

  /**
   * Every entry so far, as objects (the same array each time, extended in place). Absent fields are
   * left out, not set to undefined, so an entry looks exactly as it did when built directly.
   */
  entries(): readonly HistoryEntry[] {
    const built = this.built;
    for (let index = built.length; index < this.count; index++) {
      const entry: Record<string, unknown> = { index, process: this.process[index]!, type: TYPES[this.type[index]!]!, f: this.f[index]! };
      const key = this.key[index];
      if (key !== undefined) entry.key = key;
      const value = this.value[index];
      if (value !== undefined) entry.value = value;
      entry.time = this.time[index]!;
      const client = this.client[index];
      if (client !== undefined) entry.client = client;
      const node = this.node[index];
      if (node !== undefined) entry.node = node;
      const error = this.error[index];
      if (error !== undefined) entry.error = error;
      built.push(entry as unknown as HistoryEntry);
    }
    return built;
  }

  private grow(): void {
    const capacity = this.time.length * 2;
    this.time = grownTo(this.time, capacity);
    this.process = grownTo(this.process, capacity);
    const type = new Uint8Array(capacity);
    type.set(this.type);
    this.type = type;
  }
}

function grownTo(column: Float64Array, capacity: number): Float64Array {
  const bigger = new Float64Array(capacity);
  bigger.set(column);
  return bigger;
}
