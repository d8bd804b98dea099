import type { WorkloadFactory } from '@dsim/core';
import { kvClients, kvWriters } from '@dsim/services';
import type { KvOp } from './state.ts';
import { membershipScheduler, readMembershipSchedule } from './workload-membership.ts';

/**
 * Clients of the key-value store, Jepsen style (@dsim/services' `kvClients`: the workload
 * Multi-Paxos serves too): a few keys so operations collide, unique written values so a stale
 * read is visible, and cas on the value the client last saw.
 *
 * Options: keys (default 3), mix (weights of get, put, append, cas), readers, pin (see
 * `kvClients`), and transferEvery (default 0 = never): every Nth operation of client c1 asks the
 * leader it knows to hand leadership to another node (leadership transfer); membership: configuration
 * changes at given times (workload-membership.ts).
 */
export const kv: WorkloadFactory<KvOp> = (options, { nodes, clients }) => {
  const transferEvery = Number(options.transferEvery ?? 0);
  const membership = membershipScheduler(readMembershipSchedule(options.membership), clients);
  return kvClients<KvOp>(
    options,
    (client) =>
      membership(client) ??
      (transferEvery > 0 && client.index === 0 && client.invoked > 0 && client.invoked % transferEvery === 0
        ? { f: 'transfer', value: client.random.pick(nodes) }
        : undefined),
  );
};

/** Writes only, for benchmarks and election experiments (@dsim/services' `kvWriters`). */
export const writes: WorkloadFactory<KvOp> = (options) => kvWriters(options);

export const workloads: Record<string, WorkloadFactory<KvOp>> = { kv, writes };
