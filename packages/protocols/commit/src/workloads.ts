import type { WorkloadFactory } from '@dsim/core';
import { randomTransfers, scriptedTransfers } from '@dsim/services';
import type { TransferOp, TransferValue } from './state.ts';

/**
 * Random bank transfers between accounts on different participants, sent to the coordinator
 * (@dsim/services' `randomTransfers`: the same draw for 2PC, 3PC, TCC and Saga).
 *
 * Options: `accountsPerParticipant` (default 4; keep it equal to the protocol's setting),
 * `amountMax` (default 30), `fee` (default 1; 0 for two-site transfers).
 */
export const transfers: WorkloadFactory<TransferOp> = (options, { nodes }) => randomTransfers(options, nodes);

/**
 * A fixed list of transfers (option `transfers`), handed out in order to whichever client asks
 * next: for scripted scenarios and golden traces.
 */
export const scripted: WorkloadFactory<TransferOp> = (options, { nodes }) =>
  scriptedTransfers<TransferValue>(options, nodes);

export const workloads = { transfers, scripted };
