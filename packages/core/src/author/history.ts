import type { NodeId } from './protocol.ts';
import type { Micros } from '../time/time.ts';

/**
 * One line of a Jepsen-style history. An operation appears twice: an `invoke`, then a completion:
 * `ok` (applied, with its result), `fail` (definitely not applied) or `info` (unknown: it may
 * take effect at any time after its invocation, or never).
 */
export interface HistoryEntry {
  /** Position in the history, from 0. */
  readonly index: number;
  /** Jepsen process number. A process has at most one pending operation; after `info` its client takes a new process number. */
  readonly process: number;
  readonly type: 'invoke' | 'ok' | 'fail' | 'info';
  readonly f: string;
  readonly key?: string;
  /** On invoke: the argument. On ok: the result (for reads, the value read). */
  readonly value?: unknown;
  /** Global time in microseconds. */
  readonly time: Micros;
  readonly client?: string;
  readonly node?: NodeId;
  readonly error?: string;
}

export type History = readonly HistoryEntry[];

/** Operations paired from a history: one per invoke, with its completion if it had one. */
export interface PairedOperation {
  readonly process: number;
  readonly f: string;
  readonly key?: string;
  /** The invoke's argument. */
  readonly input: unknown;
  /** The result on ok; undefined otherwise. */
  readonly output: unknown;
  readonly type: 'ok' | 'fail' | 'info';
  readonly invokeTime: Micros;
  /** Infinity for info or missing completions: the operation may take effect at any later time. */
  readonly completeTime: Micros;
  readonly invokeIndex: number;
  readonly completeIndex: number;
  readonly client?: string;
  readonly node?: NodeId;
}

/**
 * Pairs invocations with completions by process. An invoke with no completion counts as `info`.
 * Throws with a clear message when the history is malformed (a completion with no invoke, two
 * pending invokes on one process).
 */
export function pairOperations(history: History): PairedOperation[] {
  const pending = new Map<number, HistoryEntry>();
  const result: PairedOperation[] = [];
  const byInvoke = new Map<HistoryEntry, number>();
  for (const entry of history) {
    if (entry.type === 'invoke') {
      const open = pending.get(entry.process);
      if (open) {
        throw new Error(
          `history entry ${entry.index}: process ${entry.process} invokes '${entry.f}' while its '${open.f}' (entry ${open.index}) is still pending; a process runs one operation at a time (give a crashed client a new process number)`,
        );
      }
      pending.set(entry.process, entry);
      byInvoke.set(entry, result.length);
      result.push({
        process: entry.process,
        f: entry.f,
        key: entry.key,
        input: entry.value,
        output: undefined,
        type: 'info',
        invokeTime: entry.time,
        completeTime: Infinity,
        invokeIndex: entry.index,
        completeIndex: -1,
        client: entry.client,
        node: entry.node,
      });
    } else {
      const open = pending.get(entry.process);
      if (!open)
        throw new Error(
          `history entry ${entry.index}: process ${entry.process} completes '${entry.f}' (${entry.type}) with no pending invoke`,
        );
      pending.delete(entry.process);
      const position = byInvoke.get(open)!;
      const paired = result[position]!;
      result[position] = {
        ...paired,
        type: entry.type,
        output: entry.type === 'ok' ? entry.value : undefined,
        completeTime: entry.type === 'info' ? Infinity : entry.time,
        completeIndex: entry.index,
        node: paired.node ?? entry.node,
      };
    }
  }
  return result;
}
