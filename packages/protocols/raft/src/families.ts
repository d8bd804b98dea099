import { defineSeedFamily, type SeedFamily } from '@dsim/core';
import type { ConfChange } from './membership.ts';
import { leaseClockBoundMicros, swarm } from './swarm.ts';

const MEMBERSHIP_PLANS = ['none', 'single', 'joint', 'learners', 'concurrent'] as const;
type MembershipPlan = (typeof MEMBERSHIP_PLANS)[number];

/**
 * Raft's seed families, run by `dsim sweep --family raft/<name>`.
 *
 * `aggressive`: Raft under generated fault schedules of every kind, with every safety invariant
 * after every step, linearizability of the client history at the end, and liveness after the
 * heal. The seed also picks the configuration, so a sweep covers every read mode and
 * PreVote/CheckQuorum setting, a low snapshot threshold, and one or many entries per message.
 * Clock jumps stay within a third of the lease bound (jumps can add up), so lease reads must stay
 * linearizable too. Three seeds in four also change the configuration during the faults (single-server
 * changes, joint consensus, learners: see membershipPlan). Clients retry with their session's sequence number (kv-retry), so the
 * sessions must apply every retried write once.
 */
export const families: Record<string, SeedFamily> = {
  aggressive: defineSeedFamily({
    description:
      'every fault kind until 9s, then quiet; the seed picks read mode, PreVote/CheckQuorum, batching and configuration changes',
    options: {
      nodes: { type: 'integer', description: 'cluster size', default: 5, min: 1 },
      membership: {
        type: 'choice',
        description:
          "the operators' configuration changes during the faults ('seed': the seed picks one of the first four)",
        default: 'seed',
        values: ['seed', ...MEMBERSHIP_PLANS],
      },
      clientRetryForMillis: {
        type: 'integer',
        description:
          'how long a client retries an operation after its first attempt (0: three retries, whatever the timeout)',
        default: 0,
        min: 0,
      },
    },
    swarm,
    scenario(seed, { nodes, membership: plan, clientRetryForMillis, bugs }) {
      const membership = membershipPlan(seed, nodes as number, plan as MembershipPlan | 'seed');
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
          ...membership.config,
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
          options: {
            keys: 3,
            transferEvery: seed % 4 === 0 ? 30 : 0,
            ...((clientRetryForMillis as number) > 0
              ? { retryForMicros: (clientRetryForMillis as number) * 1_000 }
              : {}),
            ...(membership.changes.length > 0 ? { membership: membership.changes } : {}),
          },
        },
      };
    },
  }),
};

/**
 * The configuration changes of a seed (workload-membership.ts), made while faults are on. By
 * default three seeds in four change the membership, with one of the first three plans. With n
 * nodes, n1..n(n-1) and a spare nN:
 * - single-server changes: every node starts a voter; a node is removed (the first one, often the
 *   leader), re-added as a learner and promoted;
 * - joint consensus: nN starts as a spare; n1 is replaced by nN in one joint change, and back;
 * - learners: nN starts as a learner and is promoted, then n1 is removed;
 * - concurrent: two operators at once, as two automation tools acting on one alert would: nN
 *   starts as a spare; at the same moment one adds nN and another removes n1, and later one adds
 *   n1 back and another removes nN. Raft must take one change at a time (dissertation §4.1).
 */
function membershipPlan(
  seed: number,
  nodes: number,
  plan: MembershipPlan | 'seed',
): { config: Record<string, unknown>; changes: { at: string; change: ConfChange }[] } {
  const mode = plan === 'seed' ? Math.floor(seed / 12) % 4 : MEMBERSHIP_PLANS.indexOf(plan);
  if (nodes < 3 || mode === 0) return { config: {}, changes: [] };
  const first = 'n1';
  const spare = `n${nodes}`;
  const others = Array.from({ length: nodes - 1 }, (_, i) => `n${i + 1}`);
  const one = (type: 'addVoter' | 'addLearner' | 'remove', node: string) => ({ steps: [{ type, node }] });
  if (mode === 1)
    return {
      config: {},
      changes: [
        { at: '2s', change: one('remove', first) },
        { at: '5s', change: one('addLearner', first) },
        { at: '7s', change: one('addVoter', first) },
      ],
    };
  if (mode === 2) {
    const swap = (out: string, into: string): ConfChange => ({
      joint: true,
      steps: [
        { type: 'remove', node: out },
        { type: 'addVoter', node: into },
      ],
    });
    return {
      config: { initialVoters: others },
      changes: [
        { at: '2s', change: swap(first, spare) },
        { at: '6s', change: swap(spare, first) },
      ],
    };
  }
  if (mode === 3)
    return {
      config: { initialVoters: others, initialLearners: [spare] },
      changes: [
        { at: '2s', change: one('addVoter', spare) },
        { at: '5s', change: one('remove', first) },
      ],
    };
  return {
    config: { initialVoters: others },
    changes: [
      { at: '2s', change: one('addVoter', spare) },
      { at: '2s', change: one('remove', first) },
      { at: '5s', change: one('addVoter', first) },
      { at: '5s', change: one('remove', spare) },
    ],
  };
}
