import type { DurableStorage, NodeId } from '@dsim/core';
import type { Entry, SnapshotData } from './state.ts';

/**
 * Durable state (paper Figure 2: currentTerm, votedFor, log[]), laid out as etcd's storage does:
 * the hard state under one key, each entry under its own key (a write touches one entry, never the
 * whole log), and the latest snapshot under one key. Callers sync before sending a message that
 * depends on a write: a vote, or an AppendEntries acknowledgement.
 */
const HARD_STATE = 'hardState';
const SNAPSHOT = 'snapshot';
const LOG_PREFIX = 'log/';

/** Zero-padded so the storage's sorted key order is index order. */
export function logKey(index: number): string {
  return LOG_PREFIX + String(index).padStart(12, '0');
}

export interface HardState {
  readonly term: number;
  readonly vote: NodeId | null;
}

export function saveHardState(storage: DurableStorage, term: number, vote: NodeId | null): void {
  storage.put(HARD_STATE, { term, vote } satisfies HardState);
}

export function saveEntries(storage: DurableStorage, firstIndex: number, entries: readonly Entry[]): void {
  for (let i = 0; i < entries.length; i++) storage.put(logKey(firstIndex + i), entries[i]);
}

/** Deletes the stored entries with indexes in [from, to]. */
export function deleteEntries(storage: DurableStorage, from: number, to: number): void {
  for (let index = from; index <= to; index++) storage.delete(logKey(index));
}

export function saveSnapshot(storage: DurableStorage, snapshot: SnapshotData): void {
  storage.put(SNAPSHOT, snapshot);
}

export function loadSnapshot(storage: DurableStorage): SnapshotData | undefined {
  return storage.get<SnapshotData>(SNAPSHOT);
}

export interface Recovered {
  readonly hardState: HardState;
  readonly snapshot: SnapshotData | undefined;
  /** Entries after the snapshot, contiguous from snapshot.index + 1. */
  readonly entries: Entry[];
}

/** Reads everything back after a restart. Throws if the stored log has a hole: that would be a bug in this file. */
export function recover(storage: DurableStorage): Recovered {
  const hardState = storage.get<HardState>(HARD_STATE) ?? { term: 0, vote: null };
  const snapshot = loadSnapshot(storage);
  const first = (snapshot?.index ?? 0) + 1;
  const entries: Entry[] = [];
  for (const key of storage.keys(LOG_PREFIX)) {
    const index = Number(key.slice(LOG_PREFIX.length));
    if (index < first) continue; // compacted but not yet deleted cannot happen (we delete in the same step), but be lenient with order
    if (index !== first + entries.length) throw new Error(`stored log has a hole: expected index ${first + entries.length}, found ${index}`);
    entries.push(storage.get<Entry>(key)!);
  }
  return { hardState, snapshot, entries };
}
