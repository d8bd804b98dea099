import { defineScenario } from '@dsim/core';
import { noopFilled, slotRecovered } from '@dsim/paxos';

/**
 * A gap filled with a no-op. Four clients keep the leader (n5 with this seed) a few slots ahead;
 * for the last 30 ms before it crashes at 3 s, 60% of messages are lost, so some Accepts reach
 * acceptors for a slot and not for the one before it. The next leader's phase 1 learns of accepted
 * values above a slot nobody in its quorum accepted: it re-proposes those values ('slot-recovered')
 * and fills the gap with a no-op ('noop-filled', "Paxos Made Simple" §3) so execution in slot order
 * can go on. The client whose command was lost hears nothing and times out (unknown).
 */
export default defineScenario({
  name: 'multipaxos-noop-fill',
  description: 'Lost Accepts and a leader crash leave a gap; the next leader fills it with a no-op.',
  protocol: 'multipaxos',
  nodes: 5,
  seed: 8,
  until: '8s',
  workload: { name: 'kv', clients: 4, thinkTime: '5ms', timeout: '1s', stopAt: '7s' },
  faults: [
    { at: '2970ms', fault: { type: 'loss', probability: 0.6 } },
    { at: '3s', fault: { type: 'crash', node: 'n5' } },
    { at: '3001ms', fault: { type: 'heal' } },
    { at: '6s', fault: { type: 'restart', node: 'n5' } },
  ],
  invariants: [
    'agreement',
    'validity',
    'integrity',
    'promise-kept',
    'linearizable-kv',
    'progress-after-heal',
    slotRecovered,
    noopFilled,
  ],
});
