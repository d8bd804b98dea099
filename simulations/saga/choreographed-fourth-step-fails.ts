import { defineScenario } from '@dsim/core';
import fourthStepFails from './fourth-step-fails.ts';

/**
 * saga-fourth-step-fails, choreographed: no coordinator runs the steps. c logs the saga and hands
 * step 1 to p1; each participant runs its step and publishes the next event itself (p1 → p2 → p3 →
 * p2). Step 4 fails at p2, which compensates it (empty) and publishes "undo step 3" to p3, p3 to p2,
 * p2 to p1, and p1 tells c the saga is compensated. Every event waits in its publisher's durable
 * outbox until acknowledged, so the order and the outcome match the orchestrated run.
 */
export default defineScenario({
  ...fourthStepFails,
  name: 'saga-choreographed-fourth-step-fails',
  description: 'Choreographed saga: the fourth step fails; the participants pass the compensations back 3, 2, 1',
  config: { style: 'choreographed' },
});
