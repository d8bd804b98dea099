import type { NodeId } from '@dsim/core';
import type { Write } from './messages.ts';
import type { TransferValue } from './state.ts';

/** The accounts each participant holds, named as in every transaction protocol: 'p1/a0' lives on p1. */
import { ownerOf } from '@dsim/services';

export { accountsOn, loadAmounts, ownerOf, storeAmounts } from '@dsim/services';

/**
 * The writes of a transfer in execution order: the debit first (the step that can fail comes
 * first, Richardson's "pivot" ordering), then the credits. An explicit `steps` list is taken as
 * given. Returns a problem for a malformed request: the coordinator fails it without starting.
 */
export function planWrites(value: TransferValue | undefined, participants: readonly NodeId[]): Write[] | string {
  if (!value || typeof value !== 'object') return 'a transfer needs { from, to, amount } or { steps }';
  const writes: Write[] = [];
  if (value.steps !== undefined) {
    if (!Array.isArray(value.steps) || value.steps.length === 0)
      return 'steps must be a non-empty list of { account, delta }';
    for (const step of value.steps)
      writes.push({
        account: step.account,
        delta: step.delta,
        ...(step.op && step.op !== 'add' ? { op: step.op } : {}),
      });
  } else {
    const { from, to, amount } = value;
    const fee = value.fee ?? 0;
    if (typeof from !== 'string' || typeof to !== 'string') return 'from and to must be account names such as p1/a0';
    if (from === to) return 'from and to are the same account';
    if (!Number.isInteger(amount) || amount! <= 0)
      return `amount must be a positive whole number (got ${String(amount)})`;
    if (!Number.isInteger(fee) || fee < 0) return `fee must be a whole number, 0 or more (got ${String(fee)})`;
    writes.push({ account: from, delta: -(amount! + fee) }, { account: to, delta: amount! });
    if (fee > 0) {
      if (typeof value.feeTo !== 'string') return 'a fee needs feeTo, the account that receives it';
      writes.push({ account: value.feeTo, delta: fee });
    }
  }
  for (const write of writes) {
    if (typeof write.account !== 'string' || !participants.includes(ownerOf(write.account)))
      return `account ${String(write.account)} does not live on any participant (${participants.join(', ')})`;
    if (write.op !== undefined && write.op !== 'read' && write.op !== 'set')
      return `op of ${write.account} must be 'add', 'read' or 'set' (got ${JSON.stringify(write.op)})`;
    if (write.op === 'read' ? write.delta !== 0 : !Number.isInteger(write.delta) || write.delta === 0)
      return `delta of ${write.account} must be ${write.op === 'read' ? '0 for a read' : 'a non-zero whole number'} (got ${String(write.delta)})`;
  }
  return writes;
}

/** The writes grouped by participant, in the scenario's participant order: TCC's branches. */
export function groupByParticipant(
  writes: readonly Write[],
  participants: readonly NodeId[],
): Array<{ participant: NodeId; writes: Write[] }> {
  return participants
    .map((participant) => ({ participant, writes: writes.filter((write) => ownerOf(write.account) === participant) }))
    .filter((branch) => branch.writes.length > 0);
}

/** Balances and frozen amounts are stored as [account, amount] pairs in account order. */
