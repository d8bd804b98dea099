import type { ClientRequest } from '@dsim/core';
import type { MutableState, RaftContext } from './context.ts';
import { becomeFollower, trackMembers } from './election.ts';
import { lastIndex, termAt } from './log.ts';
import {
  applyConfChange,
  describeMembership,
  isJoint,
  isVoter,
  leaveJoint,
  sameMembership,
  type ConfChange,
  type Membership,
} from './membership.ts';
import { setMembership } from './membership-state.ts';
import { propose } from './replication.ts';
import { answer } from './respond.ts';
import type { Entry, KvOp } from './state.ts';

/**
 * Configuration changes (dissertation chapter 4; etcd ConfChangeV2). A change is a `config` entry
 * in the log carrying the whole resulting configuration, and every server uses the latest one in
 * its log as soon as it holds it, committed or not (§4.1). Two rules keep any two quorums of
 * successive configurations overlapping:
 * - one change at a time: the leader proposes a change only when the previous one has committed
 *   (§4.1), and a joint configuration is left before anything else changes (§4.3);
 * - a new leader first commits an entry of its own term (its no-op) before it proposes a change:
 *   the fix for the bug Ongaro reported on raft-dev in 2015, where a change from a deposed
 *   leader's term and one from the new leader's term could be decided by disjoint majorities.
 */
export function handleConfChangeRequest(
  state: MutableState,
  ctx: RaftContext,
  request: ClientRequest<KvOp>,
  change: ConfChange,
  seq: number | undefined,
): void {
  const refuse = (error: string) => answer(ctx, request.id, { type: 'fail', error });
  if (state.transferee !== null) return refuse(`leadership transfer to ${state.transferee} in progress`);
  if (!ctx.bugs.has('noNoopBeforeConfChange') && termAt(state, state.commitIndex) !== state.term)
    return refuse('no entry of this term committed yet: a configuration change waits for the new leader’s no-op');
  if (!ctx.bugs.has('concurrentConfChanges') && state.membershipIndex > state.commitIndex)
    return refuse(`the configuration change at ${state.membershipIndex} is not committed yet`);
  const next = applyConfChange(state.membership, change, ctx.nodes);
  if (typeof next === 'string') return refuse(next);
  // A retried change that already took effect: nothing to do (the client's earlier attempt made it).
  if (sameMembership(next, state.membership))
    return answer(ctx, request.id, { type: 'ok', value: describeMembership(next) });
  const index = proposeMembership(state, ctx, {
    term: state.term,
    kind: 'config',
    op: { f: 'conf', value: copyChange(change) },
    membership: next,
    client: request.client,
    seq,
    request: request.id,
    proposer: ctx.self,
  });
  state.pendingWrites.push({ request: request.id, index, term: state.term });
}

function copyChange(change: ConfChange): ConfChange {
  return {
    steps: change.steps.map((step) => Object.freeze({ type: step.type, node: step.node })),
    ...(change.joint === true ? { joint: true } : {}),
  };
}

/** Appends a configuration entry on the leader, which uses the configuration from this moment on. */
function proposeMembership(state: MutableState, ctx: RaftContext, proposed: Entry): number {
  // A plain, frozen copy: the lists may come from the state's draft, and an entry never changes.
  const from = proposed.membership!;
  const membership: Membership = Object.freeze({
    voters: Object.freeze([...from.voters]),
    outgoing: Object.freeze([...from.outgoing]),
    learners: Object.freeze([...from.learners]),
  });
  const entry: Entry = { ...proposed, membership };
  // The new configuration governs the entry's own commit (§4.1): track the new members first.
  setMembership(state, membership, lastIndex(state) + 1);
  trackMembers(state, ctx);
  ctx.annotate(`${ctx.self} proposes ${describeMembership(membership)} at ${state.membershipIndex}`);
  return propose(state, ctx, entry);
}

/**
 * What a leader does once its configuration entry commits: leave a joint configuration with the
 * next entry (etcd AutoLeave), or step down when the committed configuration no longer has it as
 * a voter (dissertation §4.2.2: it managed the cluster until then without counting itself).
 */
export function afterConfigCommitted(state: MutableState, ctx: RaftContext): void {
  if (state.role !== 'leader' || state.membershipIndex === 0 || state.membershipIndex > state.commitIndex) return;
  // Like any change, leaving the joint configuration waits for an entry of this leader's term to commit.
  if (termAt(state, state.commitIndex) !== state.term) return;
  const membership = state.membership;
  if (isJoint(membership)) {
    proposeMembership(state, ctx, {
      term: state.term,
      kind: 'config',
      membership: leaveJoint(membership),
      proposer: ctx.self,
    });
    return;
  }
  if (!isVoter(membership, ctx.self)) {
    ctx.annotate(`${ctx.self} committed ${describeMembership(membership)}, which leaves it out`);
    becomeFollower(state, ctx, state.term, null);
  }
}
