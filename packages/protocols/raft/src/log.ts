import type { Entry } from './entry.ts';

/**
 * The log (etcd raft's raftLog), as pure functions over the part of a node's state that holds it:
 * the entries after the last snapshot, and the snapshot's index and term (the compaction offset:
 * `log[i]` has index `snapshotIndex + 1 + i`). Durable storage (persistence.ts) holds the same
 * entries. The log has two parts, as etcd's has (storage and unstable.go): the stable part, known
 * to be on disk, and after it the unstable tail, from `unstableOffset` on: entries appended (and
 * written to storage) whose sync has not yet been seen to complete. The tail becomes stable by
 * `stableTo` once the sync for it completes (etcd's MsgStorageAppendResp), and a truncation that
 * reaches into the stable part makes what replaces it unstable again.
 */
export interface LogState {
  log: Entry[];
  snapshotIndex: number;
  snapshotTerm: number;
  /**
   * etcd unstable.offset: the index of the first entry not yet known durable. Always between
   * snapshotIndex + 1 and lastIndex + 1 (an empty tail).
   */
  unstableOffset: number;
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

/**
 * Drops every entry after `last` (paper §5.3: a conflicting entry and all that follow it go).
 * Whatever is appended after `last` from here on is unstable (etcd unstable.truncateAndAppend).
 */
export function truncateAfter(state: LogState, last: number): void {
  state.log.splice(last - state.snapshotIndex);
  if (state.unstableOffset > last + 1) state.unstableOffset = last + 1;
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
  // The compacted entries live on in the snapshot: the tail starts after it at the earliest.
  if (state.unstableOffset < index + 1) state.unstableOffset = index + 1;
}

/** Installing a snapshot that the log does not reach: the whole log goes. */
export function resetTo(state: LogState, index: number, term: number): void {
  state.log.splice(0);
  state.snapshotIndex = index;
  state.snapshotTerm = term;
  state.unstableOffset = index + 1;
}

/** The last index known durable: everything up to it is on disk (etcd: the storage's last index). */
export function lastStableIndex(state: Readonly<LogState>): number {
  return state.unstableOffset - 1;
}

/** The unstable tail: the entries from `unstableOffset` on, appended but not yet known durable. */
export function unstableEntries(state: Readonly<LogState>): readonly Entry[] {
  return state.log.slice(state.unstableOffset - state.snapshotIndex - 1);
}

/**
 * etcd unstable.stableTo: the sync that wrote up to `index`, whose entry had term `term`, has
 * completed, so everything up to `index` is durable (a disk completes syncs in the order they were
 * asked for). Ignored when `index` is already stable, or when the entry at `index` no longer has
 * that term: it was truncated and replaced after that write, and the replacement is not yet on disk.
 */
export function stableTo(state: LogState, index: number, term: number): void {
  if (index < state.unstableOffset || termAt(state, index) !== term) return;
  state.unstableOffset = index + 1;
}
