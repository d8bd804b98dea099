import type { Draft, NodeContext, NodeId, Outcome } from '@dsim/core';
import type { Ballot } from '../ballot.ts';
import type { MultiPaxosBug } from '../bugs.ts';
import type { KvOp, KvResult } from '@dsim/services';
import type { MultiPaxosConfig } from './config.ts';
import type { Command, MultiPaxosMessage, SlotProposal } from './messages.ts';
import type { SlotMap } from './slots.ts';

/**
 * Timers: `election` (the failure detector: no word from a leader in time, run phase 1; also a
 * candidate's retry) and `heartbeat` (the leader's heartbeat and retransmission interval).
 */
export const timers = ['election', 'heartbeat'] as const;
export type MultiPaxosTimer = (typeof timers)[number];

export type MultiPaxosContext = NodeContext<
  MultiPaxosMessage,
  KvResult,
  MultiPaxosConfig,
  MultiPaxosTimer,
  MultiPaxosBug
>;

export type MultiPaxosRole = 'follower' | 'candidate' | 'leader';

/** The last applied request of a client session and its outcome, replayed for a duplicate. */
export interface Session {
  readonly seq: number;
  readonly outcome: Outcome<KvResult>;
}

/** A slot this leader has in phase 2. */
export interface InFlight {
  readonly command: Command;
  acks: NodeId[];
  /** Local time of the last Accept sent for it, for retransmission. */
  sentAt: number;
}

/** A replica: acceptor, learner and (when it leads) the distinguished proposer. */
export interface MultiPaxosState {
  // Acceptor (stable storage, synced before replies).
  /** One promise for every slot ("Paxos Made Simple" §3: phase 1 once for all instances). */
  promised: Ballot | null;
  /** What it accepted, by slot. */
  accepted: SlotMap<SlotProposal>;
  /** The highest slot it accepted anything in (0: none). */
  highestAcceptedSlot: number;
  /** The ballot of this incarnation's latest acceptance and how many it made (for the promise-kept check). */
  lastAcceptedBallot: Ballot | null;
  acceptCount: number;
  /** The highest round this node used as a proposer (stable: a restart never reuses a ballot). */
  round: number;

  // Learner.
  /** Chosen commands by slot (stable storage: a restart replays them). */
  chosen: SlotMap<Command>;
  /** Every slot up to here is chosen. */
  commitIndex: number;
  appliedIndex: number;
  /** Slots this incarnation learned, and the slots learned in the current step (what the agreement check reads, incrementally). */
  learnedCount: number;
  learnedThisStep: number[];
  /** The replicated key-value map, and the client sessions. */
  kv: Record<string, string>;
  sessions: Record<string, Session>;
  /** The highest commit index a leader told this node. */
  leaderCommit: number;
  /** Local time of the last catch-up request. */
  catchUpAt: number;

  // Roles.
  role: MultiPaxosRole;
  /** The leader this node follows (the holder of the ballot it last heard from), if any. */
  leader: NodeId | null;
  /** This node's ballot as candidate or leader. */
  ballot: Ballot | null;
  highestRoundSeen: number;
  promises: NodeId[];
  /** The highest-ballot proposal the promises reported, by slot. */
  reported: Record<number, SlotProposal>;
  /** Phase 1 covers every slot from here on: the first slot this node does not know is chosen. */
  fromSlot: number;

  // Leader.
  nextSlot: number;
  inFlight: Record<number, InFlight>;
  /** The client request waiting on a slot this leader proposed. */
  pending: Record<number, string>;

  // What scenarios set out to reach (counted since the last restart).
  recoveredSlots: number;
  noopFills: number;
  nacks: number;
}

export type MutableMultiPaxosState = Draft<MultiPaxosState>;

export type { Command, KvOp };
