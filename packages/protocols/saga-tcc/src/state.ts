import type { Micros, NodeId, Operation } from '@dsim/core';
import type { BranchReason, TxnMessage, Write } from './messages.ts';

export type TxnProtocolName = 'tcc' | 'saga';

/** Global transaction keys are strings like 'g7', never '7' (integer-like keys iterate in numeric order). */
export type GidKey = `g${number}`;

export function gidKey(gid: number): GidKey {
  return `g${gid}`;
}

/** Storage key of a global transaction's log record, zero-padded so the sorted key order is the gid order. */
export function globalLogKey(gid: number): string {
  return `global/${String(gid).padStart(9, '0')}`;
}

/** What a participant did, as the compensation checker reads it (@dsim/check checkCompensation). */
export interface BranchEffect {
  readonly gid: number;
  readonly action: 'try' | 'confirm' | 'cancel' | 'execute' | 'compensate';
  /** Saga step; undefined for TCC. */
  readonly step?: number;
  readonly outcome: 'ok' | 'fail';
  /** Whether the business data changed. */
  readonly changed: boolean;
  readonly reason: BranchReason;
  /** Saga steps on a shared resource: what was read or written, and a concurrent change a `set` overwrote. */
  readonly access?: {
    readonly account: string;
    readonly kind: 'read' | 'write';
    readonly value: number;
    readonly overwritten?: number;
  };
}

/**
 * A branch as the participant sees it, for the view and the invariants. TCC branches are keyed by
 * gid; saga steps by `gid.step`. `empty-rolled-back` and `suspended` are the barrier's two
 * defences made visible.
 */
export type BranchStatus =
  'tried' | 'confirmed' | 'cancelled' | 'empty-rolled-back' | 'suspended' | 'executed' | 'compensated' | 'failed';

export interface Branch {
  readonly gid: number;
  readonly step?: number;
  readonly writes: readonly Write[];
  status: BranchStatus;
  /** Local time the status was set, for the view. */
  since: Micros;
}

export interface OutboxEntry {
  readonly to: NodeId;
  readonly msg: TxnMessage;
  attempts: number;
}

export interface ParticipantState {
  readonly role: 'participant';
  readonly protocol: TxnProtocolName;
  readonly boot: number;
  balances: Record<string, number>;
  /** TCC: amounts reserved by Try and not yet confirmed or cancelled. */
  frozen: Record<string, number>;
  /** Branches whose barrier rows are still kept. */
  branches: Record<string, Branch>;
  /** Barrier rows (DTM's `barrier` table): 'g3|try', 'g3|cancel', 'g4.2|action', ... */
  barrier: Record<string, true>;
  /** Saga semantic locks (countermeasure `semantic-lock`): account → the gid whose write is pending. */
  semanticLocks: Record<string, number>;
  /** Choreographed saga: events published and not yet acknowledged, by event name ('g3.1.do'). Durable. */
  outbox: Record<string, OutboxEntry>;
  /** Everything this incarnation did, in order: read by the invariants through a run memory. */
  effects: BranchEffect[];
  emptyRollbacks: number;
  suspendedTries: number;
  duplicates: number;
  fencesCleaned: number;
}

// ------------------------------------------------------------------ coordinator

export type TccPhase = 'trying' | 'confirming' | 'cancelling' | 'confirmed' | 'cancelled';

export interface TccBranchPlan {
  readonly participant: NodeId;
  readonly writes: readonly Write[];
}

/** Why a TCC transaction rolled back, or how it committed. */
export type TccHow = 'all-tried' | 'try-failed' | 'timeout' | 'recovery';

export interface TccGlobal {
  readonly gid: number;
  readonly branches: readonly TccBranchPlan[];
  phase: TccPhase;
  how: TccHow | null;
  /** Participants whose Try succeeded (trying), or who acknowledged phase 2. */
  done: NodeId[];
  retries: number;
  request: string | null;
}

export type SagaPhase = 'running' | 'compensating' | 'succeeded' | 'compensated';
export type StepStatus = 'pending' | 'ok' | 'failed' | 'unknown';

export interface SagaStep {
  readonly participant: NodeId;
  readonly write: Write;
}

export interface SagaGlobal {
  readonly gid: number;
  readonly steps: readonly SagaStep[];
  phase: SagaPhase;
  /** The step running (forward) or being compensated (backward). */
  current: number;
  status: StepStatus[];
  compensated: boolean[];
  attempts: number;
  request: string | null;
  /** Values this saga's `read` steps saw, by account. */
  reads: Record<string, number>;
}

/** The coordinator's log of a global transaction, forced at every transition (SPECS §2.3: the TC's global session store). */
export type GlobalLogRecord =
  | {
      readonly kind: 'tcc';
      readonly gid: number;
      readonly branches: readonly TccBranchPlan[];
      readonly phase: TccPhase;
      readonly how: TccHow | null;
    }
  | {
      readonly kind: 'saga';
      readonly gid: number;
      readonly steps: readonly SagaStep[];
      readonly phase: SagaPhase;
      readonly status: readonly StepStatus[];
      readonly compensated: readonly boolean[];
    };

export interface GlobalOutcome {
  readonly gid: number;
  readonly outcome: 'confirmed' | 'cancelled' | 'succeeded' | 'compensated';
  readonly participants: readonly NodeId[];
}

export interface CoordinatorState {
  readonly role: 'coordinator';
  readonly protocol: TxnProtocolName;
  readonly boot: number;
  nextGid: number;
  tcc: Record<GidKey, TccGlobal>;
  saga: Record<GidKey, SagaGlobal>;
  /** Transactions that ended in this incarnation (and, after a restart, those the log says ended): read by the invariants. */
  ended: GlobalOutcome[];
  committed: number;
  aborted: number;
  phaseTwoRetries: number;
  compensationsRun: number;
}

export type TxnState = CoordinatorState | ParticipantState;

// ------------------------------------------------------------------ clients

/**
 * A transfer, as in @dsim/commit: debit `from` by amount + fee, credit `to` by amount and `feeTo` by
 * fee. Or an explicit list of `steps` (a saga's steps in order; for TCC grouped by participant).
 */
export interface TransferValue {
  readonly from?: string;
  readonly to?: string;
  readonly amount?: number;
  readonly fee?: number;
  readonly feeTo?: string;
  readonly steps?: readonly Write[];
}

export interface TransferOp extends Operation {
  readonly f: 'transfer';
  readonly value: TransferValue;
}

export interface TransferResult {
  readonly gid: number;
}
