import type { DurableStorage, NodeId } from '@dsim/core';
import type { Entry, SnapshotData } from './state.ts';

/**
 * Durable state (paper Figure 2: currentTerm, votedFor, log[]): the hard state under one key, the
 * latest snapshot under one key, and the entries in a durable log (etcd's raft Storage and WAL):
 * an append is one write however many entries it carries, and storing a snapshot compacts the
 * log up to the snapshot's index (etcd's CreateSnapshot then Compact). Callers sync before
 * sending a message that depends on a write (a vote, an AppendEntries acknowledgement), and Raft
 * syncs at the end of every step, so a crash always finds a step's writes all there or all gone.
 */
const HARD_STATE = 'hardState';
const SNAPSHOT = 'snapshot';
const LOG = 'log';

export interface HardState {
  readonly term: number;
  readonly vote: NodeId | null;
}

export function saveHardState(storage: DurableStorage, term: number, vote: NodeId | null): void {
  storage.put(HARD_STATE, { term, vote } satisfies HardState);
}

/** Stores one entry at `index`, the new last index (the leader's append). */
export function saveEntry(storage: DurableStorage, snapshotIndex: number, index: number, entry: Entry): void {
  if (index <= snapshotIndex) throw new Error(`entry ${index} is covered by the snapshot at ${snapshotIndex}`);
  storage.log(LOG).appendAt(index, entry);
}

/** Stores `entries` from `firstIndex` on; the last of them becomes the last index (anything after it is gone). */
export function saveEntries(
  storage: DurableStorage,
  snapshotIndex: number,
  firstIndex: number,
  entries: readonly Entry[],
): void {
  if (entries.length === 0) return;
  if (firstIndex <= snapshotIndex)
    throw new Error(`entries from ${firstIndex} are covered by the snapshot at ${snapshotIndex}`);
  storage.log(LOG).append(firstIndex, entries);
}

/** Drops the stored entries after `last` (a truncation, or an empty log after installing a snapshot at `last`). */
export function truncateEntries(storage: DurableStorage, last: number): void {
  storage.log(LOG).truncate(last);
}

/** Stores the snapshot; the entries it covers are compacted away (past the last entry, the log continues after it). */
export function saveSnapshot(storage: DurableStorage, snapshot: SnapshotData): void {
  storage.put(SNAPSHOT, snapshot);
  storage.log(LOG).compact(snapshot.index);
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
  const snapshotIndex = snapshot?.index ?? 0;
  const log = storage.log(LOG);
  const entries: Entry[] = [];
  for (let index = snapshotIndex + 1; index <= log.lastIndex; index++) {
    const entry = log.entry<Entry>(index);
    if (entry === undefined) throw new Error(`stored log has a hole: no entry at index ${index}`);
    entries.push(entry);
  }
  return { hardState, snapshot, entries };
}
