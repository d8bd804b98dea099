import type { ClientRequest } from '@dsim/core';
import type { MutableState, RaftContext } from './context.ts';
import { answer } from './respond.ts';
import { propose, sendHeartbeats } from './replication.ts';
import { readKey } from '@dsim/services';
import { lastIndex, termAt } from './log.ts';
import { selfVotes } from './membership-state.ts';
import { jointValue } from './quorum.ts';
import type { KvOp } from './state.ts';
import type { Progress } from './tracker.ts';

/**
 * Linearizable reads without writing to the log (dissertation §6.4, etcd read_only.go):
 * - ReadIndex: remember the commit index, confirm with a heartbeat round that a quorum still
 *   follows us, wait until that index is applied, then read locally.
 * - Lease: skip the round while a quorum acknowledged a heartbeat recently enough that no other
 *   leader can exist yet (dissertation §6.4.1). Only as safe as the clock-drift bound.
 * - Log: append the read as an entry, as the paper's clients do (§8).
 */

/** The leader has committed an entry of its own term, so its commit index is the cluster's (§6.4 step 1). */
function committedInTerm(state: MutableState): boolean {
  return termAt(state, state.commitIndex) === state.term;
}

export function handleGet(
  state: MutableState,
  ctx: RaftContext,
  request: ClientRequest<KvOp>,
  op: KvOp & { f: 'get' },
  seq: number | undefined,
): void {
  const mode = ctx.config.readMode;
  if (mode === 'log') {
    const index = propose(state, ctx, {
      term: state.term,
      kind: 'op',
      op: { f: 'get', key: op.key },
      client: request.client,
      seq,
      request: request.id,
      proposer: ctx.self,
    });
    state.pendingWrites.push({ request: request.id, index, term: state.term });
    return;
  }
  if (mode === 'lease' && committedInTerm(state) && leaseValid(state, ctx)) {
    state.pendingReads.push({
      request: request.id,
      key: op.key,
      context: 0,
      index: state.commitIndex,
      confirmed: true,
    });
    serveReads(state, ctx);
    return;
  }
  state.pendingReads.push({ request: request.id, key: op.key, context: 0, index: -1, confirmed: false });
  // A leader that has not committed in its term does not know the commit index yet: the read
  // waits for the no-op (etcd pendingReadIndexMessages).
  if (committedInTerm(state)) startQueuedReads(state, ctx);
}

/**
 * Reads that arrived before the leader's first commit in its term wait without a read index; once
 * that commit happens they get one (etcd releases pendingReadIndexMessages on the same event).
 */
export function startReadsOnceCommittedInTerm(state: MutableState, ctx: RaftContext): void {
  if (state.pendingReads.length > 0 && committedInTerm(state)) startQueuedReads(state, ctx);
}

/** Gives every read still waiting for a read index one, and confirms them with one heartbeat round. */
export function startQueuedReads(state: MutableState, ctx: RaftContext): void {
  if (state.role !== 'leader') return;
  let started = false;
  for (const read of state.pendingReads) {
    if (read.index !== -1) continue;
    if (!started) state.readContext += 1;
    started = true;
    read.index = state.commitIndex;
    read.context = state.readContext;
  }
  if (!started) return;
  // Alone in the configuration, the leader is the quorum; otherwise one heartbeat round confirms.
  if (state.progress.length === 0) confirmReads(state, ctx);
  else sendHeartbeats(state, ctx);
}

/** A read is confirmed once a quorum (us included) acknowledged its context or a later one. */
export function confirmReads(state: MutableState, ctx: RaftContext): void {
  // The newest context a quorum of each configuration in force acknowledged (etcd read_only.recvAck).
  const acknowledged = jointValue(state.progress, readAckOf, Number.MAX_SAFE_INTEGER, selfVotes(state, ctx));
  let changed = false;
  for (const read of state.pendingReads) {
    if (read.confirmed || read.context === 0) continue;
    if (acknowledged >= read.context) {
      read.confirmed = true;
      changed = true;
    }
  }
  if (changed) serveReads(state, ctx);
}

/** Answers confirmed reads whose read index has been applied. */
export function serveReads(state: MutableState, ctx: RaftContext): void {
  if (state.pendingReads.length === 0) return;
  const waiting = [];
  for (const read of state.pendingReads) {
    if (read.confirmed && read.index <= state.appliedIndex)
      answer(ctx, read.request, { type: 'ok', value: readKey(state.kv, read.key) });
    else waiting.push(read);
  }
  if (waiting.length !== state.pendingReads.length) state.pendingReads = waiting;
}

/**
 * The leader lease (dissertation §6.4.1). Followers that acknowledged a heartbeat sent at our
 * local time `s` will not vote for anyone else until their own clocks have run a full election
 * timeout past receiving it (CheckQuorum's vote lease). So no other leader exists before our
 * clock reads s + electionTimeout, *if our clocks run at the same rate*; the bound
 * `leaseClockBoundMicros` pays for the drift and jumps they may have in between.
 */
export function leaseValid(state: MutableState, ctx: RaftContext): boolean {
  if (state.transferee !== null) return false; // a transfer target campaigns through the followers' vote lease
  // The newest send time that a quorum of each configuration acknowledged, counting our own as
  // always current: the lease runs from there.
  const floor = state.leaseFloor;
  const quorumSentAt = jointValue(
    state.progress,
    (progress) => (progress.ackedSentAt !== null && progress.ackedSentAt >= floor ? progress.ackedSentAt : -Infinity),
    Infinity,
    selfVotes(state, ctx),
  );
  if (quorumSentAt === -Infinity) return false;
  const start = quorumSentAt === Infinity ? ctx.now() : quorumSentAt;
  const config = ctx.config;
  const length = ctx.bugs.has('leaseReadIgnoresClockDrift')
    ? config.electionTimeoutMicros
    : config.electionTimeoutMicros - config.leaseClockBoundMicros;
  return ctx.now() < start + length;
}

/**
 * On losing leadership: reads never took effect, so they fail (definitely not applied); writes
 * may still commit under the next leader, so their outcome is unknown.
 */
export function failPendingOnStepDown(state: MutableState, ctx: RaftContext): void {
  for (const read of state.pendingReads)
    answer(ctx, read.request, { type: 'fail', error: 'leadership lost before the read was confirmed' });
  for (const write of state.pendingWrites) {
    const applied = write.index <= state.appliedIndex;
    answer(ctx, write.request, {
      type: 'unknown',
      error: applied
        ? 'leadership lost'
        : `leadership lost with entry ${write.index} uncommitted (last ${lastIndex(state)})`,
    });
  }
  state.pendingReads = [];
  state.pendingWrites = [];
}

const readAckOf = (progress: Progress): number => progress.readAck;
