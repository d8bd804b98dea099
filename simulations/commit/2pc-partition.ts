import {
  participantBlocked,
  terminationProtocolRan,
  ONE_TRANSFER,
  SAFETY_INVARIANTS,
  scriptedSites,
} from '@dsim/commit';
import { defineScenario } from '@dsim/core';

/**
 * The partition of 3pc-partition, under 2PC: c has every YES at 8 ms, forces COMMIT and sends it
 * to p1 (arrives 10 ms); the split at 10.5 ms drops the copies to p2 and p3. They time out READY,
 * ask everyone they can reach (each other: READY) and block, holding their locks, until the heal at
 * 2 s lets c's resend or p1's report through. Blocked, but atomic.
 */
export default defineScenario({
  name: '2pc-partition',
  description: '2PC: the same partition; p2 and p3 block until the heal, and everyone commits',
  protocol: '2pc',
  ...scriptedSites(ONE_TRANSFER),
  faults: [
    {
      at: '10500us',
      fault: {
        type: 'partition',
        groups: [
          ['c', 'p1'],
          ['p2', 'p3'],
        ],
      },
    },
    { at: '2s', fault: { type: 'heal' } },
  ],
  invariants: [...SAFETY_INVARIANTS, 'resolved-after-heal', participantBlocked, terminationProtocolRan],
});
