import type { WorkloadFactory } from '@dsim/core';
import { kvClients, type KvOp } from '@dsim/services';

/**
 * Clients of the key-value store: @dsim/services' `kvClients`, the workload Raft's `kv` serves
 * too, so the two protocols run one workload. Options: keys, mix, readers, pin.
 */
export const kv: WorkloadFactory<KvOp> = (options) => kvClients(options);

export const workloads: Record<string, WorkloadFactory<KvOp>> = { kv };
