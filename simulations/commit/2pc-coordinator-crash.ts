import { participantBlocked, terminationProtocolRan } from '@dsim/commit';
import { defineScenario } from '@dsim/core';

/**
 * SPECS §3.1, blocking scenario (a). The coordinator c sends PREPARE for tx=1 to p1, p2, p3; all
 * three force-log PREPARED and vote YES; c crashes at 8 ms, just before the last vote arrives,
 * with no decision on disk. The participants time out, ask each other and c, find everyone
 * READY and block, holding their locks, until c restarts at 3 s, presumes abort and tells them.
 * The client cannot know the outcome: its request ends `info`. Transfers after the restart go through.
 *
 * Timing: constant 2 ms links and a 1 ms fan-out gap, so PREPAREs arrive at 4/5/6 ms and votes at 6/7/8 ms.
 */
export default defineScenario({
  name: '2pc-coordinator-crash',
  description: '2PC: all voted YES, the coordinator dies before deciding; participants block until it returns',
  protocol: '2pc',
  nodes: ['c', 'p1', 'p2', 'p3'],
  seed: 1,
  until: '5s',
  network: { latency: '2ms', clientLatency: '2ms' },
  workload: {
    name: 'scripted',
    clients: 1,
    timeout: '1s',
    options: {
      transfers: [
        { from: 'p1/a0', to: 'p2/a0', amount: 10, fee: 1, feeTo: 'p3/a0' },
        { from: 'p2/a1', to: 'p3/a1', amount: 5, fee: 1, feeTo: 'p1/a1' },
        { from: 'p3/a2', to: 'p1/a2', amount: 7, fee: 1, feeTo: 'p2/a2' },
        { from: 'p1/a0', to: 'p2/a0', amount: 20, fee: 1, feeTo: 'p3/a0' },
      ],
    },
  },
  faults: [
    { at: '8ms', fault: { type: 'crash', node: 'c' } },
    { at: '3s', fault: { type: 'restart', node: 'c' } },
  ],
  invariants: ['atomicity', 'validity', 'no-overdraft', 'money-conserved', 'resolved-after-heal', participantBlocked, terminationProtocolRan],
});
