import type { DurableStorage, NodeId, StorageKey } from '@dsim/core';
import type { Entry, SnapshotData } from './state.ts';

/**
 * Durable state (paper Figure 2: currentTerm, votedFor, log[]): the hard state under one key, the
 * latest snapshot under one key, and the log in a ring of entry slots, one key per slot, plus the
 * index of the last entry. A write touches one entry, never the whole log; and because the entries
 * that matter are exactly those after the snapshot and up to the last index, neither compaction
 * nor a truncation deletes anything: compacted slots are overwritten as the log wraps around, and
 * a truncation only lowers the last index. The ring doubles (rewriting the live entries under new
 * keys) when the live log would not fit. Callers sync before sending a message that depends on a
 * write (a vote, an AppendEntries acknowledgement), and Raft syncs at the end of every step, so a
 * crash always finds a step's writes all there or all gone.
 */
const HARD_STATE = 'hardState';
const SNAPSHOT = 'snapshot';
/** The index of the last stored entry; absent means "the snapshot's index" (an empty log). */
const LAST = 'log/last';
/** The ring's size; absent means INITIAL_RING. */
const RING = 'log/ring';
const INITIAL_RING = 16384;

/** The key family of a ring's slots: `log/<ring>/<slot>`. */
const INITIAL_RING_FAMILY = `log/${INITIAL_RING}`;

function slotKey(storage: DurableStorage, ring: number, index: number): StorageKey {
  return storage.keyAt(ring === INITIAL_RING ? INITIAL_RING_FAMILY : `log/${ring}`, index % ring);
}

export interface HardState {
  readonly term: number;
  readonly vote: NodeId | null;
}

export function saveHardState(storage: DurableStorage, term: number, vote: NodeId | null): void {
  storage.put(HARD_STATE, { term, vote } satisfies HardState);
}

function ringSize(storage: DurableStorage): number {
  return storage.get<number>(RING) ?? INITIAL_RING;
}

/**
 * Makes room for entries up to `last` when the log after the snapshot would outgrow the ring:
 * moves the live entries (snapshotIndex + 1 .. keptLast) to a ring at least twice as large.
 */
function ensureRoom(
  storage: DurableStorage,
  ring: number,
  snapshotIndex: number,
  keptLast: number,
  last: number,
): number {
  if (last - snapshotIndex <= ring) return ring;
  let grown = ring * 2;
  while (last - snapshotIndex > grown) grown *= 2;
  for (let index = snapshotIndex + 1; index <= keptLast; index++)
    storage.put(slotKey(storage, grown, index), storage.get(slotKey(storage, ring, index))!);
  for (let slot = 0; slot < ring; slot++) {
    const key = slotKey(storage, ring, slot);
    if (storage.has(key)) storage.delete(key);
  }
  storage.put(RING, grown);
  return grown;
}

/** Stores one entry at `index`, the new last index (the leader's append). */
export function saveEntry(storage: DurableStorage, snapshotIndex: number, index: number, entry: Entry): void {
  const ring = ensureRoom(storage, ringSize(storage), snapshotIndex, index - 1, index);
  storage.put(slotKey(storage, ring, index), entry);
  storage.put(LAST, index);
}

/** Stores `entries` from `firstIndex` on; the last of them becomes the last index (anything after it is gone). */
export function saveEntries(
  storage: DurableStorage,
  snapshotIndex: number,
  firstIndex: number,
  entries: readonly Entry[],
): void {
  if (entries.length === 0) return;
  const last = firstIndex + entries.length - 1;
  const ring = ensureRoom(storage, ringSize(storage), snapshotIndex, firstIndex - 1, last);
  for (let i = 0; i < entries.length; i++) storage.put(slotKey(storage, ring, firstIndex + i), entries[i]);
  storage.put(LAST, last);
}

/** Drops the stored entries after `last` (a truncation, or an empty log after installing a snapshot at `last`). */
export function truncateEntries(storage: DurableStorage, last: number): void {
  storage.put(LAST, last);
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
  const snapshotIndex = snapshot?.index ?? 0;
  const last = Math.max(snapshotIndex, storage.get<number>(LAST) ?? 0);
  const ring = ringSize(storage);
  if (last - snapshotIndex > ring)
    throw new Error(`stored log has ${last - snapshotIndex} entries after the snapshot, more than its ring of ${ring}`);
  const entries: Entry[] = [];
  for (let index = snapshotIndex + 1; index <= last; index++) {
    const entry = storage.get<Entry>(slotKey(storage, ring, index));
    if (entry === undefined) throw new Error(`stored log has a hole: no entry at index ${index}`);
    entries.push(entry);
  }
  return { hardState, snapshot, entries };
}
