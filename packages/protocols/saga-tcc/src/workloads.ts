import type { WorkloadFactory } from '@dsim/core';
import { accountsOn } from './accounts.ts';
import { coordinatorOf, participantsOf } from './config.ts';
import type { TransferOp, TransferValue } from './state.ts';

/**
 * Random bank transfers between accounts on different participants, sent to the coordinator: the
 * workload of @dsim/commit's `transfers`, drawn the same way, so the same seed gives 2PC, 3PC, TCC
 * and Saga the same requests. With three or more participants each transfer pays a fee into a
 * third participant's account.
 *
 * Options: `accountsPerParticipant` (default 4), `amountMax` (default 30), `fee` (default 1).
 */
export const transfers: WorkloadFactory<TransferOp> = (options, { nodes }) => {
  const accounts = typeof options.accountsPerParticipant === 'number' ? options.accountsPerParticipant : 4;
  const amountMax = typeof options.amountMax === 'number' ? options.amountMax : 30;
  const fee = typeof options.fee === 'number' ? options.fee : 1;
  const participants = participantsOf(nodes);
  const coordinator = coordinatorOf(nodes);
  return {
    nextOp(client) {
      const random = client.random;
      const [payer, payee, feeSite] = random.shuffle(participants);
      const value: TransferValue = {
        from: random.pick(accountsOn(payer!, accounts)),
        to: random.pick(accountsOn(payee!, accounts)),
        amount: random.int(1, amountMax),
        ...(fee > 0 && feeSite !== undefined ? { fee, feeTo: random.pick(accountsOn(feeSite, accounts)) } : {}),
      };
      return { f: 'transfer', value };
    },
    chooseNode: () => coordinator,
  };
};

/** A fixed list of transfers (option `transfers`: { from, to, amount, fee?, feeTo? } or { steps }), in order, for scripted scenarios. */
export const scripted: WorkloadFactory<TransferOp> = (options, { nodes }) => {
  const list = Array.isArray(options.transfers) ? (options.transfers as TransferValue[]) : [];
  if (list.length === 0)
    throw new Error(
      "workload 'scripted' needs options.transfers: a list of { from, to, amount, fee?, feeTo? } or { steps }",
    );
  let next = 0;
  const coordinator = coordinatorOf(nodes);
  return {
    nextOp: () => (next < list.length ? { f: 'transfer', value: list[next++]! } : null),
    chooseNode: () => coordinator,
  };
};

export const workloads = { transfers, scripted };
