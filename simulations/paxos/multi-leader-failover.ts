import { defineScenario } from '@dsim/core';
import { slotRecovered } from '@dsim/paxos';

/**
 * Multi-Paxos leader failover with slots in flight: five replicas, clients writing and reading
 * under load. n5, the leader elected first with this seed, crashes at 3 s in the middle of phase 2
 * for several slots; the failure detector of another replica fires, it runs phase 1 once for every
 * slot from its first unchosen one, re-proposes what the promises report accepted there
 * ('slot-recovered') and fills gaps with no-ops, then serves clients. n5 restarts at 6 s from
 * stable storage and catches up.
 */
export default defineScenario({
  name: 'multipaxos-leader-failover',
  description: 'The leader crashes with slots in flight; a new leader recovers them and the old one catches up.',
  protocol: 'multipaxos',
  nodes: 5,
  seed: 1,
  until: '10s',
  workload: { name: 'kv', clients: 3, thinkTime: '20ms', timeout: '1s', stopAt: '9s' },
  faults: [
    { at: '3s', fault: { type: 'crash', node: 'n5' } },
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
  ],
});
