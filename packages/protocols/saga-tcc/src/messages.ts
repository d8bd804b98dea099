/**
 * One change to one account: negative debits, positive credits. The same vocabulary as
 * @dsim/commit, plus, for a saga's steps on a shared resource (the isolation anomalies, SPECS §7.1):
 * - `op: 'read'`: read the balance (delta 0); the coordinator keeps the value for later steps;
 * - `op: 'set'`: write back the value this saga read earlier plus `delta` (read-modify-write across
 *   steps, the shape that loses updates); the coordinator fills in `expected`, the value it read.
 * A `read` of an account the saga already read also carries `expected`, for the reread countermeasure.
 */
export interface Write {
  readonly account: string;
  readonly delta: number;
  readonly op?: 'add' | 'read' | 'set';
  readonly expected?: number;
}

/**
 * Why a branch call was answered the way it was, for traces and the view:
 * - `done`: the business code ran;
 * - `duplicate`: the barrier found this operation's row, so the call is a repeat (idempotency);
 * - `empty-rollback`: a Cancel (or saga compensation) found no Try (action) row: nothing to undo;
 * - `suspended`: a Try (action) found that its Cancel (compensation) already ran: refused (anti-hanging);
 * - `insufficient`: the business check failed (Try cannot freeze, a saga debit cannot apply);
 * - `unknown-branch`: a phase-2 call for a branch whose fence rows were cleaned up.
 */
export type BranchReason =
  | 'done'
  | 'duplicate'
  | 'empty-rollback'
  | 'suspended'
  | 'insufficient'
  | 'unknown-branch'
  /** Saga countermeasures: the account carries another saga's semantic lock; a reread found the value changed. */
  | 'locked'
  | 'changed';

/**
 * Messages of both protocols. Every branch call carries the branch's writes, as DTM passes the
 * same payload to Try, Confirm and Cancel: a participant can act on a call even when it never saw
 * the Try, which is exactly what the barrier must guard.
 */
export type TxnMessage =
  // ---- TCC (Seata TCCResourceManager / DTM trans_type_tcc)
  | { readonly type: 'Try'; readonly gid: number; readonly writes: readonly Write[] }
  | { readonly type: 'TryResult'; readonly gid: number; readonly ok: boolean; readonly reason: BranchReason }
  | { readonly type: 'Confirm'; readonly gid: number; readonly writes: readonly Write[] }
  | { readonly type: 'Cancel'; readonly gid: number; readonly writes: readonly Write[] }
  | {
      readonly type: 'PhaseTwoAck';
      readonly gid: number;
      readonly op: 'confirm' | 'cancel';
      readonly reason: BranchReason;
    }
  // ---- Saga (DTM trans_type_saga: one action and one compensation per step)
  | { readonly type: 'Action'; readonly gid: number; readonly step: number; readonly write: Write }
  | {
      readonly type: 'ActionResult';
      readonly gid: number;
      readonly step: number;
      readonly ok: boolean;
      readonly reason: BranchReason;
      /** The balance a `read` step saw. */
      readonly value?: number;
    }
  /**
   * Choreographed saga (config `style: 'choreographed'`): each participant, having run its step,
   * publishes the next event itself: `do` the next step, or `undo` the previous one after a failure;
   * the last hop tells the entry node the saga `ended`. Events are retried until acknowledged.
   */
  | {
      readonly type: 'SagaEvent';
      readonly gid: number;
      readonly kind: 'do' | 'undo';
      readonly step: number;
      readonly steps: readonly { readonly participant: string; readonly write: Write }[];
    }
  | { readonly type: 'SagaEnded'; readonly gid: number; readonly outcome: 'succeeded' | 'compensated' }
  | { readonly type: 'EventAck'; readonly gid: number; readonly event: string }
  /** The saga ended: drop its semantic locks (Richardson's *_PENDING flag cleared). */
  | { readonly type: 'Release'; readonly gid: number }
  | { readonly type: 'Compensate'; readonly gid: number; readonly step: number; readonly write: Write }
  | { readonly type: 'CompensateAck'; readonly gid: number; readonly step: number; readonly reason: BranchReason };

const writeText = (write: Write) =>
  write.op === 'read'
    ? `read ${write.account}${write.expected !== undefined ? `==${write.expected}` : ''}`
    : write.op === 'set'
      ? `set ${write.account}=${write.expected ?? '?'}${write.delta >= 0 ? '+' : ''}${write.delta}`
      : `${write.account}${write.delta >= 0 ? '+' : ''}${write.delta}`;
const writesText = (writes: readonly Write[]) => writes.map(writeText).join(' ');

/** One line per message for traces: 'Try g=3 p1/a0-11'. */
export function describeMessage(msg: TxnMessage): string {
  switch (msg.type) {
    case 'Try':
    case 'Confirm':
    case 'Cancel':
      return `${msg.type} g=${msg.gid} ${writesText(msg.writes)}`;
    case 'TryResult':
      return `TryResult g=${msg.gid} ${msg.ok ? 'ok' : 'fail'} (${msg.reason})`;
    case 'PhaseTwoAck':
      return `Ack g=${msg.gid} ${msg.op} (${msg.reason})`;
    case 'Action':
    case 'Compensate':
      return `${msg.type} g=${msg.gid} step=${msg.step} ${writesText([msg.write])}`;
    case 'ActionResult':
      return `ActionResult g=${msg.gid} step=${msg.step} ${msg.ok ? 'ok' : 'fail'} (${msg.reason})${msg.value !== undefined ? ` value=${msg.value}` : ''}`;
    case 'Release':
      return `Release g=${msg.gid}`;
    case 'SagaEvent':
      return `SagaEvent g=${msg.gid} ${msg.kind} step=${msg.step} ${writeText(msg.steps[msg.step]!.write)}`;
    case 'SagaEnded':
      return `SagaEnded g=${msg.gid} ${msg.outcome}`;
    case 'EventAck':
      return `EventAck g=${msg.gid} ${msg.event}`;
    case 'CompensateAck':
      return `CompensateAck g=${msg.gid} step=${msg.step} (${msg.reason})`;
  }
}
