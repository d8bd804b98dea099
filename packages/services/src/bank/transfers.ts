import type { NodeId, Workload } from '@dsim/core';
import { accountsOn, coordinatorOf, participantsOf } from './accounts.ts';

/** A bank transfer: `amount` from one account to another, plus an optional fee paid to a third. */
export interface Transfer {
  readonly from: string;
  readonly to: string;
  readonly amount: number;
  readonly fee?: number;
  readonly feeTo?: string;
}

export interface TransferOp<Value = Transfer> {
  readonly f: 'transfer';
  readonly value: Value;
}

/**
 * Random bank transfers between accounts on different participants, sent to the coordinator.
 * With three or more participants each transfer also pays a fee into an account on a third
 * participant, so most transactions enlist three sites (the shape of SPECS §3.3's schedules).
 *
 * Options: `accountsPerParticipant` (default 4; keep it equal to the protocol's setting),
 * `amountMax` (default 30), `fee` (default 1; 0 for two-site transfers).
 */
export function randomTransfers(
  options: Readonly<Record<string, unknown>>,
  nodes: readonly NodeId[],
): Workload<TransferOp> {
  const accounts = typeof options.accountsPerParticipant === 'number' ? options.accountsPerParticipant : 4;
  const amountMax = typeof options.amountMax === 'number' ? options.amountMax : 30;
  const fee = typeof options.fee === 'number' ? options.fee : 1;
  const participants = participantsOf(nodes);
  const coordinator = coordinatorOf(nodes);
  return {
    nextOp(client) {
      const random = client.random;
      const [payer, payee, feeSite] = random.shuffle(participants);
      const value: Transfer = {
        from: random.pick(accountsOn(payer!, accounts)),
        to: random.pick(accountsOn(payee!, accounts)),
        amount: random.int(1, amountMax),
        ...(fee > 0 && feeSite !== undefined ? { fee, feeTo: random.pick(accountsOn(feeSite, accounts)) } : {}),
      };
      return { f: 'transfer', value };
    },
    chooseNode: () => coordinator,
  };
}

/**
 * A fixed list of transfers (option `transfers`), handed out in order to whichever client asks
 * next: for scripted scenarios and golden traces. `shape` describes an item for the error message.
 */
export function scriptedTransfers<Value>(
  options: Readonly<Record<string, unknown>>,
  nodes: readonly NodeId[],
  shape = '{ from, to, amount, fee?, feeTo? }',
): Workload<TransferOp<Value>> {
  const list = Array.isArray(options.transfers) ? (options.transfers as Value[]) : [];
  if (list.length === 0) throw new Error(`workload 'scripted' needs options.transfers: a list of ${shape}`);
  let next = 0;
  const coordinator = coordinatorOf(nodes);
  return {
    nextOp: () => (next < list.length ? { f: 'transfer', value: list[next++]! } : null),
    chooseNode: () => coordinator,
  };
}
