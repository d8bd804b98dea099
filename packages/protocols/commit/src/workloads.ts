import type { WorkloadFactory } from '@dsim/core';
import { coordinatorOf, participantsOf } from './config.ts';
import { accountsOn } from './resources.ts';
import type { TransferOp, TransferValue } from './state.ts';

/**
 * Random bank transfers between accounts on different participants, sent to the coordinator.
 * With three or more participants each transfer also pays a fee into an account on a third
 * participant, so most transactions enlist three sites (the shape of SPECS §3.3's schedules).
 *
 * Options: `accountsPerParticipant` (default 4; keep it equal to the protocol's setting),
 * `amountMax` (default 30), `fee` (default 1; 0 for two-site transfers).
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

/**
 * A fixed list of transfers (option `transfers`), handed out in order to whichever client asks
 * next: for scripted scenarios and golden traces.
 */
export const scripted: WorkloadFactory<TransferOp> = (options, { nodes }) => {
  const list = Array.isArray(options.transfers) ? (options.transfers as TransferValue[]) : [];
  if (list.length === 0)
    throw new Error("workload 'scripted' needs options.transfers: a list of { from, to, amount, fee?, feeTo? }");
  let next = 0;
  const coordinator = coordinatorOf(nodes);
  return {
    nextOp: () => (next < list.length ? { f: 'transfer', value: list[next++]! } : null),
    chooseNode: () => coordinator,
  };
};

export const workloads = { transfers, scripted };
