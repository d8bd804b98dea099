import { defineScenario } from '@dsim/core';
import { splitVote } from '@dsim/raft';

/**
 * Split votes with non-randomized election timeouts (SPECS.md §5.5): every node waits exactly
 * 150 ms, so they all campaign at once, vote for themselves, and nobody wins; they time out
 * together again. Only the network's latency jitter can break the tie. The `split-vote` check
 * proves the run saw two candidates in one term. Set randomizedElectionTimeout back to true (or
 * re-seed) to watch randomization resolve it within a round or two.
 */
export default defineScenario({
  name: 'raft-split-vote',
  description: 'Election timeouts without randomization: simultaneous candidates split the vote.',
  protocol: 'raft',
  nodes: 5,
  seed: 5,
  until: '3s',
  config: { randomizedElectionTimeout: false, preVote: false, checkQuorum: false },
  network: { latency: { dist: 'uniform', min: 1_000, max: 3_000 } },
  invariants: [
    'election-safety',
    'leader-append-only',
    'log-matching',
    'leader-completeness',
    'state-machine-safety',
    splitVote,
  ],
});
