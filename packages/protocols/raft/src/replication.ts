import type { NodeId, SendOptions } from '@dsim/core';
import { commitTo, maybeCommit } from './commit.ts';
import type { MutableState, RaftContext } from './context.ts';
import type { AppendEntries, AppendEntriesResponse, Heartbeat, StorageAppendResponse } from './messages.ts';
import { saveEntries, saveEntry, truncateEntries } from './persistence.ts';
import { sendSnapshot } from './snapshot.ts';
import {
  appendAll,
  entriesFrom,
  findConflictByTerm,
  lastIndex,
  lastTerm,
  matchingPrefix,
  stableTo,
  termAt,
  truncateAfter,
} from './log.ts';
import { noteAppended, noteTruncated } from './membership-state.ts';
import type { Entry } from './state.ts';
import { isPaused, sentEntries, type Progress } from './tracker.ts';

/**
 * Log replication (paper §5.3): the leader's proposals and what it sends (AppendEntries paced by
 * etcd's flow control, tracker.Progress; heartbeats), and the follower's side of both. The
 * leader's handling of the answers is in leader.ts.
 */

/** Appends an entry to the leader's own log, durably, and streams it to followers. */
export function propose(state: MutableState, ctx: RaftContext, entry: Entry): number {
  // Entries never change once created (see Entry): frozen, they are shared by every log and by
  // durable storage instead of being copied on each write.
  freezeEntry(entry);
  // A draft's log holds plain entries: the entry is frozen, never drafted.
  (state.log as Entry[]).push(entry);
  const index = lastIndex(state);
  saveEntry(ctx.storage, state.snapshotIndex, index, entry);
  ctx.storage.sync();
  // The AppendEntries leave at once, while the write is still on the way to disk (§10.2.1); the
  // leader learns that it is durable from the note to itself that leaves with the sync, and only
  // then counts its own copy toward the quorum (maybeCommit reads its stable index).
  broadcastAppend(state, ctx);
  noteWhenDurable(state, ctx);
  // Alone in the configuration, the bug commits before the write is durable.
  if (state.progress.length === 0 && ctx.bugs.has('countLeaderBeforeDurable')) maybeCommit(state, ctx);
  return index;
}

/**
 * etcd MsgStorageAppendResp: a note to itself, delivered once this step's sync completes, that the
 * log through its last entry is on disk; the unstable tail becomes stable then (log.ts).
 */
function noteWhenDurable(state: MutableState, ctx: RaftContext): void {
  // Syncs that take no time put this step's writes on disk before any of its messages leave
  // (etcd's synchronous Ready loop): the note would arrive at once, so its effect is taken here.
  if (ctx.storage.syncsAreImmediate) return markStable(state, ctx, lastIndex(state), lastTerm(state));
  ctx.send(ctx.self, {
    type: 'StorageAppendResponse',
    term: state.term,
    index: lastIndex(state),
    logTerm: lastTerm(state),
  });
}

/** The note arrived: the log through `index` is on disk, and a leader may now count its own copy. */
export function handleStorageAppended(state: MutableState, ctx: RaftContext, msg: StorageAppendResponse): void {
  markStable(state, ctx, msg.index, msg.logTerm);
}

function markStable(state: MutableState, ctx: RaftContext, index: number, logTerm: number): void {
  stableTo(state, index, logTerm);
  if (state.role === 'leader') maybeCommit(state, ctx);
}

function freezeEntry(entry: Entry): void {
  const op = entry.op;
  if (op !== undefined) {
    const value = (op as { readonly value?: unknown }).value;
    if (Array.isArray(value)) Object.freeze(value);
    Object.freeze(op);
  }
  Object.freeze(entry);
}

/**
 * One AppendEntries to every follower that is not paused. Followers streaming in step are sent
 * the same message (same previous entry, same entries): it is built once and shared, as a
 * broadcast is, instead of once per follower.
 */
export function broadcastAppend(state: MutableState, ctx: RaftContext): void {
  let shared: AppendEntries | undefined;
  for (const progress of state.progress) shared = sendAppend(state, ctx, progress, false, shared) ?? shared;
}

/**
 * etcd maybeSendAppend: one AppendEntries from `next`, or a snapshot when `next - 1` was compacted.
 * With `sendIfEmpty`, an AppendEntries goes out even with no entries to carry: the follower
 * accepts it if it holds `next - 1`, and otherwise rejects it, which sends `next` back to what the
 * follower has (etcd sendAppend).
 */
export function sendAppend(
  state: MutableState,
  ctx: RaftContext,
  progress: Progress,
  sendIfEmpty = false,
  shared?: AppendEntries,
): AppendEntries | undefined {
  if (isPaused(progress, ctx.config.maxInflightMessages ?? 0)) return undefined;
  const prevIndex = progress.next - 1;
  const prevTerm = termAt(state, prevIndex);
  if (prevTerm === undefined) {
    sendSnapshot(state, ctx, progress);
    return undefined;
  }
  const count = Math.min(ctx.config.maxEntriesPerMessage, lastIndex(state) - prevIndex);
  // In replicate mode there is nothing to say until there is something new; a probe may be empty.
  if (progress.mode === 'replicate' && count <= 0 && !sendIfEmpty) return undefined;
  // Messages are never changed once sent, so one sent to another follower in this step may go again.
  const msg: AppendEntries =
    shared !== undefined && shared.prevIndex === prevIndex && shared.entries.length === count
      ? shared
      : {
          type: 'AppendEntries',
          term: state.term,
          prevIndex,
          prevTerm,
          entries: entriesFrom(state, prevIndex + 1, count),
          commit: state.commitIndex,
        };
  ctx.send(progress.id, msg, BEFORE_SYNC);
  sentEntries(progress, prevIndex + count, count);
  return msg;
}

/**
 * An AppendEntries vouches for none of the leader's own writes: the entries it carries may still be
 * on the way to the leader's disk (§10.2.1), and the leader's term was made durable before its
 * campaign's vote requests left. So it leaves before the step's sync.
 */
const BEFORE_SYNC: SendOptions = Object.freeze({ beforeSync: true });

/** The term to send with a hint found by findConflictByTerm: 0 when it was compacted (or is index 0). */
function hintTermAt(state: MutableState, index: number): number {
  return termAt(state, index) ?? 0;
}

/** Answers an AppendEntries; everything the acknowledgement vouches for is durable before it leaves. */
function replyAppend(
  state: MutableState,
  ctx: RaftContext,
  from: NodeId,
  index: number,
  reject: boolean,
  hintIndex: number,
  hintTerm: number,
): void {
  ctx.storage.sync();
  ctx.send(from, {
    type: 'AppendEntriesResponse',
    term: state.term,
    index,
    reject,
    hintIndex,
    hintTerm,
  } satisfies AppendEntriesResponse);
}

/** The follower side of AppendEntries (paper Figure 2, receiver implementation). */
export function handleAppendEntries(state: MutableState, ctx: RaftContext, from: NodeId, msg: AppendEntries): void {
  if (msg.prevIndex < state.commitIndex) {
    // Everything up to our commit index already matches the leader's log (etcd handleAppendEntries).
    return replyAppend(state, ctx, from, state.commitIndex, false, 0, 0);
  }
  if (termAt(state, msg.prevIndex) !== msg.prevTerm) {
    // Consistency check failed. Hint where the leader should probe next: the last of our
    // entries at or below prevIndex whose term is at most prevTerm, skipping a whole
    // conflicting term per round trip instead of one entry (etcd, paper §5.3 optimisation).
    const hintIndex = findConflictByTerm(state, Math.min(msg.prevIndex, lastIndex(state)), msg.prevTerm);
    return replyAppend(state, ctx, from, msg.prevIndex, true, hintIndex, hintTermAt(state, hintIndex));
  }
  // Skip entries we already hold; truncate at the first conflict (paper §5.3: delete the
  // conflicting entry and all that follow it), then append the rest.
  const skip = matchingPrefix(state, msg.prevIndex, msg.entries);
  if (skip < msg.entries.length) {
    const first = msg.prevIndex + 1 + skip;
    const last = lastIndex(state);
    if (first <= last) {
      if (first <= state.commitIndex)
        throw new Error(
          `AppendEntries from ${from} would truncate committed entry ${first} (commit ${state.commitIndex})`,
        );
      ctx.annotate(`${ctx.self} truncates its log from index ${first} (had ${last})`, { from: first, to: last });
      truncateEntries(ctx.storage, first - 1);
      truncateAfter(state, first - 1);
      noteTruncated(state, ctx, first - 1);
    }
    // Usually nothing is skipped: then the message's own entries are appended, without a copy.
    const fresh = skip === 0 ? msg.entries : msg.entries.slice(skip);
    appendAll(state, fresh);
    saveEntries(ctx.storage, state.snapshotIndex, first, fresh);
    noteAppended(state, first);
    noteWhenDurable(state, ctx);
  }
  const lastNew = msg.prevIndex + msg.entries.length;
  commitTo(state, Math.min(msg.commit, lastNew));
  replyAppend(state, ctx, from, lastNew, false, 0, 0);
}

/** etcd bcastHeartbeat: every heartbeat interval, and right away when a ReadIndex needs confirming. */
export function sendHeartbeats(state: MutableState, ctx: RaftContext): void {
  const sentAt = ctx.now();
  // The latest round: a clock that jumped back may send a later round at an earlier reading.
  if (state.heartbeatSentAt === null || sentAt > state.heartbeatSentAt) state.heartbeatSentAt = sentAt;
  // Followers that match up to the commit index get the same heartbeat: it is built once and shared
  // (messages are never changed once sent), as broadcastAppend shares an AppendEntries.
  let shared: Heartbeat | undefined;
  for (const progress of state.progress) {
    const commit = Math.min(progress.match, state.commitIndex);
    const msg: Heartbeat =
      shared !== undefined && shared.commit === commit
        ? shared
        : { type: 'Heartbeat', term: state.term, commit, context: state.readContext, sentAt };
    ctx.send(progress.id, msg);
    shared = msg;
  }
}

export function handleHeartbeatTimer(state: MutableState, ctx: RaftContext): void {
  if (state.role !== 'leader') return;
  sendHeartbeats(state, ctx);
  ctx.setTimer('heartbeat', ctx.config.heartbeatIntervalMicros);
}

export function handleHeartbeat(state: MutableState, ctx: RaftContext, from: NodeId, msg: Heartbeat): void {
  // The leader never sends a commit above what we acknowledged, but a restart may have shortened
  // our log's view of it; never commit past our own last entry.
  commitTo(state, Math.min(msg.commit, lastIndex(state)));
  ctx.send(from, { type: 'HeartbeatResponse', term: state.term, context: msg.context, sentAt: msg.sentAt });
}
