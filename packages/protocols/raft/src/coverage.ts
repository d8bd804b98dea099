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
  ],
  states: {
    leaderWithOlderTermTail: (state) =>
      state.role === 'leader' &&
      state.log.some((entry, i) => state.snapshotIndex + 1 + i > state.commitIndex && entry.term < state.term),
    followerUncommittedTail: (state) => state.role === 'follower' && lastIndex(state) > state.commitIndex,
    compactedLog: (state) => state.snapshotIndex > 0,
    transferringLeadership: (state) => state.transferee !== null,
    readsWaitingForQuorum: (state) => state.pendingReads.length > 0,
  },
};
