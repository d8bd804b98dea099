import { defineScenario } from '@dsim/core';
import { competingProposers, nackReceived } from '@dsim/paxos';

/**
 * Duelling proposers that never finish ("Paxos Made Simple" §2.4: "two proposers each keep issuing
 * a sequence of proposals with increasing numbers, none of which are ever chosen"). Five nodes, n1
 * and n2 propose; every node is an acceptor. n1 and n2 are 1 ms apart, the other three acceptors
 * 5 ms from everyone, so a proposer needs a far acceptor for its majority: its phase 1 takes 10 ms.
 * The retry is immediate and fixed (`randomizedBackoff: false`, `backoffMicros: 0`), and n2 starts
 * half a period (5 ms) after n1. Each Prepare reaches the rival's co-located acceptor 6 ms into the
 * rival's round, between the rival's Prepare and its Accept: the rival's own acceptor NACKs that
 * Accept at once, the rival retries at once with a higher number, and its Prepare lands 6 ms into
 * this proposer's round. Every Accept reaches the far acceptors after they promised the next,
 * higher number, so nothing is ever accepted: the ballots climb forever and 'value-learned' fails.
 * `dueling-livelock-backoff.ts` is the same schedule with randomized back-off, which converges.
 */
export default defineScenario({
  name: 'paxos-dueling-livelock',
  description:
    'Two proposers with an immediate fixed retry, half a round apart, preempt each other forever: no value is ever chosen (a liveness violation).',
  protocol: 'paxos',
  nodes: 5,
  seed: 1,
  until: '6s',
  config: {
    proposers: 2,
    proposeAfterMicros: 10_000,
    proposeAfterMicrosByNode: { n2: 15_000 },
    proposeJitterMicros: 0,
    randomizedBackoff: false,
    backoffMicros: 0,
    phaseTimeoutMicros: 50_000,
  },
  network: {
    latency: '5ms',
    links: [{ from: 'n1', to: 'n2', latency: '1ms' }],
  },
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
