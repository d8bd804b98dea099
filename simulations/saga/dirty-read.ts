import { defineScenario } from '@dsim/core';
import { dirtyRead } from '@dsim/saga-tcc';

/**
 * g=2 reads p2/a0 while it holds g=1's credit, which g=1 then compensates (see anomalies.ts):
 * 'no-dirty-read' fails. Run with `--expect-violation`; the fix is saga-dirty-read-semantic-lock.
 */
export default defineScenario({
  name: 'saga-dirty-read',
  description: 'Saga isolation: a dirty read of a value later compensated (violation expected)',
  protocol: 'saga',
  ...dirtyRead,
});
