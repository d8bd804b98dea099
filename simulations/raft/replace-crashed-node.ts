import { defineScenario } from '@dsim/core';
import { invariants, membershipReach } from '@dsim/raft';

/**
 * Replacing a crashed server with joint consensus (dissertation §4.3; etcd ConfChangeV2). n3 of
 * the voters n1-n3 crashes at 1 s and does not come back; n4 is a spare outside the
 * configuration. At 2 s an operator asks for n3 out and n4 in as one change: the leader enters
 * the joint configuration C_old,new = {n1,n2,n4} & {n1,n2,n3}, where every decision needs a
 * majority of both halves (n1 and n2 serve both, so the cluster keeps committing without n3).
 * Once that entry commits the leader leaves the joint configuration on its own (etcd AutoLeave),
 * and {n1,n2,n4} remains.
 */
export default defineScenario({
  name: 'raft-replace-crashed-node',
  description: 'A crashed voter is replaced by a spare in one joint-consensus change, left automatically.',
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
    options: {
      membership: [
        {
          at: '2s',
          change: {
            joint: true,
            steps: [
              { type: 'remove', node: 'n3' },
              { type: 'addVoter', node: 'n4' },
            ],
          },
        },
      ],
    },
  },
  faults: [{ at: '1s', fault: { type: 'crash', node: 'n3' } }],
  invariants: [...invariants, membershipReach.jointEntered, membershipReach.voterAdded, membershipReach.voterRemoved],
});
