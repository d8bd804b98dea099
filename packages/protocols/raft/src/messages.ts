import type { NodeId } from '@dsim/core';
import type { Entry, SnapshotData } from './state.ts';

/**
 * Raft's messages, named as in the paper, with etcd's additions: PreVote (a vote flag), the
 * heartbeat as its own message carrying a ReadIndex context (etcd MsgHeartbeat), TimeoutNow for
 * leadership transfer, and InstallSnapshot (etcd MsgSnap).
 */
export type RaftMessage =
  | RequestVote
  | VoteResponse
  | AppendEntries
  | AppendEntriesResponse
  | Heartbeat
  | HeartbeatResponse
  | InstallSnapshot
  | TimeoutNow
  | StorageAppendResponse;

export interface RequestVote {
  readonly type: 'RequestVote';
  /** For a pre-vote: the term the candidate would campaign in (its term + 1); its own term is unchanged. */
  readonly term: number;
  readonly lastIndex: number;
  readonly lastTerm: number;
  readonly preVote: boolean;
  /** A campaign started by TimeoutNow: voters in a leader lease still answer (etcd campaignTransfer). */
  readonly transfer: boolean;
}

export interface VoteResponse {
  readonly type: 'VoteResponse';
  /** A granted vote echoes the request's term; a rejection carries the voter's term. */
  readonly term: number;
  readonly preVote: boolean;
  readonly granted: boolean;
}

export interface AppendEntries {
  readonly type: 'AppendEntries';
  readonly term: number;
  readonly prevIndex: number;
  readonly prevTerm: number;
  readonly entries: readonly Entry[];
  readonly commit: number;
}

export interface AppendEntriesResponse {
  readonly type: 'AppendEntriesResponse';
  readonly term: number;
  /** Accepted: the last index now known to match. Rejected: the prevIndex that did not match. */
  readonly index: number;
  readonly reject: boolean;
  /** Fast backtracking (etcd findConflictByTerm): the follower's best guess at the last matching index... */
  readonly hintIndex: number;
  /** ...and its term there (0 when unknown). */
  readonly hintTerm: number;
}

export interface Heartbeat {
  readonly type: 'Heartbeat';
  readonly term: number;
  /** min(follower's match, leader's commit): never commits what the follower may not hold (etcd sendHeartbeat). */
  readonly commit: number;
  /** The latest ReadIndex context; echoed so the leader knows a quorum still follows it. */
  readonly context: number;
  /** The leader's local clock when sent; echoed so the leader can start a lease from it. */
  readonly sentAt: number;
}

export interface HeartbeatResponse {
  readonly type: 'HeartbeatResponse';
  readonly term: number;
  readonly context: number;
  readonly sentAt: number;
}

export interface InstallSnapshot {
  readonly type: 'InstallSnapshot';
  readonly term: number;
  readonly snapshot: SnapshotData;
}

/**
 * etcd MsgStorageAppendResp: a node's note to itself that its write of the log up to `index`
 * (whose entry has term `logTerm`) is on disk. Sent to itself when it appends entries; the kernel
 * delivers it once the step's sync completes, and only then is that part of the log stable. A
 * leader counts itself toward an entry's quorum only then (dissertation §10.2.1: the leader
 * writes to its disk in parallel with replicating, and commits only what is durable on a
 * majority, itself included).
 */
export interface StorageAppendResponse {
  readonly type: 'StorageAppendResponse';
  readonly term: number;
  readonly index: number;
  readonly logTerm: number;
}

export interface TimeoutNow {
  readonly type: 'TimeoutNow';
  readonly term: number;
}

export function describeMessage(msg: RaftMessage): string {
  switch (msg.type) {
    case 'RequestVote':
      return `${msg.preVote ? 'PreVote' : 'RequestVote'} t=${msg.term} last=${msg.lastIndex}/${msg.lastTerm}${msg.transfer ? ' transfer' : ''}`;
    case 'VoteResponse':
      return `${msg.preVote ? 'PreVoteResponse' : 'VoteResponse'} t=${msg.term} ${msg.granted ? 'granted' : 'rejected'}`;
    case 'AppendEntries':
      return `AppendEntries t=${msg.term} prev=${msg.prevIndex}/${msg.prevTerm} n=${msg.entries.length} commit=${msg.commit}`;
    case 'AppendEntriesResponse':
      return msg.reject
        ? `AppendEntriesResponse t=${msg.term} reject idx=${msg.index} hint=${msg.hintIndex}/${msg.hintTerm}`
        : `AppendEntriesResponse t=${msg.term} ok idx=${msg.index}`;
    case 'Heartbeat':
      return `Heartbeat t=${msg.term} commit=${msg.commit}${msg.context ? ` ctx=${msg.context}` : ''}`;
    case 'HeartbeatResponse':
      return `HeartbeatResponse t=${msg.term}${msg.context ? ` ctx=${msg.context}` : ''}`;
    case 'InstallSnapshot':
      return `InstallSnapshot t=${msg.term} last=${msg.snapshot.index}/${msg.snapshot.term}`;
    case 'TimeoutNow':
      return `TimeoutNow t=${msg.term}`;
    case 'StorageAppendResponse':
      return `StorageAppendResponse t=${msg.term} durable=${msg.index}/${msg.logTerm}`;
  }
}

export type { NodeId };
