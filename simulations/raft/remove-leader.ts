import { defineScenario } from '@dsim/core';
import { invariants, membershipReach } from '@dsim/raft';

/**
 * Removing the leader (dissertation §4.2.2). n1 leads five servers; at 2 s an operator asks it to
 * remove n1 itself. The leader appends {n2..n5} and from then on replicates without counting
 * itself: the entry commits when three of n2..n5 hold it. Once it commits, n1 steps down, and as
 * it is no longer a voter it never campaigns again; n2..n5 time out and elect a leader among
 * themselves, which clients find by redirects and retries.
 */
export default defineScenario({
  name: 'raft-remove-leader',
  description: 'The leader removes itself; it steps down once the change commits, and the rest elect a new leader.',
  protocol: 'raft',
  nodes: 5,
  seed: 1,
  until: '6s',
  config: { nodeElectionTimeoutMicros: { n1: 100_000 } },
  workload: {
    name: 'kv',
    clients: 3,
    thinkTime: '20ms',
    timeout: '1s',
    stopAt: '5s',
    options: { membership: [{ at: '2s', change: { steps: [{ type: 'remove', node: 'n1' }] } }] },
  },
  invariants: [...invariants, membershipReach.voterRemoved, membershipReach.removedLeaderSteppedDown],
});
