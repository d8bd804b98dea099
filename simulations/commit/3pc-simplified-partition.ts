import { defineScenario } from '@dsim/core';
import { ONE_TRANSFER, SAFETY_INVARIANTS, scriptedSites } from '@dsim/commit';

/**
 * SPECS §3.3, schedule B, on the simplified default-action 3PC. c's PRE-COMMIT reaches p1 only
 * (the split at 10.5 ms cuts p2 and p3 off). c times out on the missing ACKs and aborts (the
 * simplified rule), but by then p1 is cut off from c too (a second split at 50 ms), so p1 never hears
 * the ABORT, times out COMMITTABLE and commits by default. **Expected to end in an 'atomicity' violation.**
 */
export default defineScenario({
  name: '3pc-simplified-partition',
  description:
    "Simplified 3PC: c aborts on ACK timeout while a cut-off p1 commits on its timeout (expected 'atomicity' violation)",
  protocol: '3pc',
  ...scriptedSites(ONE_TRANSFER),
  config: { variant: 'simplified' },
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
    { at: '50ms', fault: { type: 'partition', groups: [['c'], ['p1'], ['p2', 'p3']] } },
    { at: '2s', fault: { type: 'heal' } },
  ],
  invariants: [...SAFETY_INVARIANTS],
});
