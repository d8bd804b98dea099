import { defineScenario } from '@dsim/core';
import { snapshotInstalled } from '@dsim/raft';

/**
 * A follower falls so far behind that the entries it needs were compacted away (paper §7).
 * Snapshots are taken every 50 applied entries. n5 is cut off for 3 s while clients write about
 * 100 entries a second; when it comes back, the leader's log starts after its snapshot, so the
 * leader sends InstallSnapshot, n5 replaces its state machine with the snapshot and continues from
 * the log. The `snapshot-installed` check proves the run got there.
 */
export default defineScenario({
  name: 'raft-snapshot-catch-up',
  description:
    'A partitioned follower misses more than a snapshot interval of entries and catches up with InstallSnapshot.',
  protocol: 'raft',
  nodes: 5,
  seed: 4,
  until: '8s',
  config: { nodeElectionTimeoutMicros: { n1: 100_000 }, snapshotThresholdEntries: 50 },
  workload: {
    name: 'kv',
    clients: 4,
    thinkTime: '20ms',
    timeout: '1s',
    stopAt: '7s',
    options: { mix: { get: 1, put: 2, append: 2, cas: 0 } },
  },
  faults: [
    { at: '2s', fault: { type: 'isolate', node: 'n5' } },
    { at: '5s', fault: { type: 'heal' } },
  ],
  invariants: [
    'election-safety',
    'leader-append-only',
    'log-matching',
    'leader-completeness',
    'state-machine-safety',
    'linearizable-kv',
    'leader-after-heal',
    'progress-after-heal',
    snapshotInstalled,
  ],
});
