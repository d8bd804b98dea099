import { defineScenario } from '@dsim/core';
import { invariants, membershipReach } from '@dsim/raft';

/**
 * Adding a server under load (dissertation §4.1, a single-server change). The cluster starts as
 * n1-n3; n4 is listed in the scenario but outside the configuration, so it stays idle and never
 * campaigns. At 2 s an operator asks the leader to add n4: the leader appends the configuration
 * {n1..n4}, uses it at once (the new entry needs three of four to commit), and brings n4's empty
 * log up to date from the first entry while clients keep writing. Once n4 is in, it votes and
 * counts for commit like any other server.
 */
export default defineScenario({
  name: 'raft-add-node',
  description: 'A fourth server joins a three-server cluster under client load (single-server change).',
  protocol: 'raft',
  nodes: 4,
  seed: 1,
  until: '6s',
  config: { initialVoters: ['n1', 'n2', 'n3'], nodeElectionTimeoutMicros: { n1: 100_000 } },
  workload: {
    name: 'kv',
    clients: 3,
    thinkTime: '20ms',
    timeout: '1s',
    stopAt: '5s',
    options: { membership: [{ at: '2s', change: { steps: [{ type: 'addVoter', node: 'n4' }] } }] },
  },
  invariants: [...invariants, membershipReach.voterAdded],
});
