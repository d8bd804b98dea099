import type { WorkloadFactory } from '@dsim/core';
import type { HeartbeatOp } from './state.ts';

/** Clients ask random nodes what they think of random peers: what a service-discovery client does. */
export const probe: WorkloadFactory<HeartbeatOp> = (_options, { nodes }) => ({
  nextOp: (client) => ({ f: 'status', key: client.random.pick(nodes) }),
  chooseNode: (client, op) => client.random.pick(nodes.filter((node) => node !== op.key)),
});

export const workloads = { probe };
