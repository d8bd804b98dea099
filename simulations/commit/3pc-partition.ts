import { terminationProtocolRan, ONE_TRANSFER, SAFETY_INVARIANTS, scriptedSites } from '@dsim/commit';
import { defineScenario } from '@dsim/core';

/**
 * SPECS §3.3, schedule A: the partition after PRE-COMMIT that splits Skeen's 3PC. Everyone votes
 * YES; c's PRE-COMMIT reaches p1 (10 ms), then the network splits into {c, p1} | {p2, p3} at
 * 10.5 ms, before p2's and p3's copies land. c times out on their ACKs, takes them for crashed and
 * commits; p1 commits. p2 and p3 time out UNCERTAIN, elect p2, find everyone reachable uncertain
 * and abort by TR3. **This scenario is expected to end in an 'atomicity' violation**: a timeout
 * cannot tell "crashed" from "partitioned".
 */
export default defineScenario({
  name: '3pc-partition',
  description:
    "3PC (Skeen): partition after PRE-COMMIT; one side commits, the other aborts (expected 'atomicity' violation)",
  protocol: '3pc',
  ...scriptedSites(ONE_TRANSFER),
  config: { variant: 'skeen' },
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
  invariants: [...SAFETY_INVARIANTS, terminationProtocolRan],
});
