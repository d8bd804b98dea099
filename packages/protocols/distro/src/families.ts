import { defineSeedFamily, type SeedFamily } from '@dsim/core';
import { swarm } from './swarm.ts';

/**
 * Distro's seed families, run by `dsim sweep --family distro/<name>`.
 *
 * `aggressive`: 50 Nacos clients on a 3- or 5-node cluster under generated faults of every kind
 * until 60 s (partitions of every shape, crashes long enough for member health to notice, GC
 * pauses, small clock jumps and drift, loss, duplication), then quiet long enough for the
 * convergence bound. Every tenth client is persistent; some clients deregister, some crash.
 */
export const families: Record<string, SeedFamily> = {
  aggressive: defineSeedFamily({
    description: '50 clients, every fault kind until 60s, then quiet past the convergence bound',
    options: {
      nodes: { type: 'integer', description: 'cluster size', default: 3, min: 1 },
      clients: { type: 'integer', description: 'Nacos clients', default: 50, min: 1 },
    },
    swarm,
    scenario(seed, { nodes, clients, bugs }) {
      return {
        name: `distro-sweep-${String(nodes)}n-${seed}`,
        protocol: 'distro',
        nodes: nodes as number,
        seed,
        until: '300s',
        bugs,
        network: { latency: { dist: 'uniform', min: 1_000, max: 10_000 }, fifo: true },
        nemesis: {
          faults: 5,
          kinds: ['partition', 'crash', 'pause', 'clock', 'loss', 'duplicate'],
          from: '15s',
          healAt: '60s',
          minDuration: '1s',
          maxDuration: '40s',
          clockJumpMax: 1_000_000,
          driftPpmMax: 1_000,
          probability: 0.3,
        },
        workload: {
          name: 'registry',
          clients: clients as number,
          thinkTime: '1s',
          timeout: '3s',
          startAt: '1s',
          options: {
            services: 5,
            persistentEvery: 10,
            deregisterEvery: 7,
            deregisterAt: '40s',
            silentEvery: 11,
            silentAt: '30s',
          },
        },
      };
    },
  }),
};
