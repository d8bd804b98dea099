import { defineScenario } from '@dsim/core';
import { reachInvariants, invariants } from '@dsim/distro';

/**
 * Seed claim 19: a partition splits five nodes 2 | 3. Member health on each side marks the other
 * side DOWN and re-hashes responsibility over its own members, so both sides keep accepting
 * registrations and answering reads: they diverge (clients connected on one side are expired on
 * the other after 30 s). After the heal, member views merge, beats re-register on the merged
 * owners and verify repairs the rest: all nodes converge within the bound.
 */
export default defineScenario({
  name: 'distro-partition-heal',
  description: 'both sides serve and diverge during a 2|3 partition, then converge after the heal',
  protocol: 'distro',
  nodes: 5,
  seed: 1,
  until: '300s',
  network: { latency: { dist: 'uniform', min: 1_000, max: 5_000 }, fifo: true },
  faults: [
    {
      at: '20s',
      fault: {
        type: 'partition',
        groups: [
          ['n1', 'n2'],
          ['n3', 'n4', 'n5'],
        ],
      },
    },
    { at: '80s', fault: { type: 'heal' } },
  ],
  workload: { name: 'registry', clients: 20, thinkTime: '1s', timeout: '3s', startAt: '1s', options: { services: 4 } },
  invariants: [
    ...invariants,
    reachInvariants.responsibilityChange,
    reachInvariants.staleRead,
    reachInvariants.verifyRepair,
    reachInvariants.expiredWhileBeating,
  ],
});
