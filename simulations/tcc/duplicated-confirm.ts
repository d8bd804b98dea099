import { defineScenario } from '@dsim/core';
import { phaseTwoRetried, transactionCommitted } from '@dsim/saga-tcc';
import { ONE_TRANSFER, TCC_SAFETY, scriptedSites } from '@dsim/saga-tcc';

/**
 * SPECS §2.2, idempotency. g=1's Tries succeed and c sends the Confirms at 6 ms into a network that
 * duplicates every message (5–150 ms), while p1's acknowledgements are cut (one-way p1 → c, 7–150 ms). Every
 * participant receives each Confirm twice, and c retries p1's Confirm at 106 ms (again twice) until an
 * ack gets through after the heal. The barrier's Confirm row turns every repeat into a no-op: p1 is
 * debited once. With `confirmNotIdempotent` or `noBarrier`, p1 pays three times.
 */
export default defineScenario({
  name: 'tcc-duplicated-confirm',
  description: 'TCC: duplicated and retried Confirms; the barrier applies each once',
  protocol: 'tcc',
  ...scriptedSites([ONE_TRANSFER]),
  faults: [
    { at: '5ms', fault: { type: 'duplicate', probability: 1 } },
    { at: '7ms', fault: { type: 'cut', from: ['p1'], to: ['c'] } },
    { at: '150ms', fault: { type: 'heal' } },
  ],
  invariants: [...TCC_SAFETY, phaseTwoRetried, transactionCommitted],
});
