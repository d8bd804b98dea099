import type { NodeId, TimerName } from '@dsim/core';
import type { MutableState, RaftContext, RaftTimer } from './context.ts';
import {
  becomeFollower,
  checkQuorum,
  handleElectionTimeout,
  handleRequestVote,
  handleVoteResponse,
  inLeaderLease,
  resetElectionTimer,
} from './election.ts';
import type { RaftMessage } from './messages.ts';
import { recover } from './persistence.ts';
import { membershipFromLog } from './membership-state.ts';
import { handleAppendEntriesResponse, handleHeartbeatResponse } from './leader.ts';
import { handleAppendEntries, handleHeartbeat, handleHeartbeatTimer, handleStorageAppended } from './replication.ts';
import { handleInstallSnapshot, restoreRecord } from './snapshot.ts';
import type { RaftState } from './state.ts';
import { handleTimeoutNow, handleTransferTimeout } from './transfer.ts';

/** Builds a node from its durable state: at the first start and after every restart (paper Figure 2). */
export function init(ctx: RaftContext): RaftState {
  const recovered = recover(ctx.storage);
  const snapshot = recovered.snapshot;
  const snapshotIndex = snapshot?.index ?? 0;
  const now = ctx.now();
  const inForce = membershipFromLog({ log: recovered.entries, snapshotIndex }, snapshot, ctx);
  const state: RaftState = {
    term: recovered.hardState.term,
    // The bug forgets the vote but keeps the term: the node can vote again in the same term.
    vote: ctx.bugs.has('forgetVoteOnRestart') ? null : recovered.hardState.vote,
    log: recovered.entries,
    snapshotIndex,
    snapshotTerm: snapshot?.term ?? 0,
    // What storage gave back is on disk: the whole log is stable.
    unstableOffset: snapshotIndex + recovered.entries.length + 1,
    membership: inForce.membership,
    membershipIndex: inForce.index,
    role: 'follower',
    leader: null,
    // Commit and apply state are volatile (paper Figure 2): the snapshot is known committed.
    commitIndex: snapshotIndex,
    appliedIndex: snapshotIndex,
    kv: snapshot ? restoreRecord(snapshot.kv) : {},
    sessions: snapshot
      ? restoreRecord(snapshot.sessions.map(([client, session]) => [client, { ...session }] as const))
      : {},
    leaderContactAt: now,
    // A node that ever held a term may have acknowledged a leader's heartbeat just before it
    // crashed; with CheckQuorum it waits out one election timeout before voting (see inLeaderLease).
    // A node that never held a term acknowledged nothing.
    votesBlockedUntil:
      ctx.config.checkQuorum && recovered.hardState.term > 0 ? now + ctx.config.electionTimeoutMicros : now,
    votedAt: null,
    campaignStartedAt: null,
    campaignByTransfer: false,
    votesGranted: [],
    votesRejected: [],
    progress: [],
    pendingWrites: [],
    pendingReads: [],
    readContext: 0,
    transferee: null,
    leaseFloor: now,
    heartbeatSentAt: null,
  };
  resetElectionTimer(ctx);
  return state;
}

/**
 * etcd raft.Step: the term rules every message passes before its handler (paper §5.1), then the
 * handler. The replication messages of the current term come first: nearly every message is one.
 */
export function step(state: MutableState, ctx: RaftContext, from: NodeId, msg: RaftMessage): void {
  const { type, term } = msg;
  // A node's note from its own disk passes no term rule: a write is durable whatever the term now.
  if (term !== state.term && type !== 'StorageAppendResponse' && !passesTermRules(state, ctx, from, msg)) return;
  switch (type) {
    case 'AppendEntriesResponse':
      if (state.role === 'leader') handleAppendEntriesResponse(state, ctx, from, msg);
      return;
    case 'AppendEntries':
    case 'Heartbeat':
    case 'InstallSnapshot':
      if (!followLeader(state, ctx, from, msg)) return;
      if (type === 'AppendEntries') return handleAppendEntries(state, ctx, from, msg);
      if (type === 'Heartbeat') return handleHeartbeat(state, ctx, from, msg);
      return handleInstallSnapshot(state, ctx, from, msg);
    case 'HeartbeatResponse':
      if (state.role === 'leader') handleHeartbeatResponse(state, ctx, from, msg);
      return;
    case 'StorageAppendResponse':
      if (from === ctx.self) handleStorageAppended(state, ctx, msg);
      return;
    case 'RequestVote':
      return handleRequestVote(state, ctx, from, msg);
    case 'VoteResponse':
      return handleVoteResponse(state, ctx, from, msg);
    case 'TimeoutNow':
      return handleTimeoutNow(state, ctx);
  }
}

/**
 * The term rules for a message from another term (paper §5.1: a higher term makes us a follower; a
 * lower term is stale), with PreVote's and CheckQuorum's exceptions. True when the message goes on
 * to its handler.
 */
function passesTermRules(state: MutableState, ctx: RaftContext, from: NodeId, msg: RaftMessage): boolean {
  if (msg.term > state.term) {
    if (msg.type === 'RequestVote' && !msg.transfer && inLeaderLease(state, ctx)) {
      // CheckQuorum's vote lease: we hear from a live leader, so ignore the campaign entirely.
      return false;
    }
    if (msg.type === 'RequestVote' && msg.preVote) {
      // A pre-vote never changes our term.
    } else if (msg.type === 'VoteResponse' && msg.preVote && msg.granted) {
      // A granted pre-vote carries the future term we asked about; it is ours only after we campaign.
    } else {
      const fromLeader = msg.type === 'AppendEntries' || msg.type === 'Heartbeat' || msg.type === 'InstallSnapshot';
      // A leader's message restarts the timer in its handler anyway; a vote refused below does
      // not under the paper's rule (see RaftConfig.resetElectionTimerOnHigherTerm).
      becomeFollower(state, ctx, msg.term, fromLeader ? from : null, ctx.config.resetElectionTimerOnHigherTerm);
    }
    return true;
  }
  if (msg.type === 'AppendEntries' || msg.type === 'Heartbeat' || msg.type === 'InstallSnapshot') {
    // Paper Figure 2: reply with our term so a stale leader steps down (etcd does the same
    // when CheckQuorum or PreVote is on, so a node stranded at a higher term can rejoin).
    ctx.send(from, {
      type: 'AppendEntriesResponse',
      term: state.term,
      index: 0,
      reject: true,
      hintIndex: 0,
      hintTerm: 0,
    });
  } else if (msg.type === 'RequestVote' && msg.preVote) {
    ctx.send(from, { type: 'VoteResponse', term: state.term, preVote: true, granted: false });
  }
  return false;
}

/**
 * A message from the leader of our term (paper Figure 2, Followers: "if AppendEntries RPC received
 * from new leader: convert to follower"): it is our leader now, and its contact restarts the
 * election timer. False when we lead this term ourselves.
 */
function followLeader(state: MutableState, ctx: RaftContext, from: NodeId, msg: RaftMessage): boolean {
  if (state.role === 'leader') {
    // Two leaders in one term: Election Safety is broken (only a bug switch can do that).
    ctx.annotate(`${ctx.self} (leader of term ${state.term}) got ${msg.type} from ${from} in the same term`);
    return false;
  }
  if (state.role !== 'follower') becomeFollower(state, ctx, msg.term, from);
  state.leader = from;
  state.leaderContactAt = ctx.now();
  resetElectionTimer(ctx);
  return true;
}

export function onTimer(state: MutableState, ctx: RaftContext, timer: TimerName<RaftTimer>): void {
  switch (timer) {
    case 'election':
      return handleElectionTimeout(state, ctx);
    case 'heartbeat':
      return handleHeartbeatTimer(state, ctx);
    case 'checkQuorum':
      return checkQuorum(state, ctx);
    case 'transfer':
      return handleTransferTimeout(state, ctx);
    default:
      throw new Error(`unknown timer '${timer}'`);
  }
}
