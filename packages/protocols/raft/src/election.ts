import type { NodeId } from '@dsim/core';
import type { MutableState, RaftContext } from './context.ts';
import { saveHardState } from './persistence.ts';
import { failPendingOnStepDown } from './reads.ts';
import { propose } from './replication.ts';
import type { RequestVote, VoteResponse } from './messages.ts';
import { isUpToDate, lastIndex, lastTerm } from './log.ts';
import { electionResult, promotable, selfVotes } from './membership-state.ts';
import { jointValue } from './quorum.ts';
import { newProgress, type Progress } from './tracker.ts';

/**
 * Leader election (paper §5.2) with etcd's PreVote and CheckQuorum (SPECS.md §5.3, §5.4).
 * Timers: 'election' on followers and candidates, 'heartbeat' and 'checkQuorum' on the leader.
 */

/**
 * etcd's resetRandomizedElectionTimeout: uniform in [E, 2E), or in [E, electionTimeoutMaxMicros]
 * when that is set, unless a scenario pins this node's timeout.
 */
export function electionTimeoutFor(ctx: RaftContext): number {
  const config = ctx.config;
  const pinned = config.nodeElectionTimeoutMicros;
  // Node ids are interned (core's intern), so this lookup needs no search of the string table.
  if (pinned && Object.hasOwn(pinned, ctx.self)) return pinned[ctx.self]!;
  const base = config.electionTimeoutMicros;
  if (!config.randomizedElectionTimeout) return base;
  const longest = config.electionTimeoutMaxMicros > 0 ? config.electionTimeoutMaxMicros : 2 * base - 1;
  const drawn = longest === base ? base : ctx.random.int(base, longest);
  const granularity = config.electionTimeoutGranularityMicros;
  return granularity === undefined ? drawn : Math.round(drawn / granularity) * granularity;
}

export function resetElectionTimer(ctx: RaftContext): void {
  ctx.setTimer('election', electionTimeoutFor(ctx));
}

/**
 * With CheckQuorum, a node that heard from a live leader within the election timeout ignores
 * votes (etcd Step, `inLease`): the leader is fine, and a disruptive candidate must not depose it.
 * The leader counts itself in that lease: etcd's `inLease` holds for a leader always (its lead is
 * itself, and its electionElapsed restarts at every CheckQuorum round), so a node that cannot hear
 * the leader gets neither its pre-vote nor its vote; the leader leaves only when CheckQuorum finds
 * it without a quorum. A node that just (re)started also waits one timeout before voting: it may
 * have acknowledged a heartbeat before it crashed, and the leader's lease counts on that
 * acknowledgement.
 */
export function inLeaderLease(state: MutableState, ctx: RaftContext): boolean {
  if (!ctx.config.checkQuorum) return false;
  if (state.role === 'leader') return !ctx.bugs.has('leaderOutsideVoteLease');
  const now = ctx.now();
  if (now < state.votesBlockedUntil) return true;
  return (
    state.leader !== null && state.leader !== ctx.self && now - state.leaderContactAt < ctx.config.electionTimeoutMicros
  );
}

/**
 * Leaves any role for follower at `term` (paper §5.1: a higher term always wins), and restarts the
 * election timer unless `resetTimer` is false (see RaftConfig.resetElectionTimerOnHigherTerm).
 */
export function becomeFollower(
  state: MutableState,
  ctx: RaftContext,
  term: number,
  leader: NodeId | null,
  resetTimer = true,
): void {
  // A leader runs no election timer: stepping down always starts one.
  const wasLeader = state.role === 'leader';
  if (wasLeader) leaveLeadership(state, ctx, term > state.term ? `saw term ${term}` : 'stepped down');
  if (term > state.term) {
    state.term = term;
    state.vote = null;
    if (!ctx.bugs.has('forgetTermOnRestart')) saveHardState(ctx.storage, state.term, state.vote);
  }
  state.role = 'follower';
  state.leader = leader;
  if (leader !== null) state.leaderContactAt = ctx.now();
  state.votesGranted = [];
  state.votesRejected = [];
  if (resetTimer || wasLeader) resetElectionTimer(ctx);
}

/** Clears everything that only a leader holds, answering its waiting clients honestly. */
function leaveLeadership(state: MutableState, ctx: RaftContext, why: string): void {
  ctx.annotate(`${ctx.self} steps down from leader of term ${state.term}: ${why}`);
  failPendingOnStepDown(state, ctx);
  state.progress = [];
  state.transferee = null;
  ctx.cancelTimer('heartbeat');
  ctx.cancelTimer('checkQuorum');
  ctx.cancelTimer('transfer');
}

export function handleElectionTimeout(state: MutableState, ctx: RaftContext): void {
  if (state.role === 'leader') return;
  if (!promotable(state, ctx)) {
    // etcd tickElection: a learner, a removed node, or one not yet added waits; it never campaigns.
    resetElectionTimer(ctx);
    return;
  }
  if (ctx.config.preVote) becomePreCandidate(state, ctx);
  else becomeCandidate(state, ctx, false);
}

/**
 * PreVote (dissertation §9.6, etcd becomePreCandidate): ask whether we could win term + 1 without
 * touching our own term or vote, so an isolated node cannot inflate terms and depose a leader.
 */
function becomePreCandidate(state: MutableState, ctx: RaftContext): void {
  state.role = 'precandidate';
  state.campaignStartedAt = ctx.now();
  state.campaignByTransfer = false;
  state.leader = null;
  state.votesGranted = [ctx.self];
  state.votesRejected = [];
  resetElectionTimer(ctx);
  if (electionResult(state) === 'won') return becomeCandidate(state, ctx, false);
  sendToVoters(state, ctx, {
    type: 'RequestVote',
    term: state.term + 1,
    lastIndex: lastIndex(state),
    lastTerm: lastTerm(state),
    preVote: true,
    transfer: false,
  });
}

/** etcd campaign: vote requests go to the voters of the configuration in force (all of them, as a broadcast, in the common case). */
function sendToVoters(state: MutableState, ctx: RaftContext, msg: RequestVote): void {
  const membership = state.membership;
  if (membership.voters.length === ctx.nodes.length) return ctx.broadcast(msg);
  for (const peer of ctx.peers)
    if (membership.voters.includes(peer) || membership.outgoing.includes(peer)) ctx.send(peer, msg);
}

export function becomeCandidate(state: MutableState, ctx: RaftContext, transfer: boolean): void {
  if (state.role === 'leader') leaveLeadership(state, ctx, 'campaigning');
  state.term += 1;
  state.vote = ctx.self;
  saveHardState(ctx.storage, state.term, state.vote);
  // The vote for ourselves must be durable before anyone can count on our term (paper Figure 2).
  ctx.storage.sync();
  // A campaign that a won pre-vote opens continues the attempt the pre-vote began: etcd's
  // pre-candidate that grants a real vote in its current term stays a pre-candidate, and its
  // pre-vote round, under way before that vote, still ends in a campaign.
  const continuesPreVote = state.role === 'precandidate' && !transfer;
  state.role = 'candidate';
  state.leader = null;
  if (!continuesPreVote) state.campaignStartedAt = ctx.now();
  state.campaignByTransfer = transfer;
  state.votesGranted = [ctx.self];
  state.votesRejected = [];
  resetElectionTimer(ctx);
  if (electionResult(state) === 'won') return becomeLeader(state, ctx);
  sendToVoters(state, ctx, {
    type: 'RequestVote',
    term: state.term,
    lastIndex: lastIndex(state),
    lastTerm: lastTerm(state),
    preVote: false,
    transfer,
  });
}

/**
 * Paper §5.2 and §5.4.2; etcd becomeLeader: reset every follower's progress, then append an empty
 * entry of the new term so that entries from earlier terms can be committed through it (Figure 8).
 */
export function becomeLeader(state: MutableState, ctx: RaftContext): void {
  state.role = 'leader';
  state.leader = ctx.self;
  // votesGranted stays: the voters that made this leader, which 'decided-by-config-quorum' checks.
  state.votesRejected = [];
  state.progress = [];
  trackMembers(state, ctx);
  state.pendingWrites = [];
  state.pendingReads = [];
  state.readContext = 0;
  state.transferee = null;
  state.leaseFloor = ctx.now();
  state.heartbeatSentAt = null;
  ctx.cancelTimer('election');
  ctx.annotate(`${ctx.self} becomes leader of term ${state.term}`);
  propose(state, ctx, { term: state.term, kind: 'noop', proposer: ctx.self });
  ctx.setTimer('heartbeat', ctx.config.heartbeatIntervalMicros);
  if (ctx.config.checkQuorum) ctx.setTimer('checkQuorum', ctx.config.electionTimeoutMicros);
}

/**
 * The leader tracks every member of the configuration in force but itself (etcd
 * ProgressTracker): a new member is probed from the leader's next index, a departed one dropped,
 * and each record notes which configurations its node votes in.
 */
export function trackMembers(state: MutableState, ctx: RaftContext): void {
  const membership = state.membership;
  const tracked: Progress[] = [];
  const next = lastIndex(state) + 1;
  for (const id of ctx.peers) {
    const votes = (membership.voters.includes(id) ? 1 : 0) | (membership.outgoing.includes(id) ? 2 : 0);
    if (votes === 0 && !membership.learners.includes(id)) continue;
    let progress: Progress | undefined;
    for (const existing of state.progress) if (existing.id === id) progress = existing;
    if (progress) progress.votes = votes;
    else progress = newProgress(id, next, votes);
    tracked.push(progress);
  }
  state.progress = tracked;
}

/** etcd Step for MsgVote/MsgPreVote, after the term rules in `step`. */
export function handleRequestVote(state: MutableState, ctx: RaftContext, from: NodeId, msg: RequestVote): void {
  const canVote =
    state.vote === from || (state.vote === null && state.leader === null) || (msg.preVote && msg.term > state.term);
  // Paper §5.4.1: grant only to a candidate whose log is at least as up to date as ours: compare
  // the last terms first, then the last indexes.
  const upToDate = ctx.bugs.has('skipLogUpToDateCheck') || isUpToDate(state, msg.lastIndex, msg.lastTerm);
  if (canVote && upToDate) {
    if (!msg.preVote) {
      state.vote = from;
      state.votedAt = ctx.now();
      saveHardState(ctx.storage, state.term, state.vote);
      // Paper Figure 2 (Followers): a granted vote restarts the election timer, so the voter
      // gives the candidate it chose a full timeout to win before campaigning itself.
      if (!ctx.bugs.has('noTimerResetOnVote')) resetElectionTimer(ctx);
    }
    // The vote is durable before the response leaves: a crash must not let us vote twice in a term.
    ctx.storage.sync();
    ctx.send(from, { type: 'VoteResponse', term: msg.term, preVote: msg.preVote, granted: true });
  } else {
    ctx.send(from, { type: 'VoteResponse', term: state.term, preVote: msg.preVote, granted: false });
  }
}

export function handleVoteResponse(state: MutableState, ctx: RaftContext, from: NodeId, msg: VoteResponse): void {
  const pre = state.role === 'precandidate';
  if (!pre && state.role !== 'candidate') return;
  if (msg.preVote !== pre) return;
  if (msg.granted && msg.term !== (pre ? state.term + 1 : state.term)) return; // an answer to an older campaign
  if (state.votesGranted.includes(from) || state.votesRejected.includes(from)) return; // a duplicate
  if (msg.granted) state.votesGranted.push(from);
  else state.votesRejected.push(from);
  const result = electionResult(state);
  if (result === 'won') {
    if (pre) becomeCandidate(state, ctx, false);
    else becomeLeader(state, ctx);
  } else if (result === 'lost') {
    // Lost for sure: wait as a follower for the next timeout (etcd poll → VoteLost), from now
    // (etcd) or from the campaign's start (the paper; see RaftConfig.resetElectionTimerOnVoteLost).
    becomeFollower(state, ctx, state.term, null, pre || ctx.config.resetElectionTimerOnVoteLost);
  }
}

/**
 * CheckQuorum (etcd MsgCheckQuorum, every election timeout): a leader that has not heard from a
 * quorum since the last check steps down, so a leader in a minority stops leading.
 */
export function checkQuorum(state: MutableState, ctx: RaftContext): void {
  if (state.role !== 'leader') return;
  // etcd QuorumActive: a majority of each configuration in force (the leader counting for itself) was heard from.
  if (jointValue(state.progress, activeOf, 1, selfVotes(state, ctx)) < 1) {
    let active = 1;
    for (const progress of state.progress) if (progress.recentActive) active++;
    ctx.annotate(`${ctx.self} hears from ${active} of ${state.progress.length + 1}: no quorum, stepping down`);
    becomeFollower(state, ctx, state.term, null);
    return;
  }
  for (const progress of state.progress) progress.recentActive = false;
  ctx.setTimer('checkQuorum', ctx.config.electionTimeoutMicros);
}

const activeOf = (progress: Progress): number => (progress.recentActive ? 1 : 0);
