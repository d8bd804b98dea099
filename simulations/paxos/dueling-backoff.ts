import { defineScenario } from '@dsim/core';
import { competingProposers, nackReceived } from '@dsim/paxos';
import livelock from './dueling-livelock.ts';

/**
 * The schedule of `dueling-livelock.ts` (five nodes, n1 and n2 proposing half a round apart, the
 * far acceptors 5 ms away) with randomized back-off ("Paxos Made Simple" §2.4): each retry waits
 * a random time in [2 ms, 2 ms × 2^attempt), so the two proposers' rounds soon drift apart until one
 * finishes both phases before the other's Prepare arrives, and every node learns its value.
 */
export default defineScenario({
  ...livelock,
  name: 'paxos-dueling-backoff',
  description:
    'The livelocked duel of dueling-livelock with randomized back-off: the proposers drift apart and one value is chosen.',
  config: { ...livelock.config, randomizedBackoff: true, backoffMicros: 2_000 },
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
