import { defineSeedFamily, type SeedFamily } from '@dsim/core';
import { leaseClockBoundMicros, swarm } from './swarm.ts';

/**
 * Raft's seed families, run by `dsim sweep --family raft/<name>`.
 *
 * `aggressive`: Raft under generated fault schedules of every kind, with every safety invariant
 * after every step, linearizability of the client history at the end, and liveness after the
 * heal. The seed also picks the configuration, so a sweep covers every read mode and
 * PreVote/CheckQuorum setting, a low snapshot threshold, and one or many entries per message.
 * Clock jumps stay within a third of the lease bound (jumps can add up), so lease reads must stay
 * linearizable too. Clients retry with their session's sequence number (kv-retry), so the
 * sessions must apply every retried write once.
 */
export const families: Record<string, SeedFamily> = {
  aggressive: defineSeedFamily({
    description: 'every fault kind until 9s, then quiet; the seed picks read mode, PreVote/CheckQuorum and batching',
    options: {
      nodes: { type: 'integer', description: 'cluster size', default: 5, min: 1 },
    },
    swarm,
    scenario(seed, { nodes, bugs }) {
      const readMode = (['readIndex', 'lease', 'log'] as const)[seed % 3]!;
      const variant = Math.floor(seed / 3) % 4;
      const checkQuorum = readMode === 'lease' || variant !== 0;
      const preVote = variant !== 1;
      return {
        name: `raft-sweep-${String(nodes)}n-${seed}`,
        protocol: 'raft',
        nodes: nodes as number,
        seed,
        until: '16s',
        config: {
          readMode,
          checkQuorum,
          preVote,
          leaseClockBoundMicros,
          snapshotThresholdEntries: seed % 2 === 0 ? 40 : 200,
          maxEntriesPerMessage: seed % 5 === 0 ? 1 : 16,
        },
        bugs,
        network: { latency: { dist: 'uniform', min: 1_000, max: 8_000 } },
        nemesis: {
          faults: 6,
          kinds: ['partition', 'crash', 'pause', 'clock', 'loss', 'duplicate'],
          from: '500ms',
          healAt: '9s',
          minDuration: '100ms',
          maxDuration: '3s',
          clockJumpMax: leaseClockBoundMicros / 3,
          driftPpmMax: 1_000,
          probability: 0.3,
        },
        workload: {
          // Clients retry after a timeout or a refusal with the same session sequence number.
          name: 'kv-retry',
          clients: 4,
          stopAt: '15s',
          timeout: '1s',
          thinkTime: '10ms',
          options: { keys: 3, transferEvery: seed % 4 === 0 ? 30 : 0 },
        },
      };
    },
  }),
};
