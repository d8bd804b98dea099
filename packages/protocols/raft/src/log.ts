import type { Entry } from './entry.ts';

/**
 * The log (etcd raft's raftLog), as pure functions over the part of a node's state that holds it:
 * the entries after the last snapshot, and the snapshot's index and term (the compaction offset:
 * `log[i]` has index `snapshotIndex + 1 + i`). Durable storage (persistence.ts) holds the same
 * entries; what was written there but not yet synced is the unstable tail, and a step syncs it
 * before any message that vouches for it leaves (etcd's Ready: entries are stable before the
 * messages that follow them are sent).
 */
export interface LogState {
  log: Entry[];
  snapshotIndex: number;
  snapshotTerm: number;
}

export function lastIndex(state: Readonly<LogState>): number {
  return state.snapshotIndex + state.log.length;
}

export function lastTerm(state: Readonly<LogState>): number {
  return state.log.length > 0 ? state.log[state.log.length - 1]!.term : state.snapshotTerm;
}

/** The term of the entry at `index`, or undefined when it was compacted away or does not exist. */
export function termAt(state: Readonly<LogState>, index: number): number | undefined {
  if (index === state.snapshotIndex) return state.snapshotTerm;
  if (index < state.snapshotIndex) return undefined;
  return state.log[index - state.snapshotIndex - 1]?.term;
}

export function entryAt(state: Readonly<LogState>, index: number): Entry | undefined {
  if (index <= state.snapshotIndex) return undefined;
  return state.log[index - state.snapshotIndex - 1];
}

const NO_ENTRIES: readonly Entry[] = Object.freeze([]);

/** The `count` entries from index `first` on (all in the log). Receivers copy what they keep. */
export function entriesFrom(state: Readonly<LogState>, first: number, count: number): readonly Entry[] {
  if (count <= 0) return NO_ENTRIES;
  const offset = first - state.snapshotIndex - 1;
  return state.log.slice(offset, offset + count);
}

/**
 * Paper §5.4.1's election restriction: a log ending at (`index`, `term`) is at least as up to date
 * as ours when its last term is higher, or equal with an index at least ours.
 */
export function isUpToDate(state: Readonly<LogState>, index: number, term: number): boolean {
  const ours = lastTerm(state);
  return term > ours || (term === ours && index >= lastIndex(state));
}

/**
 * etcd raftLog.findConflictByTerm: the last index ≤ `index` whose term is ≤ `term`, or the
 * newest compacted index on the way down (its term is then unknown).
 */
export function findConflictByTerm(state: Readonly<LogState>, index: number, term: number): number {
  for (let i = index; i > 0; i--) {
    const ours = termAt(state, i);
    if (ours === undefined || ours <= term) return i;
  }
  return 0;
}

/**
 * etcd raftLog.findConflict, counted from the front: how many of `entries` (which would sit at
 * `prevIndex + 1` on) the log already holds with the same term. The first one after them is the
 * first conflict, or the first new entry.
 */
export function matchingPrefix(state: Readonly<LogState>, prevIndex: number, entries: readonly Entry[]): number {
  let matched = 0;
  while (matched < entries.length && termAt(state, prevIndex + 1 + matched) === entries[matched]!.term) matched++;
  return matched;
}

/** Drops every entry after `last` (paper §5.3: a conflicting entry and all that follow it go). */
export function truncateAfter(state: LogState, last: number): void {
  state.log.splice(last - state.snapshotIndex);
}

/** Appends `entries` after the last entry, without copying the array. */
export function appendAll(state: LogState, entries: readonly Entry[]): void {
  const log = state.log;
  for (let i = 0; i < entries.length; i++) log.push(entries[i]!);
}

/** Compaction (paper §7): everything up to `index`, whose term is `term`, now lives in a snapshot. */
export function compactTo(state: LogState, index: number, term: number): void {
  state.log.splice(0, index - state.snapshotIndex);
  state.snapshotIndex = index;
  state.snapshotTerm = term;
}

/** Installing a snapshot that the log does not reach: the whole log goes. */
export function resetTo(state: LogState, index: number, term: number): void {
  state.log.splice(0);
  state.snapshotIndex = index;
  state.snapshotTerm = term;
}
