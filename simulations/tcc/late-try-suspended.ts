import { defineScenario } from '@dsim/core';
import { emptyRollbackReached, suspendedTryRefused } from '@dsim/saga-tcc';
import { ONE_TRANSFER, SECOND_TRANSFER, TCC_SAFETY, scriptedSites } from '@dsim/saga-tcc';

/**
 * SPECS §2.2, suspension. The Tries of g=1 leave c at 2 ms into a 500 ms network slowdown (1–3 ms).
 * The global timeout (200 ms) fires first: c cancels, and the Cancels, sent after the slowdown, reach
 * every participant at 204 ms, before their Tries: three empty rollbacks, each leaving the Try row
 * behind. The Tries arrive at 502 ms and the barrier refuses them (suspension blocked), so nothing
 * stays frozen. The second transfer confirms normally. With `tryAfterCancelAllowed` or `noBarrier`
 * the late Tries freeze money nobody will release.
 */
export default defineScenario({
  name: 'tcc-late-try-suspended',
  description:
    'TCC: Tries delayed past the global timeout arrive after their Cancel: empty rollbacks, then refused late Tries',
  protocol: 'tcc',
  ...scriptedSites([ONE_TRANSFER, SECOND_TRANSFER]),
  faults: [
    { at: '1ms', fault: { type: 'slow', latency: { dist: 'constant', micros: 500_000 } } },
    { at: '3ms', fault: { type: 'heal' } },
  ],
  invariants: [...TCC_SAFETY, emptyRollbackReached, suspendedTryRefused],
});
