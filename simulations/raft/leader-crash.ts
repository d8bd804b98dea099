import { defineScenario } from '@dsim/core';

/**
 * The leader crashes under load and comes back. n1 times out first (a pinned 100 ms election
 * timeout) so it leads term 1; at 3 s it crashes, the others elect a new leader within a few
 * hundred milliseconds (randomized 150-300 ms timeouts, PreVote, CheckQuorum), clients that were
 * waiting on n1 time out (unknown outcome) and find the new leader through redirects. n1 restarts
 * at 6 s from its durable term, vote and log and catches up as a follower.
 */
export default defineScenario({
  name: 'raft-leader-crash',
  description: 'The leader crashes under client load; a new leader is elected and the old one rejoins as a follower.',
  protocol: 'raft',
  nodes: 5,
  seed: 1,
  until: '10s',
  config: { nodeElectionTimeoutMicros: { n1: 100_000 } },
  workload: { name: 'kv', clients: 3, thinkTime: '20ms', timeout: '1s', stopAt: '9s' },
  faults: [
    { at: '3s', fault: { type: 'crash', node: 'n1' } },
    { at: '6s', fault: { type: 'restart', node: 'n1' } },
  ],
});
