import { defineScenario } from '@dsim/core';
import { lostUpdate } from '@dsim/saga-tcc';

/**
 * The lost-update sagas with the countermeasure `commutative-updates`: each `set` is applied as an
 * increment of its delta, so the two deposits commute and p2/a0 ends at 130.
 */
export default defineScenario({
  name: 'saga-lost-update-commutative',
  description: 'Saga isolation: commutative updates keep both deposits',
  protocol: 'saga',
  ...lostUpdate,
  config: { countermeasures: ['commutative-updates'] },
});
