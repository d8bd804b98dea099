import { pairOperations, type History, type PairedOperation } from '@dsim/core';
import type { Model, ModelOperation } from './model.ts';

/**
 * One operation ready for a search: its place in real time as positions in the history (an
 * operation that completed at position r precedes every operation invoked after r), and what the
 * model sees of it. Positions, not times: two entries at the same microsecond are still ordered
 * by the kernel's event sequence, and the history's order is that order.
 */
export interface CheckedOperation {
  /** 0-based within its partition. */
  readonly id: number;
  readonly invoke: number;
  /** Infinity for `info`: it may take effect at any later time. */
  readonly complete: number;
  readonly model: ModelOperation;
  readonly paired: PairedOperation;
}

export interface Partition {
  /** The key, or null for operations without one (a single register). */
  readonly key: string | null;
  readonly operations: readonly CheckedOperation[];
}

/**
 * Pairs, validates and splits a history. Throws an Error naming the history entry and the fix
 * when an operation does not fit the model: a wrong verdict on malformed input is worse than none.
 */
export function preparePartitions(history: History, model: Model): Partition[] {
  if (!Array.isArray(history)) throw new Error(`a history must be an array of entries, got ${typeof history}`);
  // Reindex when the entries' own `index` fields are not their positions (an imported or filtered
  // history), so operations are ordered by where they appear.
  const positioned = history.every((entry, i) => entry.index === i)
    ? history
    : history.map((entry, i) => ({ ...entry, index: i }));
  const paired = pairOperations(positioned);
  const byKey = new Map<string | null, CheckedOperation[]>();
  for (const op of paired) {
    const problem = model.validate(op);
    if (problem !== undefined) throw new Error(`history entry ${op.invokeIndex} (process ${op.process}): ${problem}`);
    if (op.type === 'fail' || model.isIrrelevant(op)) continue;
    const key = model.partitionByKey && op.key !== undefined && op.key !== null ? String(op.key) : null;
    let list = byKey.get(key);
    if (!list) byKey.set(key, (list = []));
    list.push({
      id: list.length,
      invoke: op.invokeIndex,
      complete: op.type === 'ok' ? op.completeIndex : Infinity,
      model: { f: op.f, input: op.input, output: op.output, completed: op.type === 'ok' },
      paired: op,
    });
  }
  return [...byKey].map(([key, operations]) => ({ key, operations }));
}
