import type { HistoryEntry } from '../author/history.ts';
import type { NodeId } from '../author/protocol.ts';
import type { Micros } from '../time/time.ts';

export type CompletionType = 'ok' | 'fail' | 'info';
const TYPES: readonly HistoryEntry['type'][] = ['invoke', 'ok', 'fail', 'info'];
const INVOKE = 0;
const COMPLETION_CODE: Readonly<Record<CompletionType, number>> = { ok: 1, fail: 2, info: 3 };

/** Entries and operations are kept in pages of PAGE_SIZE. */
const PAGE_BITS = 12;
const PAGE_SIZE = 1 << PAGE_BITS;
const PAGE_MASK = PAGE_SIZE - 1;

/** PAGE_SIZE entries' numbers. */
class EntryPage {
  readonly time = new Float64Array(PAGE_SIZE);
  readonly process = new Float64Array(PAGE_SIZE);
  readonly type = new Uint8Array(PAGE_SIZE);
  /** The entry's operation: its number, for the by-operation pages. */
  readonly operation = new Int32Array(PAGE_SIZE);
  /** The node's position in `nodeIds`, -1 for none. */
  readonly node = new Int32Array(PAGE_SIZE);
}

/** PAGE_SIZE operations: what their invoke and completion share, and the completion's outcome. */
class OperationPage {
  readonly client = new Int32Array(PAGE_SIZE);
  readonly f: string[] = new Array<string>(PAGE_SIZE).fill('');
  readonly key: Array<string | undefined> = new Array<string | undefined>(PAGE_SIZE).fill(undefined);
  /** The invoke's argument. */
  readonly argument: unknown[] = new Array<unknown>(PAGE_SIZE).fill(undefined);
  /** The completion's result when ok, its error otherwise (undefined until it completes). */
  readonly outcome: unknown[] = new Array<unknown>(PAGE_SIZE).fill(undefined);
}

/**
 * The run's client history, kept in columns while the run goes on and turned into HistoryEntry
 * objects only when someone reads it.
 *
 * Why columns: the history lasts the whole run (two entries per client operation: 700,000 in an
 * hour of Raft under 100 writes/s), and as objects each entry would be ~100 bytes of old-generation
 * heap that every major GC traces, while most runs read the history once at the end or never.
 *
 * Why by operation: an operation's invoke and completion share its function, key, argument and
 * client, so those are written once, at the invoke, and a completion adds only its outcome. The
 * numbers (times, process, type, which operation, which node, which client) go in typed arrays.
 * A write to a large JS array costs tens of nanoseconds (a write barrier, and the array's growth
 * copies), so the number of such writes per operation is what this layout is for: four, where one
 * column per field would take fourteen.
 *
 * Why pages: the columns grow a page of PAGE_SIZE at a time and never move. Columns grown by
 * doubling (or, for the JS arrays, by half) would copy everything they hold at each growth, into
 * memory fresh from the operating system: a page fault every 4 KB of it.
 *
 * `entries()` builds the objects once, in order, and extends the same array as the log grows, so a
 * checker that reads the history after every step pays once per entry.
 */
export class HistoryLog {
  private readonly entryPages: EntryPage[] = [];
  /** The page the next entry goes in (undefined before the first). */
  private entryPage: EntryPage | undefined;
  private count = 0;
  private readonly operationPages: OperationPage[] = [];
  private operationPage: OperationPage | undefined;
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
  invoke(
    process: number,
    f: string,
    key: string | undefined,
    argument: unknown,
    time: Micros,
    client: number,
    node: number,
  ): number {
    const operation = this.operations++;
    const slot = operation & PAGE_MASK;
    let page = this.operationPage;
    if (slot === 0 || page === undefined) {
      page = new OperationPage();
      this.operationPages.push(page);
      this.operationPage = page;
    }
    page.client[slot] = client;
    page.f[slot] = f;
    page.key[slot] = key;
    page.argument[slot] = argument;
    this.appendEntry(process, INVOKE, operation, time, node);
    return operation;
  }

  /**
   * Records an operation's completion: `outcome` is the result for ok and the error (if any) for
   * fail and info. The entry's value is the result for ok and the invoke's argument otherwise.
   */
  complete(
    operation: number,
    process: number,
    type: CompletionType,
    outcome: unknown,
    time: Micros,
    node: number,
  ): void {
    this.operationPages[operation >>> PAGE_BITS]!.outcome[operation & PAGE_MASK] = outcome;
    // Compared, not looked up in COMPLETION_CODE: a property lookup by a key that varies from call to
    // call is slower than two comparisons, and this runs for every completion.
    this.appendEntry(
      process,
      type === 'ok' ? COMPLETION_CODE.ok : type === 'fail' ? COMPLETION_CODE.fail : COMPLETION_CODE.info,
      operation,
      time,
      node,
    );
  }

  private appendEntry(process: number, type: number, operation: number, time: Micros, node: number): void {
    const slot = this.count++ & PAGE_MASK;
    let page = this.entryPage;
    if (slot === 0 || page === undefined) {
      page = new EntryPage();
      this.entryPages.push(page);
      this.entryPage = page;
    }
    page.time[slot] = time;
    page.process[slot] = process;
    page.type[slot] = type;
    page.operation[slot] = operation;
    page.node[slot] = node;
  }

  /**
   * Every entry so far, as objects (the same array each time, extended in place). Absent fields are
   * left out, not set to undefined, so an entry looks exactly as it did when built directly.
   */
  entries(): readonly HistoryEntry[] {
    const built = this.built;
    for (let index = built.length; index < this.count; index++) {
      const page = this.entryPages[index >>> PAGE_BITS]!;
      const slot = index & PAGE_MASK;
      const type = page.type[slot]!;
      const operation = page.operation[slot]!;
      const operations = this.operationPages[operation >>> PAGE_BITS]!;
      const at = operation & PAGE_MASK;
      const entry: Record<string, unknown> = {
        index,
        process: page.process[slot]!,
        type: TYPES[type]!,
        f: operations.f[at]!,
      };
      const key = operations.key[at];
      if (key !== undefined) entry.key = key;
      const value = type === COMPLETION_CODE.ok ? operations.outcome[at] : operations.argument[at];
      if (value !== undefined) entry.value = value;
      entry.time = page.time[slot]!;
      const client = operations.client[at]!;
      if (client >= 0) entry.client = this.clientIds[client]!;
      const node = page.node[slot]!;
      if (node >= 0) entry.node = this.nodeIds[node]!;
      const error = type === COMPLETION_CODE.fail || type === COMPLETION_CODE.info ? operations.outcome[at] : undefined;
      if (error !== undefined) entry.error = error;
      built.push(entry as unknown as HistoryEntry);
    }
    return built;
  }
}
