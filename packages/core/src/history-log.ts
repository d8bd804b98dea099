import type { HistoryEntry } from './history.ts';
import type { NodeId } from './protocol.ts';
import type { Micros } from './time.ts';
import { grown } from './typed-columns.ts';

export type CompletionType = 'ok' | 'fail' | 'info';
const TYPES: readonly HistoryEntry['type'][] = ['invoke', 'ok', 'fail', 'info'];
const INVOKE = 0;
const COMPLETION_CODE: Readonly<Record<CompletionType, number>> = { ok: 1, fail: 2, info: 3 };

/**
 * The run's client history, kept in columns while the run goes on and turned into HistoryEntry
 * objects only when someone reads it.
 *
 * Why columns: the history lasts the whole run (two entries per client operation: 700,000 in an
 * hour of Raft under 100 writes/s), and as objects each entry was ~100 bytes of old-generation
 * heap that every major GC traced, while most runs read the history once at the end or never.
 *
 * Why by operation: an operation's invoke and completion share its function, key, argument and
 * client, so those are written once, at the invoke, and a completion adds only its outcome. The
 * numbers (times, process, type, which operation, which node, which client) go in typed arrays.
 * A write to a large JS array costs tens of nanoseconds (a write barrier, and the array's growth
 * copies), so the number of such writes per operation is what this layout is for: four, where one
 * column per field took fourteen, and that was 8% of the Raft benchmark.
 *
 * `entries()` builds the objects once, in order, and extends the same array as the log grows, so a
 * checker that reads the history after every step pays once per entry.
 */
export class HistoryLog {
  // By entry.
  private time: Float64Array = new Float64Array(1024);
  private process: Float64Array = new Float64Array(1024);
  private type: Uint8Array = new Uint8Array(1024);
  /** The entry's operation: its position in the by-operation columns. */
  private operation: Int32Array = new Int32Array(1024);
  /** The node's position in `nodeIds`, -1 for none. */
  private node: Int32Array = new Int32Array(1024);
  private count = 0;
  // By operation.
  private client: Int32Array = new Int32Array(1024);
  private readonly f: string[] = [];
  private readonly key: Array<string | undefined> = [];
  /** The invoke's argument. */
  private readonly argument: unknown[] = [];
  /** The completion's result when ok, its error otherwise (undefined until it completes). */
  private readonly outcome: unknown[] = [];
  private operations = 0;
  /** The entries built so far, as objects; extended by `entries()`. */
  private readonly built: HistoryEntry[] = [];

  /**
   * @param nodeIds names the nodes entries refer to by position.
   * @param clientIds names the clients operations refer to by position; read when entries are
   * built, so clients may be added to it after the log is made.
   */
  constructor(
    private readonly nodeIds: readonly NodeId[],
    private readonly clientIds: readonly string[],
  ) {}

  get length(): number {
    return this.count;
  }

  /** Records an operation's invoke; returns the operation's number, for its completion. */
  invoke(process: number, f: string, key: string | undefined, argument: unknown, time: Micros, client: number, node: number): number {
    const operation = this.operations++;
    if (operation === this.client.length) this.client = grown(this.client, operation * 2);
    this.client[operation] = client;
    this.f.push(f);
    this.key.push(key);
    this.argument.push(argument);
    this.outcome.push(undefined);
    this.appendEntry(process, INVOKE, operation, time, node);
    return operation;
  }

  /**
   * Records an operation's completion: `outcome` is the result for ok and the error (if any) for
   * fail and info. The entry's value is the result for ok and the invoke's argument otherwise.
   */
  complete(operation: number, process: number, type: CompletionType, outcome: unknown, time: Micros, node: number): void {
    this.outcome[operation] = outcome;
    this.appendEntry(process, COMPLETION_CODE[type], operation, time, node);
  }

  private appendEntry(process: number, type: number, operation: number, time: Micros, node: number): void {
    const index = this.count++;
    if (index === this.time.length) this.grow();
    this.time[index] = time;
    this.process[index] = process;
    this.type[index] = type;
    this.operation[index] = operation;
    this.node[index] = node;
  }

  /**
   * Every entry so far, as objects (the same array each time, extended in place). Absent fields are
   * left out, not set to undefined, so an entry looks exactly as it did when built directly.
   */
  entries(): readonly HistoryEntry[] {
    const built = this.built;
    for (let index = built.length; index < this.count; index++) {
      const type = this.type[index]!;
      const operation = this.operation[index]!;
      const entry: Record<string, unknown> = { index, process: this.process[index]!, type: TYPES[type]!, f: this.f[operation]! };
      const key = this.key[operation];
      if (key !== undefined) entry.key = key;
      const value = type === COMPLETION_CODE.ok ? this.outcome[operation] : this.argument[operation];
      if (value !== undefined) entry.value = value;
      entry.time = this.time[index]!;
      const client = this.client[operation]!;
      if (client >= 0) entry.client = this.clientIds[client]!;
      const node = this.node[index]!;
      if (node >= 0) entry.node = this.nodeIds[node]!;
      const error = type === COMPLETION_CODE.fail || type === COMPLETION_CODE.info ? this.outcome[operation] : undefined;
      if (error !== undefined) entry.error = error;
      built.push(entry as unknown as HistoryEntry);
    }
    return built;
  }

  private grow(): void {
    const capacity = this.time.length * 2;
    this.time = grown(this.time, capacity);
    this.process = grown(this.process, capacity);
    this.type = grown(this.type, capacity);
    this.operation = grown(this.operation, capacity);
    this.node = grown(this.node, capacity);
  }
}
