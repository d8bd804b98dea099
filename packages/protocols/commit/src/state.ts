import type { Micros, NodeId, Operation } from '@dsim/core';
import type { Transfer } from '@dsim/services';
import type { CommitMessage, Decision, SiteState, Vote, Write } from './messages.ts';

export type CommitProtocolName = '2pc' | '3pc';

/** Transaction keys are strings like 'tx7', never '7': objects keyed by integer-like strings iterate in numeric, not insertion, order. */
export type TxKey = `tx${number}`;

export function txKey(tx: number): TxKey {
  return `tx${tx}`;
}

/** Storage key of a transaction's log record, zero-padded so the sorted key order is the transaction order. */
export function logKey(tx: number): string {
  return `tx/${String(tx).padStart(9, '0')}`;
}

/** How a site came to its decision: shown in traces, and read by the `sometimes` invariants. */
export type DecisionSource =
  | 'votes' // coordinator: every vote in (2PC) or every ACK in (3PC)
  | 'vote-no' // coordinator: a participant voted NO
  | 'vote-timeout' // coordinator in WAIT timed out
  | 'ack-timeout' // 3PC coordinator in PRECOMMIT timed out
  | 'presumed-abort' // coordinator recovered with no decision record
  | 'unilateral' // participant voted NO, or aborted a transaction it had not voted on
  | 'coordinator' // participant applied the coordinator's decision
  | 'peer' // learned from another site's report or decision (cooperative termination, TR1/TR2)
  | 'TR3' // backup coordinator: everyone reachable uncertain
  | 'TR4' // backup coordinator: someone committable
  | 'default-action' // simplified 3PC: timeout in UNCERTAIN aborts, in COMMITTABLE commits
  | 'bug'; // a bug switch decided

/** A decision as the invariants see it. Kept for the whole run: a decision, once made, is remembered. */
export interface DecisionRecord {
  readonly tx: number;
  readonly decision: Decision;
  readonly how: DecisionSource;
  readonly participants: readonly NodeId[];
  /** A participant's vote ('none' if it never voted); undefined at the coordinator. */
  readonly vote?: Vote | 'none';
}

/** A message waiting its turn in a fan-out (see `fanoutGapMicros`). */
export interface Outgoing {
  readonly to: NodeId;
  readonly msg: CommitMessage;
}

interface SiteBase {
  readonly protocol: CommitProtocolName;
  /** Incarnation: read from storage and incremented at every start. */
  readonly boot: number;
  /** Every decision this site has made, by transaction. Rebuilt from the log after a restart. */
  decisions: Record<TxKey, Decision>;
  /** The same decisions in the order they were made (after a restart: log order), for the invariants. */
  decisionLog: DecisionRecord[];
  fanout: Outgoing[];
}

// ------------------------------------------------------------------ coordinator

export interface CoordinatorTx {
  readonly tx: number;
  readonly participants: readonly NodeId[];
  /** WAIT → (3PC: PRECOMMIT) → DECIDED; the entry is dropped once every participant acknowledged the decision (END). */
  phase: 'wait' | 'precommit' | 'decided';
  decision: Decision | null;
  /** Votes in arrival order. */
  votes: Array<{ readonly from: NodeId; readonly vote: Vote }>;
  /** Who acknowledged PRE-COMMIT (in PRECOMMIT) or the decision (in DECIDED). */
  acks: NodeId[];
  /** The client's request, answered when the decision is made. Lost in a crash: the client then times out (unknown). */
  request: string | null;
  /** Recovered in PRECOMMIT (3PC, Skeen): it must ask, never decide alone. */
  recovered: boolean;
  round: number;
  resends: number;
}

export interface CoordinatorState extends SiteBase {
  readonly role: 'coordinator';
  nextTx: number;
  /** Transactions not yet ended. */
  txs: Record<TxKey, CoordinatorTx>;
  committed: number;
  aborted: number;
}

// ------------------------------------------------------------------ participant

/** A termination round in progress: the reports collected so far. */
export interface TerminationRound {
  readonly number: number;
  reports: Array<{ readonly from: NodeId; readonly state: SiteState; readonly recovered: boolean }>;
}

export interface ParticipantTx {
  readonly tx: number;
  readonly coordinator: NodeId;
  readonly participants: readonly NodeId[];
  readonly writes: readonly Write[];
  /** Voted YES: UNCERTAIN (2PC's READY); 3PC after PRE-COMMIT: COMMITTABLE. */
  phase: 'uncertain' | 'committable';
  /** Restarted after voting: under Skeen's rules it asks, it never acts as backup. */
  recovered: boolean;
  /** Local time it started blocking (a termination round that could not decide), or null. */
  blockedSince: Micros | null;
  round: TerminationRound | null;
  roundsRun: number;
  /** Backup coordinator under TR4: participants whose PRE-COMMIT ACK is awaited. */
  backupAwaiting: NodeId[] | null;
}

export interface ParticipantState extends SiteBase {
  readonly role: 'participant';
  /** Committed balances of this participant's accounts ('p1/a0' → 100). */
  balances: Record<string, number>;
  /** Account → transaction holding its exclusive lock, from prepare to decision (strict 2PL). */
  locks: Record<string, number>;
  /** Transactions voted YES and not yet decided. */
  txs: Record<TxKey, ParticipantTx>;
  /** Total microseconds (local clock) spent blocked in finished episodes. */
  blockedMicros: number;
  blockedEpisodes: number;
  terminationRounds: number;
  /** Decisions this site made as a backup coordinator (TR3/TR4). */
  backupDecisions: number;
  committed: number;
  aborted: number;
}

export type CommitState = CoordinatorState | ParticipantState;

// ------------------------------------------------------------------ clients

/** A transfer: debit `from` by amount + fee, credit `to` by amount, credit `feeTo` by fee. */
export type TransferValue = Transfer;

export interface TransferOp extends Operation {
  readonly f: 'transfer';
  readonly value: TransferValue;
}

export interface TransferResult {
  readonly tx: number;
}

// ------------------------------------------------------------------ durable log records

/** The coordinator's log record of a transaction, under `tx/000000007`. */
export interface CoordinatorLogRecord {
  readonly tx: number;
  readonly participants: readonly NodeId[];
  /** 'wait' is the begin record; 'precommit' (3PC) is forced before the first PRE-COMMIT; the decision is forced before it is sent. */
  readonly status: 'wait' | 'precommit' | 'committed' | 'aborted';
  readonly how?: DecisionSource;
  /** Every participant acknowledged the decision (Gray's END record): stop resending. */
  readonly ended?: boolean;
}

/** A participant's log record of a transaction, under `tx/000000007`. */
export interface ParticipantLogRecord {
  readonly tx: number;
  readonly coordinator: NodeId;
  readonly participants: readonly NodeId[];
  readonly writes: readonly Write[];
  /** 'prepared' is forced before the YES vote leaves; 'committable' (3PC) before the PRE-COMMIT ACK. */
  readonly status: 'prepared' | 'committable' | 'committed' | 'aborted';
  readonly vote: Vote | 'none';
  readonly how?: DecisionSource;
}
