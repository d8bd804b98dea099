import type { NodeId } from '@dsim/core';
import { VOTES_INCOMING, VOTES_OUTGOING } from './quorum.ts';

/**
 * A cluster configuration (etcd raft's tracker.Config): the voters, the voters of the outgoing
 * configuration while a joint-consensus change is in progress (dissertation §4.3; etcd
 * ConfChangeV2), and the learners, which receive the log but neither vote nor count for commit.
 * Lists keep the scenario's node order, so everything built from them iterates the same way
 * every run.
 */
export interface Membership {
  readonly voters: readonly NodeId[];
  /** Non-empty only in a joint configuration C_old,new: then these are C_old's voters. */
  readonly outgoing: readonly NodeId[];
  readonly learners: readonly NodeId[];
}

/** One step of a change (etcd ConfChangeSingle): add a voter (or promote a learner), add a learner, or remove a node. */
export interface ConfChangeStep {
  readonly type: 'addVoter' | 'addLearner' | 'remove';
  readonly node: NodeId;
}

/**
 * A requested change (etcd ConfChangeV2). With `joint` false (the default) it must change the
 * voters by at most one node: a single-server change (dissertation §4.1). With `joint` true it
 * enters the joint configuration C_old,new, and the leader leaves it on its own once that entry
 * commits (etcd's AutoLeave).
 */
export interface ConfChange {
  readonly steps: readonly ConfChangeStep[];
  readonly joint?: boolean;
}

export function isJoint(membership: Membership): boolean {
  return membership.outgoing.length > 0;
}

/** Votes in the incoming or the outgoing configuration. */
export function isVoter(membership: Membership, node: NodeId): boolean {
  return membership.voters.includes(node) || membership.outgoing.includes(node);
}

/** Receives the log: a voter of either half, or a learner. */
export function isMember(membership: Membership, node: NodeId): boolean {
  return isVoter(membership, node) || membership.learners.includes(node);
}

/** The configurations `node` votes in, as quorum.ts's VOTES_* bits. */
export function votesMask(membership: Membership, node: NodeId): number {
  return (
    (membership.voters.includes(node) ? VOTES_INCOMING : 0) | (membership.outgoing.includes(node) ? VOTES_OUTGOING : 0)
  );
}

/** Every voter and learner, in the order of `order` (the scenario's node list). */
export function membersInOrder(membership: Membership, order: readonly NodeId[]): NodeId[] {
  return order.filter((node) => isMember(membership, node));
}

/** The order-free set difference of two voter lists, counted both ways. */
function votersChanged(before: readonly NodeId[], after: readonly NodeId[]): number {
  let changed = 0;
  for (const node of before) if (!after.includes(node)) changed++;
  for (const node of after) if (!before.includes(node)) changed++;
  return changed;
}

/**
 * The configuration after `change` (etcd confchange.Changer), or a sentence saying why it cannot
 * be made. `order` is the scenario's node list: every node named must be in it, and the result
 * keeps its order.
 */
export function applyConfChange(
  membership: Membership,
  change: ConfChange,
  order: readonly NodeId[],
): Membership | string {
  if (isJoint(membership)) return 'the configuration is joint: it must leave the joint configuration first';
  if (!Array.isArray(change.steps) || change.steps.length === 0) return 'conf: steps must list at least one change';
  const voters = new Set(membership.voters);
  const learners = new Set(membership.learners);
  for (const step of change.steps) {
    if (!order.includes(step.node)) return `conf: no such node '${String(step.node)}' (nodes are ${order.join(', ')})`;
    if (step.type === 'addVoter') {
      learners.delete(step.node);
      voters.add(step.node);
    } else if (step.type === 'addLearner') {
      // etcd refuses to demote a voter to learner outside a joint configuration's bookkeeping.
      if (voters.has(step.node)) return `conf: ${step.node} is a voter; remove it before adding it as a learner`;
      learners.add(step.node);
    } else if (step.type === 'remove') {
      voters.delete(step.node);
      learners.delete(step.node);
    } else
      return `conf: unknown step type '${String((step as { type: unknown }).type)}' (addVoter, addLearner, remove)`;
  }
  const next: Membership = {
    voters: order.filter((node) => voters.has(node)),
    outgoing: [],
    learners: order.filter((node) => learners.has(node)),
  };
  if (next.voters.length === 0) return 'conf: the change would leave no voters';
  if (change.joint === true) {
    return votersChanged(membership.voters, next.voters) === 0
      ? next
      : { voters: next.voters, outgoing: membership.voters, learners: next.learners };
  }
  if (votersChanged(membership.voters, next.voters) > 1)
    return 'conf: a single-server change adds or removes one voter (dissertation §4.1); set joint: true to change more at once';
  return next;
}

/** etcd's leave-joint: C_new alone. */
export function leaveJoint(membership: Membership): Membership {
  return { voters: membership.voters, outgoing: [], learners: membership.learners };
}

export function sameMembership(a: Membership, b: Membership): boolean {
  const same = (x: readonly NodeId[], y: readonly NodeId[]) => x.length === y.length && x.every((n, i) => n === y[i]);
  return same(a.voters, b.voters) && same(a.outgoing, b.outgoing) && same(a.learners, b.learners);
}

/** 'voters n1,n2,n3 learners n4' or 'joint n1,n2,n4 & n1,n2,n3'. */
export function describeMembership(membership: Membership): string {
  const voters = isJoint(membership)
    ? `joint ${membership.voters.join(',')} & ${membership.outgoing.join(',')}`
    : `voters ${membership.voters.join(',')}`;
  return membership.learners.length > 0 ? `${voters} learners ${membership.learners.join(',')}` : voters;
}
