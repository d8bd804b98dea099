import type { NodeId } from '@dsim/core';
import type { MutableState, RaftContext } from './context.ts';
import { entryAt, lastIndex } from './log.ts';
import { loadSnapshot } from './persistence.ts';
import { isVoter, votesMask, type Membership } from './membership.ts';
import { jointVoteResult, type VoteResult } from './quorum.ts';
import type { RaftState } from './state.ts';

/**
 * What the configuration in force means for this node: whether it may campaign, which
 * configurations it counts in, and how an election stands.
 */

/** The configuration a node starts with before its log says otherwise: the scenario's `initialVoters` and `initialLearners`, or every node as a voter. */
export function initialMembership(ctx: Pick<RaftContext, 'config' | 'nodes'>): Membership {
  const voters = ctx.config.initialVoters;
  const learners = ctx.config.initialLearners ?? [];
  return {
    voters: voters === undefined ? ctx.nodes : ctx.nodes.filter((node) => voters.includes(node)),
    outgoing: [],
    learners: ctx.nodes.filter((node) => learners.includes(node)),
  };
}

/** The configurations this node votes in (quorum.ts VOTES_* bits). */
export function selfVotes(state: Readonly<Pick<RaftState, 'membership'>>, ctx: Pick<RaftContext, 'self'>): number {
  return votesMask(state.membership, ctx.self);
}

/**
 * Whether this node campaigns when its election timer fires: a voter of the configuration in
 * force (etcd raft.promotable), or, while that configuration's entry is not known committed, a
 * voter of the one before it. Dissertation §4.2.2: "a server that is not part of its own latest
 * configuration should still start new elections, as it might still be needed until the C_new
 * entry is committed"; its own vote counts only where it is a voter (electionResult). Without
 * this, a leader that appended its own removal and lost leadership before the entry committed
 * holds the only log that can win, and can neither campaign nor vote for a shorter log.
 */
export function promotable(
  state: Readonly<Pick<RaftState, 'membership' | 'membershipIndex' | 'commitIndex' | 'log' | 'snapshotIndex'>>,
  ctx: Pick<RaftContext, 'self' | 'config' | 'nodes' | 'storage' | 'bugs'>,
): boolean {
  if (isVoter(state.membership, ctx.self)) return true;
  if (state.membershipIndex <= state.commitIndex || ctx.bugs.has('uncommittedRemovalStopsCampaigns')) return false;
  return isVoter(membershipBefore(state, ctx), ctx.self);
}

/**
 * The configuration that the entry at `state.membershipIndex` replaced: the newest configuration
 * entry before it, else the snapshot's, else the initial one. Only asked while that entry is
 * uncommitted, so it lies after the snapshot, in the log.
 */
function membershipBefore(
  state: Readonly<Pick<RaftState, 'membershipIndex' | 'log' | 'snapshotIndex'>>,
  ctx: Pick<RaftContext, 'config' | 'nodes' | 'storage'>,
): Membership {
  const before = state.log.slice(0, Math.max(0, state.membershipIndex - state.snapshotIndex - 1));
  return membershipFromLog({ log: before, snapshotIndex: state.snapshotIndex }, loadSnapshot(ctx.storage), ctx)
    .membership;
}

/** How the current (pre-)campaign stands under the configuration in force (both majorities when joint). */
export function electionResult(state: Readonly<RaftState>): VoteResult {
  const membership = state.membership;
  return jointVoteResult(membership.voters, membership.outgoing, state.votesGranted, state.votesRejected);
}

/**
 * The configuration in force for a log: its latest configuration entry, committed or not
 * (dissertation §4.1), else the snapshot's, else the initial one. Run after a restart and after a
 * truncation removed the entry that set the configuration.
 */
export function membershipFromLog(
  state: Readonly<Pick<RaftState, 'log' | 'snapshotIndex'>>,
  snapshot: { readonly membership?: Membership; readonly membershipIndex?: number } | undefined,
  ctx: Pick<RaftContext, 'config' | 'nodes'>,
): { membership: Membership; index: number } {
  for (let i = state.log.length - 1; i >= 0; i--) {
    const entry = state.log[i]!;
    if (entry.kind === 'config' && entry.membership)
      return { membership: entry.membership, index: state.snapshotIndex + 1 + i };
  }
  if (snapshot?.membership) return { membership: snapshot.membership, index: snapshot.membershipIndex ?? 0 };
  return { membership: initialMembership(ctx), index: 0 };
}

/** Entries from `first` on were appended to a follower's log: the newest configuration among them takes effect. */
export function noteAppended(state: MutableState, first: number): void {
  for (let index = lastIndex(state); index >= first; index--) {
    const entry = entryAt(state, index);
    if (entry?.kind === 'config' && entry.membership) return setMembership(state, entry.membership, index);
  }
}

/** The log was cut after `last`: a configuration entry that went with it no longer applies. */
export function noteTruncated(state: MutableState, ctx: RaftContext, last: number): void {
  if (state.membershipIndex <= last) return;
  const inForce = membershipFromLog(state, loadSnapshot(ctx.storage), ctx);
  setMembership(state, inForce.membership, inForce.index);
}

/** Puts `membership`, set by the entry at `index` (0: the initial one), in force. Configurations are never changed in place, only replaced. */
export function setMembership(state: MutableState, membership: Membership, index: number): void {
  (state as { membership: Membership }).membership = membership;
  state.membershipIndex = index;
}
