import type { Draft, DurableStorage, NodeId } from '@dsim/core';
import type { Write } from './messages.ts';
import type { ParticipantState, TransferValue } from './state.ts';

/**
 * The local resources each participant manages: a shard of bank accounts with exclusive locks.
 * An account's owner is the part of its name before the last '/': 'p1/a0' lives on p1.
 */
import { accountsOn, loadAmounts, ownerOf, storeAmounts } from '@dsim/services';

export { accountName, accountsOn, ownerOf } from '@dsim/services';

/** The work of one transfer, split by participant in the scenario's participant order. */
export interface TransferPlan {
  readonly participants: NodeId[];
  readonly writes: Array<{ readonly participant: NodeId; readonly writes: Write[] }>;
}

/**
 * Splits a transfer into each participant's writes. Returns a problem instead when the request
 * is malformed: the coordinator then fails it at once, without starting a transaction.
 */
export function planTransfer(value: TransferValue | undefined, participants: readonly NodeId[]): TransferPlan | string {
  if (!value || typeof value !== 'object') return 'a transfer needs { from, to, amount }';
  const { from, to, amount } = value;
  const fee = value.fee ?? 0;
  if (typeof from !== 'string' || typeof to !== 'string') return 'from and to must be account names such as p1/a0';
  if (from === to) return 'from and to are the same account';
  if (!Number.isInteger(amount) || amount <= 0) return `amount must be a positive whole number (got ${String(amount)})`;
  if (!Number.isInteger(fee) || fee < 0) return `fee must be a whole number, 0 or more (got ${String(fee)})`;
  if (fee > 0 && typeof value.feeTo !== 'string') return 'a fee needs feeTo, the account it is credited to';
  const changes: Write[] = [
    { account: from, delta: -(amount + fee) },
    { account: to, delta: amount },
  ];
  if (fee > 0) changes.push({ account: value.feeTo!, delta: fee });
  for (const change of changes) {
    if (!participants.includes(ownerOf(change.account)))
      return `account ${change.account} belongs to no participant (participants: ${participants.join(', ')})`;
  }
  const writes = participants
    .map((participant) => ({
      participant,
      writes: changes.filter((change) => ownerOf(change.account) === participant),
    }))
    .filter((entry) => entry.writes.length > 0);
  return { participants: writes.map((entry) => entry.participant), writes };
}

/**
 * Tries to prepare a participant's writes: every account must exist here, be unlocked (no-wait
 * locking: a lock conflict is a NO vote, never a wait, so there are no deadlocks) and keep a
 * non-negative balance. On success the locks are taken and held until the decision.
 */
export function tryLock(
  state: Draft<ParticipantState>,
  tx: number,
  writes: readonly Write[],
): { ok: true } | { ok: false; reason: string } {
  const net = new Map<string, number>();
  for (const write of writes) net.set(write.account, (net.get(write.account) ?? 0) + write.delta);
  for (const [account, delta] of net) {
    const balance = state.balances[account];
    if (balance === undefined) return { ok: false, reason: `no account ${account}` };
    const holder = state.locks[account];
    if (holder !== undefined && holder !== tx) return { ok: false, reason: `${account} locked by tx=${holder}` };
    if (balance + delta < 0) return { ok: false, reason: `insufficient funds in ${account}` };
  }
  for (const account of net.keys()) state.locks[account] = tx;
  return { ok: true };
}

export function releaseLocks(state: Draft<ParticipantState>, tx: number, writes: readonly Write[]): void {
  for (const write of writes) if (state.locks[write.account] === tx) delete state.locks[write.account];
}

export function applyWrites(state: Draft<ParticipantState>, writes: readonly Write[]): void {
  for (const write of writes) {
    const balance = state.balances[write.account];
    if (balance === undefined)
      throw new Error(`apply: account ${write.account} does not live here; prepare should have voted NO`);
    state.balances[write.account] = balance + write.delta;
  }
}

/** Balances are stored as [account, balance] pairs in account order, the same order on every run. */
/** A participant's balances on its disk, under 'balances'. */
export function storeBalances(storage: DurableStorage, balances: Readonly<Record<string, number>>): void {
  storeAmounts(storage, 'balances', balances);
}

/** A participant's balances from its disk, or every account at `initialBalance` on first boot. */
export function loadBalances(
  storage: DurableStorage,
  self: NodeId,
  accounts: number,
  initialBalance: number,
): Record<string, number> {
  return loadAmounts(storage, 'balances', accountsOn(self, accounts), initialBalance);
}
