import { defineScenario } from '@dsim/core';

/**
 * `acceptorForgetsPromiseOnRestart` in Multi-Paxos. n5 leads (the first leader with this seed) and
 * is cut off at 2 s; the other four elect a higher ballot (n2's) and n1 promises it. At 3.5 s n1
 * crashes; at 3.55 s the partition changes to {n1, n5} | {n2, n3, n4}, and at 3.6 s n1 restarts
 * without reading its promise back from storage (so no Accept of n2 renews it). The deposed n5 still believes it leads and re-sends
 * its unanswered Accepts every heartbeat, and the restarted n1, which promised nothing as far as it
 * knows, accepts them under n5's lower ballot. 'promise-kept' catches it (an acceptor accepted
 * below a ballot it promised); without the switch n1 NACKs them and n5 steps down.
 */
export default defineScenario({
  name: 'multipaxos-forgets-promise',
  description:
    'A restarted acceptor forgets its promise to the new leader and accepts the deposed leader’s re-sent Accepts (bug switch).',
  protocol: 'multipaxos',
  nodes: 5,
  seed: 1,
  until: '8s',
  bugs: ['acceptorForgetsPromiseOnRestart'],
  workload: { name: 'kv', clients: 3, thinkTime: '20ms', timeout: '500ms', stopAt: '7s' },
  faults: [
    { at: '2s', fault: { type: 'isolate', node: 'n5' } },
    { at: '3500ms', fault: { type: 'crash', node: 'n1' } },
    {
      at: '3550ms',
      fault: {
        type: 'partition',
        groups: [
          ['n1', 'n5'],
          ['n2', 'n3', 'n4'],
        ],
      },
    },
    { at: '3600ms', fault: { type: 'restart', node: 'n1' } },
    { at: '5s', fault: { type: 'heal' } },
  ],
  invariants: ['agreement', 'validity', 'integrity', 'promise-kept', 'linearizable-kv', 'progress-after-heal'],
});
