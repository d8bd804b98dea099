import { defineScenario } from '@dsim/core';
import { dirtyRead } from '@dsim/saga-tcc';

/**
 * The dirty-read sagas with the countermeasure `semantic-lock`: g=1's credit marks p2/a0 pending
 * until g=1 ends, so g=2's read at 8 ms fails ('locked') and g=2 compensates its first step instead
 * of acting on money that is about to be taken back.
 */
export default defineScenario({
  name: 'saga-dirty-read-semantic-lock',
  description: 'Saga isolation: a semantic lock makes the second saga fail instead of reading a dirty value',
  protocol: 'saga',
  ...dirtyRead,
  config: { countermeasures: ['semantic-lock'] },
});
