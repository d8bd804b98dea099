import type { Draft, NodeContext, NodeId } from '@dsim/core';
import type { Ballot } from '../ballot.ts';
import type { SingleDecreeBug } from '../bugs.ts';
import type { PaxosConfig } from './config.ts';
import type { PaxosMessage, Proposal } from './messages.ts';

/**
 * Timers: `propose` starts a proposer's round (first round, and retries after a back-off),
 * `phaseTimeout` abandons a round that gathers no majority, `learn` makes a learner that knows no
 * value ask its peers.
 */
export const timers = ['propose', 'phaseTimeout', 'learn'] as const;
export type PaxosTimer = (typeof timers)[number];

export type PaxosContext = NodeContext<PaxosMessage, string, PaxosConfig, PaxosTimer, SingleDecreeBug>;

export type ProposerPhase = 'idle' | 'preparing' | 'accepting' | 'backoff' | 'done';

/** A node: proposer, acceptor and learner in one process ("Paxos Made Simple" §2.4). */
export interface PaxosState {
  // Acceptor (stable storage, synced before any reply leaves).
  /** The highest proposal number this acceptor answered a Prepare or Accept for. */
  promised: Ballot | null;
  /** The highest-numbered proposal it accepted. */
  accepted: Proposal | null;

  // Proposer.
  /** The value this node proposes when it has nothing else to propose: its own, or a client's. */
  input: string | null;
  /** The highest round this proposer used (stable storage: a restarted proposer never reuses a number). */
  round: number;
  /** The highest round seen in a NACK or a promise, so the next round jumps past it. */
  highestRoundSeen: number;
  phase: ProposerPhase;
  ballot: Ballot | null;
  /** Acceptors that promised `ballot`, and the highest-numbered accepted proposal they reported. */
  promises: NodeId[];
  highestReported: Proposal | null;
  /** The value sent in phase 2 of `ballot`. */
  value: string | null;
  /** Rounds started since the last (re)start: the back-off grows with it. */
  attempts: number;
  /** NACKs received since the last (re)start. */
  nacks: number;

  // Learner.
  /** The value learned (stable storage: a learner never learns twice). */
  learned: string | null;
  /** Accepted messages heard, by proposal: `${round}.${node}|${value}` → acceptors. */
  tallies: Record<string, NodeId[]>;
  /** Client requests waiting for the chosen value. */
  waiting: string[];
}

export type MutablePaxosState = Draft<PaxosState>;
