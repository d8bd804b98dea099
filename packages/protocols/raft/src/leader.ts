import type { NodeId } from '@dsim/core';
import { maybeCommit } from './commit.ts';
import type { MutableState, RaftContext } from './context.ts';
import { findConflictByTerm, lastIndex } from './log.ts';
import type { AppendEntriesResponse, HeartbeatResponse } from './messages.ts';
import { confirmReads } from './reads.ts';
import { sendAppend } from './replication.ts';
import { becomeProbe, becomeReplicate, maybeDecreaseNext, maybeUpdate, progressOf } from './tracker.ts';
import { maybeSendTimeoutNow } from './transfer.ts';

/**
 * etcd stepLeader: the leader's handling of its followers' answers. An acknowledged append moves
 * the follower's progress (probe, replicate) and may commit (paper §5.3, with fast conflict
 * backtracking by findConflictByTerm); a heartbeat answer renews the lease, confirms reads, and
 * sends a follower that is behind what it misses.
 */

export function handleAppendEntriesResponse(
  state: MutableState,
  ctx: RaftContext,
  from: NodeId,
  msg: AppendEntriesResponse,
): void {
  const progress = progressOf(state.progress, from);
  if (!progress) return;
  progress.recentActive = true;
  if (msg.reject) {
    let next = msg.hintIndex;
    if (msg.hintTerm > 0) next = findConflictByTerm(state, msg.hintIndex, msg.hintTerm);
    if (maybeDecreaseNext(progress, msg.index, next)) {
      if (progress.mode === 'replicate') becomeProbe(progress);
      sendAppend(state, ctx, progress);
    }
    return;
  }
  const advanced = maybeUpdate(progress, msg.index);
  // A match (or a snapshot applied) means the follower is caught up to here: stream from now on.
  if (progress.mode !== 'replicate' && (advanced || progress.mode === 'probe')) becomeReplicate(progress);
  progress.paused = false;
  if (advanced) maybeCommit(state, ctx);
  if (progress.match < lastIndex(state)) sendAppend(state, ctx, progress);
  maybeSendTimeoutNow(state, ctx, progress);
}

export function handleHeartbeatResponse(
  state: MutableState,
  ctx: RaftContext,
  from: NodeId,
  msg: HeartbeatResponse,
): void {
  const progress = progressOf(state.progress, from);
  if (!progress) return;
  progress.recentActive = true;
  // The lease runs from the acknowledged heartbeat's send, not the answer's arrival (dissertation
  // §6.4.1): the follower's vote lease started when it received the heartbeat, somewhere between.
  const sentAt = ctx.bugs.has('leaseFromAckArrival') ? ctx.now() : msg.sentAt;
  if (progress.ackedSentAt === null || sentAt > progress.ackedSentAt) progress.ackedSentAt = sentAt;
  if (msg.context > progress.readAck) {
    progress.readAck = msg.context;
    confirmReads(state, ctx);
  }
  // etcd stepLeader MsgHeartbeatResp: a heartbeat answer unpauses a probe, and a follower behind
  // gets an AppendEntries (or its snapshot again: the first one may have been lost). In replicate
  // mode `next` may already be past everything sent, so the AppendEntries goes out even empty:
  // if an earlier one was lost, the follower's rejection brings `next` back and the entries are
  // sent again, even while the leader has nothing new to replicate.
  if (progress.mode === 'snapshot') becomeProbe(progress);
  progress.paused = false;
  if (progress.match < lastIndex(state)) sendAppend(state, ctx, progress, !ctx.bugs.has('noProbeOnHeartbeat'));
}
