import { defineScenario } from '@dsim/core';

/**
 * One decree, no faults: two proposers (n1, n2) start a few milliseconds apart, one of them gets
 * a majority of promises and then of acceptances, and all three nodes learn its value. Read the
 * trace for the two phases: Prepare / Promise, then Accept / Accepted to every learner.
 */
export default defineScenario({
  name: 'paxos-happy',
  description: 'Single-decree Paxos without faults: one value is chosen and every node learns it.',
  protocol: 'paxos',
  nodes: 3,
  seed: 1,
  until: '2s',
  network: { latency: { dist: 'uniform', min: 1_000, max: 5_000 } },
});
