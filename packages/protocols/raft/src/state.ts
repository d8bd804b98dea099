import type { NodeId, Outcome } from '@dsim/core';

export type Role = 'follower' | 'precandidate' | 'candidate' | 'leader';

/**
 * The client operations of the replicated key-value store. The semantics match @dsim/check's
 * `kvModel`: get → current string or null; put sets; append concatenates ('' when absent);
 * cas [expected, next] applies only when the current value equals `expected` (null = absent).
 * `transfer` asks the leader to hand leadership to `value` (etcd MsgTransferLeader); it is not a
 * key-value operation and the linearizability check skips it.
 * `seq` (optional) is the client's sequence number for its session; by default the kernel's
 * per-client invocation counter is used.
 */
export type KvOp =
  | { readonly f: 'get'; readonly key: string; readonly seq?: number }
  | { readonly f: 'put'; readonly key: string; readonly value: string; readonly seq?: number }
  | { readonly f: 'append'; readonly key: string; readonly value: string; readonly seq?: number }
  | { readonly f: 'cas'; readonly key: string; readonly value: [string | null, string]; readonly seq?: number }
  | { readonly f: 'transfer'; readonly value: NodeId; readonly key?: undefined; readonly seq?: number };

export type KvResult = string | null | undefined;

/**
 * A log entry. Entries are never changed once created (they may be shared between the sender's
 * log and a receiver's, and between both state modes' snapshots), only appended or truncated.
 */
export interface Entry {
  readonly term: number;
  readonly kind: 'noop' | 'op';
  readonly op?: KvOp;
  /** Session: the client and its sequence number, so a retried request applies once. */
  readonly client?: string;
  readonly seq?: number;
  /** The request id and the node that proposed it: only the proposer answers the client. */
  readonly request?: string;
  readonly proposer?: NodeId;
}

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
}

/** The leader's view of one follower (etcd tracker.Progress). */
export interface Progress {
  readonly id: NodeId;
  /** Next index to send. */
  next: number;
  /** Highest index known to match the leader's log. */
  match: number;
  /**
   * probe: send one AppendEntries, wait for its answer (or a heartbeat answer) before the next;
   * replicate: stream optimistically; snapshot: an InstallSnapshot is on its way.
   */
  mode: 'probe' | 'replicate' | 'snapshot';
  /** In probe mode: a message is in flight, so do not send another until we hear back. */
  paused: boolean;
  /** Heard from since the last CheckQuorum (etcd RecentActive). */
  recentActive: boolean;
  /** Highest ReadIndex context this follower acknowledged. */
  readAck: number;
  /** Leader-local send time of the newest heartbeat this follower acknowledged in this term (lease). */
  ackedSentAt: number | null;
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

export function lastIndex(state: RaftState): number {
  return state.snapshotIndex + state.log.length;
}

export function lastTerm(state: RaftState): number {
  return state.log.length > 0 ? state.log[state.log.length - 1]!.term : state.snapshotTerm;
}

/** The term of the entry at `index`, or undefined when it was compacted away or does not exist. */
export function termAt(state: RaftState, index: number): number | undefined {
  if (index === state.snapshotIndex) return state.snapshotTerm;
  if (index < state.snapshotIndex) return undefined;
  return state.log[index - state.snapshotIndex - 1]?.term;
}

export function entryAt(state: RaftState, index: number): Entry | undefined {
  if (index <= state.snapshotIndex) return undefined;
  return state.log[index - state.snapshotIndex - 1];
}

export function quorum(clusterSize: number): number {
  return Math.floor(clusterSize / 2) + 1;
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
  const request = entry.request;
  return typeof request === 'string' ? request : `${request ?? `${entry.client}#${entry.seq}`}`;
}
