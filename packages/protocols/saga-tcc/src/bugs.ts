import type { BugSwitch } from '@dsim/core';

/** TCC's bug switches: each removes one rule of the barrier (DTM) / fence (Seata), SPECS §2.2–2.4. */
export const tccBugs = {
  noBarrier: {
    description:
      'Participants run Try, Confirm and Cancel as plain business code, with no barrier rows at all (SPECS §2.2; ' +
      "DTM docs practice/barrier.md; Seata's useTCCFence = false, its default).",
    breaks:
      'All three anomalies appear: a Cancel with no Try releases a freeze nobody took (empty rollback: ' +
      "'empty-rollback-changes-nothing'), a Try after its Cancel freezes money nobody will release (suspension: " +
      "'no-hanging-try'), a repeated Confirm applies twice (idempotency: 'idempotent-phase-two').",
  },
  cancelWithoutTryCheck: {
    description:
      "Cancel skips the empty-rollback check: finding no Try row, it still runs the business Cancel (DTM barrier step 4; Seata's " +
      'rollbackFence inserting SUSPENDED without calling Cancel).',
    breaks:
      "A Try lost, delayed or failed leaves nothing frozen, yet Cancel unfreezes the amount: 'empty-rollback-changes-nothing' " +
      'catches it (and the frozen total can go negative).',
  },
  tryAfterCancelAllowed: {
    description:
      'An empty rollback records only its own row, not the Try row that should block a late Try (DTM inserts the origin row; ' +
      'Seata inserts the fence row as SUSPENDED).',
    breaks:
      "A Try delayed past its Cancel finds no row and freezes money after the transaction ended: 'no-hanging-try' reports " +
      'try-after-cancel (the reservation is never released).',
  },
  confirmNotIdempotent: {
    description:
      'Confirm does not check its barrier row, so a retried or duplicated Confirm runs again (SPECS §2.2 idempotency; Seata commitFence ' +
      'returns success on COMMITTED).',
    breaks:
      "A Confirm retried after a lost ack, or duplicated by the network, debits and credits twice: 'idempotent-phase-two' catches it.",
  },
  fenceCleanedEarly: {
    description:
      "Barrier rows are deleted as soon as the branch finishes phase 2 instead of after the clean-up period (Seata's cleanPeriod; SPECS §7.2).",
    breaks:
      'A Try delayed past its (empty) Cancel arrives after the rows are gone, finds nothing and freezes money nobody releases: ' +
      "'no-hanging-try' reports try-after-cancel.",
  },
} satisfies Record<string, BugSwitch>;

/** Saga's bug switches (Garcia-Molina & Salem 1987; Seata's CompensationHolder; DTM trans_type_saga). */
export const sagaBugs = {
  compensateForwardOrder: {
    description:
      'Compensations of the completed steps run in execution order instead of reverse order (Garcia-Molina & Salem §1: ' +
      "T1..Tj then Cj..C1; Seata pops a stack; DTM compensates step i only after step i+1's compensation succeeded).",
    breaks:
      'A step is undone while a later step that may depend on it still stands (a refund before the payee is debited back): ' +
      "'compensation' reports compensation-order.",
  },
  sagaNoCompensationRetry: {
    description:
      'A compensation is sent once and never retried (DTM retries a failed compensation forever; Seata retries RollbackRetrying every 1 s).',
    breaks:
      "A compensation lost in the network is never applied: the saga stays compensating with steps still applied, and 'semantic-atomicity' " +
      'fails after the heal.',
  },
  noBarrier: {
    description:
      'Saga participants run actions and compensations as plain business code, with no barrier rows (DTM barrier ops action / compensate).',
    breaks:
      "A compensation of a step whose action never arrived changes data ('empty-rollback-changes-nothing'), and a retried " +
      "compensation applies twice ('idempotent-phase-two').",
  },
} satisfies Record<string, BugSwitch>;

export type TccBug = keyof typeof tccBugs;
export type SagaBug = keyof typeof sagaBugs;
export type TxnBug = TccBug | SagaBug;
