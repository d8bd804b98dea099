import type { History } from '@dsim/core';
import type { Model, ModelOperation, RecordedOperation } from './model.ts';

/**
 * One line of a history as the checker reads it: dsim's HistoryEntry, or an entry streamed from
 * an imported file, which may carry the line it starts on and may have no time.
 */
export interface HistoryRecord {
  readonly process: number;
  readonly type: 'invoke' | 'ok' | 'fail' | 'info';
  readonly f: string;
  readonly key?: string | null | undefined;
  readonly value?: unknown;
  /** Microseconds; absent when the file has none. */
  readonly time?: number | undefined;
  /** 1-based line in the file it came from. */
  readonly line?: number | undefined;
}

/**
 * One operation ready for a search: its place in real time as positions in the history (an
 * operation that completed at position r precedes every operation invoked after r), and what the
 * model sees of it. Positions, not times: two entries at the same microsecond are still ordered
 * by the kernel's event sequence, and the history's order is that order.
 */
export interface CheckedOperation extends ModelOperation, RecordedOperation {
  /** 0-based within its partition, in invocation order. */
  id: number;
  /** The invoke's position in the history (0-based entry). */
  readonly invoke: number;
  /** The completion's position; Infinity for `info` (it may take effect at any later time). */
  readonly complete: number;
  /** The completion's position whatever its type (-1 when there is none). */
  readonly completeIndex: number;
  readonly invokeTime: number | null;
  readonly completeTime: number | null;
  readonly invokeLine: number | null;
  readonly completeLine: number | null;
}

export interface Partition {
  /** The key, or null for operations without one (a single register). */
  readonly key: string | null;
  readonly operations: readonly CheckedOperation[];
}

interface OpenOperation {
  readonly record: HistoryRecord;
  readonly position: number;
}

/**
 * Pairs, validates and splits a history one entry at a time, so a file can be streamed through it:
 * what it holds is the operations still open plus each key's completed operations. Throws an Error
 * naming the history entry (and the file line, when known) and the fix when an entry does not fit
 * the model: a wrong verdict on malformed input is worse than none.
 */
export class PartitionCollector {
  private readonly open = new Map<number, OpenOperation>();
  private readonly byKey = new Map<string | null, CheckedOperation[]>();
  private position = 0;
  private kept = 0;

  constructor(private readonly model: Model) {}

  /** Entries added so far. */
  get entries(): number {
    return this.position;
  }

  /** Operations kept for the search so far. */
  get operations(): number {
    return this.kept;
  }

  add(record: HistoryRecord): void {
    const position = this.position++;
    if (record.type === 'invoke') {
      const pending = this.open.get(record.process);
      if (pending)
        throw new Error(
          `${where(position, record)}: process ${record.process} invokes '${record.f}' while its '${pending.record.f}' (${where(pending.position, pending.record)}) is still pending; a process runs one operation at a time (give a crashed client a new process number)`,
        );
      this.open.set(record.process, { record, position });
      return;
    }
    const pending = this.open.get(record.process);
    if (!pending)
      throw new Error(
        `${where(position, record)}: process ${record.process} completes '${record.f}' (${record.type}) with no pending invoke`,
      );
    this.open.delete(record.process);
    this.close(pending, record, position);
  }

  /** Closes every operation still open as `info` and returns the partitions, in order of first completion. */
  finish(): Partition[] {
    // Open operations never completed: they may take effect at any later time (info).
    const open = [...this.open.values()].sort((a, b) => a.position - b.position);
    this.open.clear();
    for (const pending of open) this.close(pending, undefined, -1);
    const partitions: Partition[] = [];
    for (const [key, operations] of this.byKey) {
      operations.sort((a, b) => a.invoke - b.invoke);
      operations.forEach((op, id) => (op.id = id));
      partitions.push({ key, operations });
    }
    this.byKey.clear();
    return partitions;
  }

  private close(pending: OpenOperation, completion: HistoryRecord | undefined, completePosition: number): void {
    const invoke = pending.record;
    const type = completion?.type === 'ok' || completion?.type === 'fail' ? completion.type : 'info';
    const key = invoke.key ?? completion?.key ?? undefined;
    const recorded: RecordedOperation = {
      process: invoke.process,
      f: invoke.f,
      key,
      input: invoke.value,
      output: type === 'ok' ? completion!.value : undefined,
      type,
    };
    const problem = this.model.validate(recorded);
    if (problem !== undefined)
      throw new Error(`${where(pending.position, invoke)} (process ${invoke.process}): ${problem}`);
    if (this.model.isIrrelevant(recorded)) return;
    const partitionKey = this.model.partitionByKey && key !== undefined && key !== null ? String(key) : null;
    let list = this.byKey.get(partitionKey);
    if (!list) this.byKey.set(partitionKey, (list = []));
    list.push({
      id: 0,
      process: invoke.process,
      f: invoke.f,
      key: partitionKey,
      input: recorded.input,
      output: recorded.output,
      type,
      completed: type !== 'info',
      failed: type === 'fail',
      invoke: pending.position,
      complete: type === 'info' ? Infinity : completePosition,
      completeIndex: completePosition,
      invokeTime: invoke.time ?? null,
      completeTime: type === 'info' ? null : (completion?.time ?? null),
      invokeLine: invoke.line ?? null,
      completeLine: completion?.line ?? null,
    });
    this.kept++;
  }
}

function where(position: number, record: HistoryRecord): string {
  return record.line !== undefined ? `line ${record.line}: history entry ${position}` : `history entry ${position}`;
}

/** Pairs, validates and splits a whole history (see PartitionCollector). */
export function preparePartitions(history: History | readonly HistoryRecord[], model: Model): Partition[] {
  if (!Array.isArray(history)) throw new Error(`a history must be an array of entries, got ${typeof history}`);
  const collector = new PartitionCollector(model);
  for (const entry of history as readonly HistoryRecord[]) collector.add(entry);
  return collector.finish();
}
