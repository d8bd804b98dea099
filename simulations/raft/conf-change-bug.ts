import { defineScenario } from '@dsim/core';
import { invariants } from '@dsim/raft';

/**
 * Two configuration changes at once (the bug switch `concurrentConfChanges`), and the disjoint
 * majorities the dissertation's §4.1 warns of. The voters are n1-n3; n4 and n5 are spares. At
 * 1 s a partition cuts {n1, n4, n5} from {n2, n3}, and right after two operators ask n1 to add n5
 * and to add n4. A correct leader takes the first and refuses the second until the first commits (it
 * cannot: {n1..n4} needs three of four). With the bug n1 takes both, uses {n1..n5}, and commits
 * with n1, n4 and n5, a majority of five, while n2 and n3, still on {n1,n2,n3}, elect n2 with a
 * majority of three. Two leaders commit different entries at the same indexes:
 * 'one-uncommitted-conf-change' flags the second change, then 'leader-completeness' and
 * 'state-machine-safety' show the damage. CheckQuorum is off so that n1 is not deposed while it
 * waits alone on {n1,n2,n3} for the changes.
 */
export default defineScenario({
  name: 'raft-conf-change-bug',
  description: 'concurrentConfChanges: two uncommitted changes give two disjoint majorities, and two leaders commit.',
  protocol: 'raft',
  nodes: 5,
  seed: 1,
  until: '1.5s',
  bugs: ['concurrentConfChanges'],
  stopOnViolation: false,
  config: { initialVoters: ['n1', 'n2', 'n3'], checkQuorum: false, nodeElectionTimeoutMicros: { n1: 100_000 } },
  workload: {
    name: 'kv',
    clients: 3,
    thinkTime: '20ms',
    timeout: '500ms',
    stopAt: '1.5s',
    options: {
      membership: [
        { at: '1001ms', change: { steps: [{ type: 'addVoter', node: 'n4' }] } },
        { at: '1001ms', change: { steps: [{ type: 'addVoter', node: 'n5' }] } },
      ],
    },
  },
  faults: [
    {
      at: '1s',
      fault: {
        type: 'partition',
        groups: [
          ['n1', 'n4', 'n5'],
          ['n2', 'n3'],
        ],
      },
    },
  ],
  invariants: invariants.filter((invariant) => invariant.kind === 'always'),
});
