import { defineScenario } from '@dsim/core';
import { invariants, membershipReach, reachInvariants } from '@dsim/raft';

/**
 * A learner catches up, then is promoted (etcd learners; dissertation §4.2.1 on adding servers
 * without hurting availability). The voters n1-n3 have compacted their logs (a snapshot every 100
 * entries) by the time n4 is added as a learner at 2 s: the leader sends n4 the snapshot and then
 * the entries after it, while n4 counts for nothing, so the cluster's commits never wait for it.
 * At 4 s, with n4 caught up, an operator promotes it: from then on it votes and counts.
 */
export default defineScenario({
  name: 'raft-learner-promotion',
  description: 'A learner catches up through a snapshot without counting for commit, then is promoted to voter.',
  protocol: 'raft',
  nodes: 4,
  seed: 1,
  until: '6s',
  config: {
    initialVoters: ['n1', 'n2', 'n3'],
    nodeElectionTimeoutMicros: { n1: 100_000 },
    snapshotThresholdEntries: 100,
  },
  workload: {
    name: 'kv',
    clients: 3,
    thinkTime: '10ms',
    timeout: '1s',
    stopAt: '5s',
    options: {
      membership: [
        { at: '2s', change: { steps: [{ type: 'addLearner', node: 'n4' }] } },
        { at: '4s', change: { steps: [{ type: 'addVoter', node: 'n4' }] } },
      ],
    },
  },
  invariants: [...invariants, reachInvariants.snapshotInstalled, membershipReach.learnerPromoted],
});
