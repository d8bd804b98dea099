import type { ClientRequest, NodeId } from '@dsim/core';
import type { MutableState, RaftContext } from './context.ts';
import { answer } from './respond.ts';
import { becomeCandidate } from './election.ts';
import { sendAppend } from './replication.ts';
import { lastIndex } from './log.ts';
import { isVoter } from './membership.ts';
import type { KvOp } from './state.ts';
import { progressOf, type Progress } from './tracker.ts';

/**
 * Leadership transfer (dissertation §3.10, etcd MsgTransferLeader / MsgTimeoutNow): the leader
 * stops taking proposals, brings the target up to date, then tells it to campaign at once. The
 * target's campaign is marked as a transfer, so followers' vote leases do not block it. If the
 * transfer does not finish within an election timeout, the leader gives up and carries on.
 */
export function handleTransferRequest(
  state: MutableState,
  ctx: RaftContext,
  request: ClientRequest<KvOp>,
  target: NodeId,
): void {
  if (target === ctx.self) return answer(ctx, request.id, { type: 'ok', value: `${ctx.self} already leads` });
  const progress = progressOf(state.progress, target);
  if (!progress) return answer(ctx, request.id, { type: 'fail', error: `no such node '${String(target)}'` });
  // etcd ignores a transfer to a learner: only a voter may lead.
  if (!isVoter(state.membership, target))
    return answer(ctx, request.id, { type: 'fail', error: `${target} is not a voter` });
  if (state.transferee !== target) {
    ctx.annotate(`${ctx.self} transfers leadership to ${target}`);
    state.transferee = target;
    ctx.setTimer('transfer', ctx.config.electionTimeoutMicros);
    if (progress.match === lastIndex(state)) sendTimeoutNow(state, ctx, target);
    else sendAppend(state, ctx, progress);
  }
  // Accepted: like etcd's MsgTransferLeader, the outcome shows in who leads next, not in a reply.
  answer(ctx, request.id, { type: 'ok', value: `transferring to ${target}` });
}

/** Called whenever a follower's match advances: the target is caught up, so it may campaign. */
export function maybeSendTimeoutNow(state: MutableState, ctx: RaftContext, progress: Progress): void {
  if (state.transferee === progress.id && progress.match === lastIndex(state)) sendTimeoutNow(state, ctx, progress.id);
}

function sendTimeoutNow(state: MutableState, ctx: RaftContext, target: NodeId): void {
  // From here on the target may win without waiting out anyone's lease, and a delayed TimeoutNow
  // may start its campaign long after we gave up the transfer: no lease reads for the rest of
  // this term (ReadIndex still serves them).
  state.leaseFloor = Number.MAX_SAFE_INTEGER;
  ctx.send(target, { type: 'TimeoutNow', term: state.term });
}

export function handleTransferTimeout(state: MutableState, ctx: RaftContext): void {
  if (state.role !== 'leader' || state.transferee === null) return;
  ctx.annotate(`${ctx.self} gives up transferring leadership to ${state.transferee}`);
  state.transferee = null;
}

/** etcd: a follower told TimeoutNow campaigns at once, skipping PreVote. */
export function handleTimeoutNow(state: MutableState, ctx: RaftContext): void {
  if (state.role === 'leader') return;
  // etcd: a node that is not a voter of its configuration (a learner, a removed node) never campaigns.
  if (!isVoter(state.membership, ctx.self)) return;
  ctx.annotate(`${ctx.self} campaigns on TimeoutNow`);
  becomeCandidate(state, ctx, true);
}
