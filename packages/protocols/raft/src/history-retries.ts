import type { HistoryEntry } from '@dsim/core';

/**
 * Client sessions make a retried request one operation (dissertation §6.3): a client that sends
 * the same write again with the same sequence number, after a timeout or a refusal, asks for it
 * to be applied once, somewhere between its first send and the answer it finally gets. So the
 * history's attempts of one write are merged into one operation before the linearizability check:
 * invoked when the first attempt was, completed as the last attempt was, under the first attempt's
 * process. Checked separately, an attempt that timed out could count as applied and the retry as
 * applied again, and a server that applies a retry twice would pass.
 *
 * An attempt is a retry when the same client's next invoke is the same operation (same function,
 * key and value: the kv workloads give every write a value of its own) and the previous attempt
 * did not end `ok`. Reads are merged too: where reads go through the log, a retried read that the
 * session finds already applied answers what the first attempt read, at its first application
 * (dissertation §6.3). Merging a read that was not a retry only widens the window its answer may
 * come from, so it never reports a correct history. When an earlier attempt ended unknown and a
 * later one `fail`, the merged operation is unknown: the failure speaks only for its own attempt.
 */
export function mergeRetries(history: readonly HistoryEntry[]): readonly HistoryEntry[] {
  interface Logical {
    readonly invoke: HistoryEntry;
    /** Where its current completion sits in `merged`, or -1 while it has none. */
    completionAt: number;
    unknownSeen: boolean;
  }
  const merged: Array<HistoryEntry | undefined> = [];
  /** By client: its last logical operation. */
  const lastByClient = new Map<string, Logical>();
  /** By process: the logical operation its pending attempt belongs to. */
  const attemptOf = new Map<number, Logical>();
  let changed = false;
  for (const entry of history) {
    if (entry.type === 'invoke') {
      const client = entry.client;
      const previous = client === undefined ? undefined : lastByClient.get(client);
      const completion =
        previous !== undefined && previous.completionAt >= 0 ? merged[previous.completionAt] : undefined;
      if (
        previous !== undefined &&
        completion !== undefined &&
        completion.type !== 'ok' &&
        entry.f === previous.invoke.f &&
        entry.key === previous.invoke.key &&
        sameValue(entry.value, previous.invoke.value)
      ) {
        // A retry: the earlier attempt's completion goes; this attempt's will stand for both.
        merged[previous.completionAt] = undefined;
        previous.completionAt = -1;
        attemptOf.set(entry.process, previous);
        changed = true;
        continue;
      }
      const logical: Logical = { invoke: entry, completionAt: -1, unknownSeen: false };
      if (client !== undefined) lastByClient.set(client, logical);
      attemptOf.set(entry.process, logical);
      merged.push(entry);
      continue;
    }
    const logical = attemptOf.get(entry.process);
    attemptOf.delete(entry.process);
    if (logical === undefined) {
      merged.push(entry);
      continue;
    }
    if (entry.type === 'info') logical.unknownSeen = true;
    const type = entry.type === 'fail' && logical.unknownSeen ? 'info' : entry.type;
    logical.completionAt = merged.length;
    merged.push(
      type === entry.type && entry.process === logical.invoke.process
        ? entry
        : { ...entry, process: logical.invoke.process, type },
    );
  }
  if (!changed) return history;
  const result: HistoryEntry[] = [];
  for (const entry of merged) if (entry !== undefined) result.push({ ...entry, index: result.length });
  return result;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => item === b[i]);
  return false;
}
