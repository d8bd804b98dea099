import type { NodeId, Outcome } from '@dsim/core';
import type { Entry, KvResult } from './entry.ts';
import { describeMembership, type Membership } from './membership.ts';
import type { Progress } from './tracker.ts';

export type { Entry, KvOp, KvResult } from './entry.ts';
export type { Progress } from './tracker.ts';
export { entryAt, lastIndex, lastTerm, termAt } from './log.ts';

export type Role = 'follower' | 'precandidate' | 'candidate' | 'leader';

/** The last applied request of a client session and its outcome, replayed for a duplicate. */
export interface Session {
  readonly seq: number;
  readonly outcome: Outcome<KvResult>;
}

/**
 * A snapshot of the state machine at `index` (paper §7). Pairs sorted by key, not objects, so its
 * order never depends on what the keys look like.
 */
export interface SnapshotData {
  readonly index: number;
  readonly term: number;
  readonly kv: ReadonlyArray<readonly [string, string]>;
  readonly sessions: ReadonlyArray<readonly [string, Session]>;
  /**
   * The configuration in force at `index`, with the index of the entry that made it, when a
   * configuration entry has ever applied; absent, it is the scenario's initial configuration.
   */
  readonly membership?: Membership;
  readonly membershipIndex?: number;
}

/** A read waiting to be answered by the leader. */
export interface PendingRead {
  readonly request: string;
  readonly key: string;
  /** The ReadIndex context whose quorum confirmation the read waits for; 0 while the leader has not committed in its term yet. */
  context: number;
  /** The commit index when the read arrived (its read index); -1 until assigned. */
  index: number;
  confirmed: boolean;
}

/** A write this leader proposed and must answer when it applies. */
export interface PendingWrite {
  readonly request: string;
  readonly index: number;
  readonly term: number;
}

export interface RaftState {
  // Persistent (paper Figure 2): written to ctx.storage and synced before dependent messages leave.
  term: number;
  vote: NodeId | null;
  /** Entries after the snapshot: log[i] has index snapshotIndex + 1 + i. */
  log: Entry[];
  snapshotIndex: number;
  snapshotTerm: number;
  /** The first index of the log's unstable tail: written but not yet known durable (log.ts). Volatile. */
  unstableOffset: number;

  /**
   * The configuration in force: the latest one in the log, committed or not (dissertation §4.1),
   * else the snapshot's, else the scenario's initial one; and the index of the entry that set it
   * (0 for the initial one). Derived from the log, so it is rebuilt after a restart or truncation.
   */
  membership: Membership;
  membershipIndex: number;

  // Volatile.
  role: Role;
  leader: NodeId | null;
  commitIndex: number;
  appliedIndex: number;
  /** The replicated key-value map. Read and written by key only, never iterated unsorted. */
  kv: Record<string, string>;
  sessions: Record<string, Session>;
  /** Local clock time of the last message from the current leader (etcd electionElapsed). */
  leaderContactAt: number;
  /** With CheckQuorum, no votes before this local time: one election timeout after a (re)start. */
  votesBlockedUntil: number;
  /**
   * Local time this node last granted its vote to another node, and local time its last
   * (pre-)campaign began, and whether a leadership transfer started it: read by the rule check
   * that a granted vote restarts the election timer (invariants-timing-rules.ts).
   */
  votedAt: number | null;
  campaignStartedAt: number | null;
  campaignByTransfer: boolean;
  /** Votes granted in the current (pre-)campaign, this node included. */
  votesGranted: NodeId[];
  votesRejected: NodeId[];

  // Leader only.
  progress: Progress[];
  pendingWrites: PendingWrite[];
  pendingReads: PendingRead[];
  readContext: number;
  /** Leadership transfer target (etcd leadTransferee). */
  transferee: NodeId | null;
  /** Lease rounds sent at or before this local time do not count (set when TimeoutNow goes out). */
  leaseFloor: number;
  /** Local time of this leader's latest heartbeat round in its term (null before the first): no acknowledgement can date from later. */
  heartbeatSentAt: number | null;
}

/** A short identity of an entry for invariants: term plus what it carries. */
export function entryIdentity(entry: Entry): string {
  return `${entry.term}:${identityKey(entry)}`;
}

/**
 * entryIdentity without the term: `${entry.term}:${identityKey(entry)}` is the identity. For an
 * operation it is the request id itself (the string the entry holds, not a copy), so invariants
 * can remember an entry by it without keeping the entry alive.
 */
export function identityKey(entry: Entry): string {
  if (entry.kind === 'noop') return `noop:${entry.proposer ?? ''}`;
  // The leader's own leave-joint entry answers no client: its proposer and configuration name it.
  if (entry.kind === 'config' && entry.request === undefined)
    return `config:${entry.proposer ?? ''}:${entry.membership ? describeMembership(entry.membership) : ''}`;
  const request = entry.request;
  return typeof request === 'string' ? request : `${request ?? `${entry.client}#${entry.seq}`}`;
}
