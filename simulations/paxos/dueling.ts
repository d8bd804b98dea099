import { defineScenario } from '@dsim/core';
import { competingProposers, nackReceived } from '@dsim/paxos';

/**
 * Duelling proposers (SPECS.md §4.2): all three nodes propose at the same instant with a fixed,
 * short back-off and no jitter, so their rounds preempt one another: Prepares with ever higher
 * numbers, Accepts rejected with NACKs carrying the rival's promise. Safety holds throughout, and
 * the duel ends after a few rounds. It ends even without randomized back-off: a NACK makes the
 * loser retry above the winner's number, and its new Prepare reaches the acceptors no earlier than
 * the winner's Accept (one round trip each way), so with co-located acceptors a permanent livelock
 * needs message timings this network does not produce. Compare `randomizedBackoff: true`.
 */
export default defineScenario({
  name: 'paxos-dueling',
  description:
    'Three proposers start at once with a fixed back-off: they preempt each other with NACKs, then one value is chosen.',
  protocol: 'paxos',
  nodes: 3,
  seed: 8,
  until: '3s',
  config: {
    proposers: 3,
    proposeJitterMicros: 0,
    randomizedBackoff: false,
    backoffMicros: 2_000,
    phaseTimeoutMicros: 50_000,
  },
  network: { latency: { dist: 'uniform', min: 1_000, max: 5_000 } },
  invariants: [
    'agreement',
    'validity',
    'integrity',
    'learned-was-chosen',
    'promise-kept',
    'value-learned',
    competingProposers,
    nackReceived,
  ],
});
