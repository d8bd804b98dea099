import type { ProtocolCoverage } from '@dsim/core';
import { lastIndex, type RaftState } from './state.ts';

/**
 * What a Raft sweep should reach: every role and message kind, and the states the bug switches
 * need (Ongaro & Ousterhout §5.4.2: a leader holding uncommitted entries of an older term is
 * Figure 8's precondition; a follower's uncommitted tail is what a new leader may truncate).
 */
export const coverage: ProtocolCoverage<RaftState> = {
  roles: ['follower', 'precandidate', 'candidate', 'leader'],
  messages: [
    'RequestVote',
    'VoteResponse',
    'AppendEntries',
    'AppendEntriesResponse',
    'Heartbeat',
    'HeartbeatResponse',
    'InstallSnapshot',
    'TimeoutNow',
    'StorageAppendResponse',
  ],
  states: {
    leaderWithOlderTermTail: (state) => state.role === 'leader' && olderTermTail(state),
    followerUncommittedTail: (state) => state.role === 'follower' && lastIndex(state) > state.commitIndex,
    compactedLog: (state) => state.snapshotIndex > 0,
    transferringLeadership: (state) => state.transferee !== null,
    readsWaitingForQuorum: (state) => state.pendingReads.length > 0,
  },
};

/** An uncommitted entry of an older term in a leader's log; walks only the uncommitted tail, newest first. */
function olderTermTail(state: RaftState): boolean {
  const firstUncommitted = Math.max(0, state.commitIndex - state.snapshotIndex);
  for (let i = state.log.length - 1; i >= firstUncommitted; i--) if (state.log[i]!.term < state.term) return true;
  return false;
}
