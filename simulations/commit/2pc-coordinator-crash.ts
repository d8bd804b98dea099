import {
  participantBlocked,
  terminationProtocolRan,
  FOUR_TRANSFERS,
  SAFETY_INVARIANTS,
  scriptedSites,
} from '@dsim/commit';
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
  ...scriptedSites(FOUR_TRANSFERS),
  faults: [
    { at: '8ms', fault: { type: 'crash', node: 'c' } },
    { at: '3s', fault: { type: 'restart', node: 'c' } },
  ],
  invariants: [...SAFETY_INVARIANTS, 'resolved-after-heal', participantBlocked, terminationProtocolRan],
});
