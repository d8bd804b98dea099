import { defineScenario } from '@dsim/core';
import { emptyRollbackReached, suspendedTryRefused } from '@dsim/saga-tcc';
import { SAGA_SAFETY, scriptedSites } from '@dsim/saga-tcc';

/**
 * Forward, then backward recovery, and the barrier against empty and late compensation (SPECS §2.6).
 * Step 1 of the saga leaves c at 2 ms into a 500 ms slowdown (1–250 ms); c hears nothing, retries the
 * step at 102 and 202 ms (forward recovery), then gives up at 302 ms: the step's result is unknown, so
 * it is compensated (DTM assumes a started action succeeded). The compensation reaches p1 at 304 ms,
 * before any copy of the action: an empty compensation. The three copies of the action arrive from
 * 502 ms on and are refused. Nothing moved; the second saga goes through.
 */
export default defineScenario({
  name: 'saga-late-action-suspended',
  description: 'Saga: an unknown step is retried, then compensated before it arrives; the late action is refused',
  protocol: 'saga',
  ...scriptedSites([
    { from: 'p1/a0', to: 'p2/a0', amount: 10, fee: 1, feeTo: 'p3/a0' },
    { from: 'p2/a1', to: 'p3/a1', amount: 5, fee: 1, feeTo: 'p1/a1' },
  ]),
  faults: [
    { at: '1ms', fault: { type: 'slow', latency: { dist: 'constant', micros: 500_000 } } },
    { at: '250ms', fault: { type: 'heal' } },
  ],
  invariants: [...SAGA_SAFETY, emptyRollbackReached, suspendedTryRefused],
});
