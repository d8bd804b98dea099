import type { BugSwitch } from '@dsim/core';

/** Named ways to break Raft on purpose, each removing one rule from the paper or etcd. */
export const bugs = {
  countLeaderBeforeDurable: {
    description:
      "The leader counts its own copy of an entry toward the commit quorum as soon as it appends it, before its own disk write completes (dissertation §10.2.1 and etcd's MsgStorageAppendResp: the leader may replicate in parallel with its write, but counts itself only once the write is durable).",
    breaks:
      "With a slow disk the leader and one follower's durable copy commit an entry that only the follower holds durably; the leader crashes, losing its unsynced write, and a node without the entry wins the next election with the restarted leader's vote and overwrites it. 'state-machine-safety' catches the committed entry lost (and 'leader-completeness', 'linearizable-kv').",
  },
  commitPriorTermByCount: {
    description:
      'The leader commits the highest index stored on a quorum even when that entry is from an earlier term (drops the "log[N].term == currentTerm" condition of paper §5.4.2 and etcd raftLog.maybeCommit).',
    breaks:
      "Figure 8: an old-term entry counted as committed can still be overwritten by a server whose last term is higher, after a server applied it. 'state-machine-safety' catches it (and 'leader-completeness', since the new leader lacks an entry that was committed).",
  },
  forgetVoteOnRestart: {
    description:
      'After a restart the node restores its term but not its vote (votedFor is not read back from durable storage; paper Figure 2 makes it persistent).',
    breaks:
      "A node votes, crashes, restarts and votes for someone else in the same term: two leaders in one term. 'election-safety' catches it.",
  },
  forgetTermOnRestart: {
    description:
      'A term learned from a message is not written to durable storage (paper Figure 2 makes currentTerm persistent); only terms the node starts or votes in are.',
    breaks:
      "A follower that learned a leader's term from its heartbeats restarts in an older term, and can vote or campaign in terms it had already moved past. 'durable-term-and-vote' catches the term going back.",
  },
  skipLogUpToDateCheck: {
    description:
      "Voters grant votes without checking that the candidate's log is at least as up to date as theirs (paper §5.4.1 election restriction).",
    breaks:
      "A candidate missing committed entries can win and overwrite them. 'leader-completeness' catches it, then 'state-machine-safety' and linearizability.",
  },
  readFromFollowerLocal: {
    description:
      'Followers answer gets from their own state machine instead of redirecting to the leader (skips ReadIndex, dissertation §6.4).',
    breaks:
      "A lagging or partitioned follower returns values older than writes that already completed: stale reads. 'linearizable-kv' catches it.",
  },
  leaseReadIgnoresClockDrift: {
    description:
      'Lease reads last a full election timeout after the acknowledged heartbeat was sent, with no allowance for clock drift (dissertation §6.4.1 bounds the lease by the drift bound; here leaseClockBoundMicros is ignored).',
    breaks:
      "Safe only with perfect clocks: when the leader's clock runs slow or jumps back, or a follower's runs fast, a new leader is elected while the old one still serves reads from its lease. 'linearizable-kv' catches the stale read.",
  },
  noProbeOnHeartbeat: {
    description:
      "In replicate mode the leader answers a heartbeat response from a follower that lags only with new entries, never with an empty AppendEntries (drops etcd's sendAppend on MsgHeartbeatResp, which probes whether the follower holds what was sent).",
    breaks:
      "An AppendEntries lost while the leader is idle is never resent: the follower stays behind until the next client write. 'progress-after-heal' catches it ('n3 applied 1 of 2').",
  },
  leaderOutsideVoteLease: {
    description:
      "With CheckQuorum on, the leader leaves itself out of the vote lease: it grants pre-votes and votes of a higher term instead of ignoring them (drops the leader's case of etcd's inLease check in Step for MsgVote and MsgPreVote).",
    breaks:
      'A follower behind one lossy link misses heartbeats, campaigns, and wins with the vote of the very leader it cannot hear: the leader, though a quorum hears it, is deposed again and again. The lossy-link scenario in repairs.test.ts counts the leadership changes.',
  },
  applyDuplicateTwice: {
    description:
      "The state machine applies every committed entry, even one whose client session already applied that sequence number (drops the duplicate check of the dissertation's §6.3 client sessions).",
    breaks:
      "A client that retries a write after a timeout, with the same sequence number, has it applied twice when both attempts reached the log: an append shows up twice. 'linearizable-kv' catches it, since the attempts of one write are one operation.",
  },
  noTimerResetOnVote: {
    description:
      "A node that grants its vote does not restart its election timer (drops the paper's Figure 2 rule for followers: the timeout counts from the last heartbeat or granted vote).",
    breaks:
      "The voter may campaign moments after voting, before the candidate it chose had a full timeout to win and be heard: needless elections. 'vote-restarts-election-timer' catches the campaign that starts sooner than one election timeout after the vote.",
  },
  leaseFromAckArrival: {
    description:
      "The leader times its lease from the moment a heartbeat's acknowledgement arrives instead of from the heartbeat's send (dissertation §6.4.1 starts the lease at the send).",
    breaks:
      "The lease outlasts the followers' vote leases by up to a round trip, so a new leader can be elected while the old one still serves lease reads. 'lease-timed-from-send' catches an acknowledgement dated after the leader's latest heartbeat.",
  },
  concurrentConfChanges: {
    description:
      'The leader proposes a configuration change while an earlier one is still uncommitted (drops the one-change-at-a-time rule of the dissertation §4.1; etcd refuses a ConfChange while one is pending).',
    breaks:
      "Servers then hold different configurations at once, e.g. {n1,n2,n3}, {n1..n4} and {n1..n5}, and a majority of the oldest ({n1,n2}) and one of the newest ({n3,n4,n5}) share no server: two leaders in one term. 'one-uncommitted-conf-change' catches the second change, 'election-safety' the two leaders.",
  },
  noNoopBeforeConfChange: {
    description:
      "A new leader proposes a configuration change before it has committed an entry of its own term (drops the fix Ongaro posted to raft-dev in 2015: wait for the leader's no-op to commit).",
    breaks:
      "A change left uncommitted by a deposed leader and the new leader's own change can each be decided by majorities that do not overlap, so two leaders are elected in one term. 'conf-change-after-own-term-commit' catches the early proposal.",
  },
  uncommittedRemovalStopsCampaigns: {
    description:
      "A voter whose newest configuration entry removes it stops campaigning before that entry commits (etcd's promotable read against the newest, uncommitted configuration; drops the dissertation §4.2.2 rule that such a server still starts elections, as it may still be needed until C_new commits).",
    breaks:
      "A leader of two voters that appended its own removal and lost leadership before the entry committed holds the longest log: it refuses the other voter's votes and never campaigns itself, so no leader is elected again. 'leader-after-heal' catches it.",
  },
} satisfies Record<string, BugSwitch>;

export type RaftBug = keyof typeof bugs;
