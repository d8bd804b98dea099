import { defineScenario } from '@dsim/core';
import { compensatedAfterPartialSuccess } from '@dsim/saga-tcc';
import { SAGA_SAFETY, scriptedSites } from '@dsim/saga-tcc';

/**
 * Garcia-Molina & Salem: a saga T1 T2 T3 T4 whose T4 fails runs C3 C2 C1. Step 1 debits p1/a0 by 30,
 * step 2 credits p2/a0 with 20, step 3 credits p3/a0 with 10, step 4 debits p2/a1 by 150 (it holds
 * 100: FAILURE). Each step commits locally at once. Step 4 changed nothing; it still gets an empty
 * compensation first, as in DTM, whose barrier row refuses any retried copy of step 4 still in
 * flight. Then steps 3, 2 and 1 are compensated in that order, each acknowledged before the next.
 * The second saga (a plain transfer) then runs all its steps.
 */
export default defineScenario({
  name: 'saga-fourth-step-fails',
  description:
    'Saga: the fourth step fails; steps 3, 2, 1 are compensated in reverse order (step 4 by an empty compensation)',
  protocol: 'saga',
  ...scriptedSites([
    {
      steps: [
        { account: 'p1/a0', delta: -30 },
        { account: 'p2/a0', delta: 20 },
        { account: 'p3/a0', delta: 10 },
        { account: 'p2/a1', delta: -150 },
      ],
    },
    { from: 'p2/a1', to: 'p3/a1', amount: 5, fee: 1, feeTo: 'p1/a1' },
  ]),
  invariants: [...SAGA_SAFETY, compensatedAfterPartialSuccess],
});
