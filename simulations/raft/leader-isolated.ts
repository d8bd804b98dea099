import { defineScenario } from '@dsim/core';

/**
 * The leader ends up alone in a minority (SPECS.md §5.5). n1 leads term 1, then a partition
 * cuts it off from the four others for 5 s. Client c1 keeps talking to n1 the whole time.
 * - n1 cannot commit anything: its quorum is gone. Writes it accepted before it noticed end
 *   `unknown` when it steps down (CheckQuorum, after about one election timeout).
 * - No stale reads: reads go through ReadIndex, which needs a quorum's heartbeat answers, so n1
 *   never answers a read from its stale state; linearizability of the history checks it.
 * - The majority elects a new leader and keeps serving c2 and c3.
 * After the heal n1 rejoins as a follower without disrupting the new leader (PreVote).
 */
export default defineScenario({
  name: 'raft-leader-isolated',
  description: 'The leader is partitioned into a minority: it cannot commit, steps down, and serves no stale reads.',
  protocol: 'raft',
  nodes: 5,
  seed: 2,
  until: '12s',
  config: { nodeElectionTimeoutMicros: { n1: 100_000 }, readMode: 'readIndex' },
  workload: {
    name: 'kv',
    clients: 3,
    thinkTime: '20ms',
    timeout: '500ms',
    stopAt: '11s',
    options: { keys: 2, pin: { c1: 'n1' } },
  },
  faults: [
    { at: '3s', fault: { type: 'partition', groups: [['n1'], ['n2', 'n3', 'n4', 'n5']] } },
    { at: '8s', fault: { type: 'heal' } },
  ],
});
