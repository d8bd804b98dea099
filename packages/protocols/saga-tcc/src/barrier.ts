/**
 * DTM's sub-transaction barrier (client/dtmcli/barrier.go `BranchBarrier.Call`, SPECS §2.4), as a
 * pure decision over the set of barrier rows. A row is `<branch>|<op>`; inserting it is DTM's
 * `INSERT IGNORE` under the unique key (gid, branch_id, op, barrier_id). The caller applies the
 * returned inserts in the same step as the business change, which is what DTM's "inside the
 * same local transaction" buys: a simulator step is atomic, so no check-then-act race remains.
 */
export type BarrierOp = 'try' | 'confirm' | 'cancel' | 'action' | 'compensate';

export type BarrierVerdict =
  /** Run the business code; on success insert `rows`, on a business failure insert nothing (the local transaction rolls back). */
  | { readonly kind: 'run'; readonly rows: readonly string[] }
  /** A Cancel or compensation with no Try / action before it: insert `rows`, succeed, run nothing. */
  | { readonly kind: 'empty-rollback'; readonly rows: readonly string[] }
  /** The operation's own row exists: a repeat (idempotency) or, for a Try / action, a late one after its Cancel (suspension). */
  | { readonly kind: 'skip'; readonly suspended: boolean };

/** What the origin of a compensating operation is (DTM's `originOp`). */
export function originOf(op: BarrierOp): BarrierOp | null {
  if (op === 'cancel') return 'try';
  if (op === 'compensate') return 'action';
  return null;
}

export function rowOf(branch: string, op: BarrierOp): string {
  return `${branch}|${op}`;
}

/**
 * Which rule each bug switch removes (see bugs.ts): `checkOwnRow: false` lets a repeat run again;
 * `detectEmptyRollback: false` runs the business Cancel without a Try; `blockLateTry: false` makes
 * an empty rollback leave the Try row out, so a late Try finds nothing.
 */
export interface BarrierRules {
  readonly checkOwnRow: boolean;
  readonly detectEmptyRollback: boolean;
  readonly blockLateTry: boolean;
}

export const strictBarrier: BarrierRules = { checkOwnRow: true, detectEmptyRollback: true, blockLateTry: true };

export function barrierCall(
  rows: Readonly<Record<string, true>>,
  branch: string,
  op: BarrierOp,
  rules: BarrierRules = strictBarrier,
): BarrierVerdict {
  const origin = originOf(op);
  const own = rowOf(branch, op);
  const originRow = origin === null ? null : rowOf(branch, origin);
  const originInserted = originRow !== null && rows[originRow] === undefined;
  const ownInserted = rows[own] === undefined;
  if (originInserted) {
    // Step 4: null compensation. Both rows persist; the origin row is what refuses a late Try.
    if (rules.detectEmptyRollback)
      return { kind: 'empty-rollback', rows: rules.blockLateTry ? [originRow!, own] : [own] };
    return { kind: 'run', rows: rules.blockLateTry ? [originRow!, own] : [own] };
  }
  if (!ownInserted && rules.checkOwnRow) {
    // Step 5: a duplicate, or a Try / action whose compensating row exists (hanging).
    const compensation = op === 'try' ? 'cancel' : op === 'action' ? 'compensate' : null;
    return { kind: 'skip', suspended: compensation !== null && rows[rowOf(branch, compensation)] !== undefined };
  }
  return { kind: 'run', rows: ownInserted ? [own] : [] };
}
