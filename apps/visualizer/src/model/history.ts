import type { HistoryEntry } from '@dsim/core';
import type { TraceModel } from './trace-model.ts';

/**
 * The Jepsen-style history of a trace, rebuilt from its invoke and complete events in the same
 * shape the kernel records (`RunResult.history`): an invoke carries the argument, an `ok` the
 * result, `fail`/`info` the argument again.
 */
export function historyOf(model: TraceModel): HistoryEntry[] {
  const entries: Array<{ at: number; entry: Omit<HistoryEntry, 'index'> }> = [];
  for (const op of model.operations) {
    const f = typeof op.op.f === 'string' ? op.op.f : 'op';
    const base: Record<string, unknown> = { process: op.process, f };
    if (op.op.key !== undefined) base.key = op.op.key;
    entries.push({
      at: op.invokeIndex,
      entry: clean({
        ...base,
        type: 'invoke',
        value: op.op.value,
        time: op.invokeTime,
        client: op.client,
        node: op.node,
      }),
    });
    if (op.type !== 'pending') {
      entries.push({
        at: op.completeIndex,
        entry: clean({
          ...base,
          type: op.type,
          value: op.type === 'ok' ? op.value : op.op.value,
          time: op.completeTime,
          client: op.client,
          node: op.node,
          error: op.error,
        }),
      });
    }
  }
  entries.sort((a, b) => a.at - b.at);
  return entries.map(({ entry }, index) => ({ index, ...entry }) as HistoryEntry);
}

function clean(entry: Record<string, unknown>): Omit<HistoryEntry, 'index'> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry)) if (value !== undefined) result[key] = value;
  return result as unknown as Omit<HistoryEntry, 'index'>;
}
