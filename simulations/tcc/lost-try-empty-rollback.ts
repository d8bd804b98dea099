import { defineScenario } from '@dsim/core';
import { compensatedAfterPartialSuccess, emptyRollbackReached } from '@dsim/saga-tcc';
import { ONE_TRANSFER, SECOND_TRANSFER, TCC_SAFETY, scriptedSites } from '@dsim/saga-tcc';

/**
 * SPECS §2.2, empty rollback. A one-way cut from c to p2 (1–3 ms) drops g=1's Try to p2. p1 and p3
 * freeze; p2 never answers, so the global timeout cancels at 202 ms. p1 and p3 release their freezes
 * (a real Cancel); p2 finds no Try row and does an empty rollback: it changes nothing, records the
 * Try row so a Try arriving later would be refused, and still answers success so the rollback ends.
 */
export default defineScenario({
  name: 'tcc-lost-try-empty-rollback',
  description: 'TCC: a lost Try, then Cancel: p2 does an empty rollback while p1 and p3 release their freezes',
  protocol: 'tcc',
  ...scriptedSites([ONE_TRANSFER, SECOND_TRANSFER]),
  faults: [
    { at: '1ms', fault: { type: 'cut', from: ['c'], to: ['p2'] } },
    { at: '3ms', fault: { type: 'heal' } },
  ],
  invariants: [...TCC_SAFETY, emptyRollbackReached, compensatedAfterPartialSuccess],
});
