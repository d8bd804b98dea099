import type { HistoryEntry } from './history.ts';
import type { NodeId } from './protocol.ts';
import type { Micros } from './time.ts';

type EntryType = HistoryEntry['type'];
const TYPES: readonly EntryType[] = ['invoke', 'ok', 'fail', 'info'];
const TYPE_CODE: Readonly<Record<EntryType, number>> = { invoke: 0, ok: 1, fail: 2, info: 3 };

/** Entries per chunk. */
const CHUNK = 4096;
/** Fields per entry in a chunk's `refs` (f, key, value, client, node, error) and `numbers` (time, process, type). */
const REFS = 6;
const NUMBERS = 3;

/** A run of CHUNK entries, field by field. */
interface Chunk {
  readonly refs: unknown[];
  readonly numbers: Float64Array;
}

/**
 * The run's client history, kept in columns while the run goes on and turned into HistoryEntry
 * objects only when someone reads it.
 *
 * Why: the history lasts the whole run (two entries per client operation: 700,000 in an hour of
 * Raft under 100 writes/s), and as objects each entry was ~100 bytes of old-generation heap that
 * every major GC traced, a tenth of a long run's time, while most runs read the history once at
 * the end or never. In columns an entry is a few numbers and references to strings the run holds
 * anyway. The columns come in fixed chunks rather than arrays that grow: a growing array of
 * hundreds of thousands of references is copied whole each time it grows, in the large-object
 * space, and that cost three times what the stores do. `entries()` builds the objects once, in
 * order, and extends the same array as the log grows, so a checker that reads the history after
 * every step pays once per entry.
 */
export class HistoryLog {
  // The first chunk exists from the start: a field that begins undefined and later holds a chunk
  // changes its type, and V8 throws away the code compiled for the first type.
  private current: Chunk = newChunk();
  private readonly chunks: Chunk[] = [this.current];
  /** Entries in the current chunk. */
  private filled = 0;
  private count = 0;
  /** The entries built so far, as objects; extended by `entries()`. */
  private readonly built: HistoryEntry[] = [];

  get length(): number {
    return this.count;
  }

  append(process: number, type: EntryType, f: string, key: string | undefined, value: unknown, time: Micros, client: string | undefined, node: NodeId | undefined, error: string | undefined): void {
    if (this.filled === CHUNK) {
      this.current = newChunk();
      this.chunks.push(this.current);
      this.filled = 0;
    }
    const { refs, numbers } = this.current;
    const at = this.filled++;
    this.count++;
    const r = at * REFS;
    refs[r] = f;
    refs[r + 1] = key;
    refs[r + 2] = value;
    refs[r + 3] = client;
    refs[r + 4] = node;
    refs[r + 5] = error;
    const n = at * NUMBERS;
    numbers[n] = time;
    numbers[n + 1] = process;
    numbers[n + 2] = TYPE_CODE[type];
  }

  /**
   * Every entry so far, as objects (the same array each time, extended in place). Absent fields are
   * left out, not set to undefined, so an entry looks exactly as it did when built directly.
   */
  entries(): readonly HistoryEntry[] {
    const built = this.built;
    for (let index = built.length; index < this.count; index++) {
      const { refs, numbers } = this.chunks[Math.floor(index / CHUNK)]!;
      const r = (index % CHUNK) * REFS;
      const n = (index % CHUNK) * NUMBERS;
      const entry: Record<string, unknown> = { index, process: numbers[n + 1]!, type: TYPES[numbers[n + 2]!]!, f: refs[r] as string };
      const key = refs[r + 1];
      if (key !== undefined) entry.key = key;
      const value = refs[r + 2];
      if (value !== undefined) entry.value = value;
      entry.time = numbers[n]!;
      const client = refs[r + 3];
      if (client !== undefined) entry.client = client;
      const node = refs[r + 4];
      if (node !== undefined) entry.node = node;
      const error = refs[r + 5];
      if (error !== undefined) entry.error = error;
      built.push(entry as unknown as HistoryEntry);
    }
    return built;
  }
}

function newChunk(): Chunk {
  return { refs: new Array<unknown>(CHUNK * REFS).fill(undefined), numbers: new Float64Array(CHUNK * NUMBERS) };
}
