import { defineScenario } from '@dsim/core';
import { fuzzyRead } from '@dsim/saga-tcc';

/**
 * g=1 reads p2/a0 twice and sees two values, because g=2 paid into it in between (see
 * anomalies.ts): 'no-fuzzy-read' fails. Run with `--expect-violation`; the fix is saga-fuzzy-read-reread.
 */
export default defineScenario({
  name: 'saga-fuzzy-read',
  description: 'Saga isolation: a fuzzy (non-repeatable) read (violation expected)',
  protocol: 'saga',
  ...fuzzyRead,
});
