import { defineScenario } from '@dsim/core';
import { multiNackReceived } from '@dsim/paxos';

/**
 * A partitioned old leader. n5 leads (the first leader with this seed); at 2 s it is cut off from
 * the other four. Its Accepts reach nobody, so nothing it proposes is chosen and its clients time
 * out (unknown outcomes). The majority side suspects it, elects a leader with a higher ballot,
 * recovers the slots n5 left in flight and serves clients (n2 with this seed). At 4 s the partition
 * heals except for n2's messages to n5, so n5 does not hear of the new ballot from its leader: its
 * own heartbeats meet the higher promise at the others and come back as NACKs, and it steps down
 * ('nack-received'); at 4.5 s everything heals and it catches up. Linearizability of the whole
 * client history is checked at the end.
 */
export default defineScenario({
  name: 'multipaxos-partitioned-leader',
  description:
    'The leader is cut off: the majority elects a higher ballot; after the heal the old leader is NACKed and steps down.',
  protocol: 'multipaxos',
  nodes: 5,
  seed: 1,
  until: '8s',
  workload: { name: 'kv', clients: 3, thinkTime: '20ms', timeout: '500ms', stopAt: '7s' },
  faults: [
    { at: '2s', fault: { type: 'isolate', node: 'n5' } },
    { at: '4s', fault: { type: 'cut', from: ['n2'], to: ['n5'] } },
    { at: '4500ms', fault: { type: 'heal' } },
  ],
  invariants: [
    'agreement',
    'validity',
    'integrity',
    'promise-kept',
    'linearizable-kv',
    'progress-after-heal',
    multiNackReceived,
  ],
});
