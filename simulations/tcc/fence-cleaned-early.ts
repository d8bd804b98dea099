import { defineScenario } from '@dsim/core';
import { ONE_TRANSFER, SECOND_TRANSFER, TCC_SAFETY, scriptedSites } from '@dsim/saga-tcc';

/**
 * SPECS §7.2, the fence clean-up race, with the bug switch `fenceCleanedEarly` on: the schedule of
 * tcc-late-try-suspended (Tries delayed 500 ms past a 200 ms global timeout), but the participants
 * delete a finished branch's barrier rows at once. The empty rollbacks at 204 ms leave rows that are
 * gone by the time the Tries arrive at 502 ms; the Tries find nothing and freeze money after their
 * transaction ended. 'compensation' reports try-after-cancel. Run with `--expect-violation`.
 */
export default defineScenario({
  name: 'tcc-fence-cleaned-early',
  description:
    'TCC with fenceCleanedEarly: barrier rows deleted before a very late Try arrives; the Try runs (violation expected)',
  protocol: 'tcc',
  bugs: ['fenceCleanedEarly'],
  ...scriptedSites([ONE_TRANSFER, SECOND_TRANSFER]),
  faults: [
    { at: '1ms', fault: { type: 'slow', latency: { dist: 'constant', micros: 500_000 } } },
    { at: '3ms', fault: { type: 'heal' } },
  ],
  invariants: [...TCC_SAFETY],
});
