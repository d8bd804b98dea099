import type { WorkloadFactory } from '@dsim/core';
import { randomTransfers, scriptedTransfers } from '@dsim/services';
import type { TransferOp, TransferValue } from './state.ts';

/**
 * Random bank transfers between accounts on different participants, sent to the coordinator:
 * @dsim/services' `randomTransfers`, the workload of @dsim/commit's `transfers`, so the same seed
 * gives 2PC, 3PC, TCC and Saga the same requests.
 *
 * Options: `accountsPerParticipant` (default 4), `amountMax` (default 30), `fee` (default 1).
 */
export const transfers: WorkloadFactory<TransferOp> = (options, { nodes }) => randomTransfers(options, nodes);

/** A fixed list of transfers (option `transfers`: { from, to, amount, fee?, feeTo? } or { steps }), in order, for scripted scenarios. */
export const scripted: WorkloadFactory<TransferOp> = (options, { nodes }) =>
  scriptedTransfers<TransferValue>(options, nodes, '{ from, to, amount, fee?, feeTo? } or { steps }');

export const workloads = { transfers, scripted };
