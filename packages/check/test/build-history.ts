import type { History, HistoryEntry } from '@dsim/core';

/**
 * Builds a history from compact rows `[process, type, f, value?, key?]`, in real-time order;
 * each row happens 1ms after the previous one.
 */
export function buildHistory(
  rows: ReadonlyArray<readonly [number, HistoryEntry['type'], string, unknown?, string?]>,
): History {
  return rows.map(([process, type, f, value, key], index) => {
    const entry: Record<string, unknown> = { index, process, type, f, time: index * 1000 };
    if (value !== undefined) entry.value = value;
    if (key !== undefined) entry.key = key;
    return entry as unknown as HistoryEntry;
  });
}
