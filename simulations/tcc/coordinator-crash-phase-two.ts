import { defineScenario } from '@dsim/core';
import { phaseTwoRetried, transactionCommitted } from '@dsim/saga-tcc';
import { ONE_TRANSFER, SECOND_TRANSFER, TCC_SAFETY, scriptedSites } from '@dsim/saga-tcc';

/**
 * A coordinator crash in phase 2. g=1's Tries succeed; c forces "confirming" to its log and sends the
 * Confirms at 6 ms, then crashes at 7 ms (losing unsynced writes: there are none). The participants
 * confirm at 8 ms and their acks are dropped. c restarts at 1 s, reads its log, and resumes phase 2:
 * the repeated Confirms are answered as duplicates and g=1 ends confirmed. Unlike 2PC's blocked
 * participants, nobody waited holding anything: each branch had already confirmed locally.
 * The first request ends ok (answered at the decision, before the crash); the second reaches c while
 * it is down and ends unknown.
 */
export default defineScenario({
  name: 'tcc-coordinator-crash-phase-two',
  description: 'TCC: the coordinator crashes after sending Confirm; after its restart it resumes phase 2 from its log',
  protocol: 'tcc',
  ...scriptedSites([ONE_TRANSFER, SECOND_TRANSFER]),
  faults: [
    { at: '7ms', fault: { type: 'crash', node: 'c', loseUnsyncedWrites: true } },
    { at: '1s', fault: { type: 'restart', node: 'c' } },
  ],
  invariants: [...TCC_SAFETY, phaseTwoRetried, transactionCommitted],
});
