import type { ClientView, WorkloadFactory } from '@dsim/core';
import type { ProposeOp } from './node.ts';

/**
 * Clients that each ask a node to propose a value of their own (`c1.1`, ...), then ask again now
 * and then: every answer must be the one chosen value. Options: `ops` (default 3) per client.
 */
export const propose: WorkloadFactory<ProposeOp> = (options) => {
  const ops = Math.max(1, Number(options.ops ?? 3));
  return {
    nextOp: (client: ClientView): ProposeOp | null =>
      client.invoked >= ops ? null : { f: 'propose', value: `${client.client}.${client.invoked + 1}` },
  };
};

export const workloads: Record<string, WorkloadFactory<ProposeOp>> = { propose };
