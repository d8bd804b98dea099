import { defineScenario } from '@dsim/core';
import { fuzzyRead } from '@dsim/saga-tcc';

/**
 * The fuzzy-read sagas with the countermeasure `reread-value`: g=1's second read carries the value
 * it read first; p2 finds it changed and fails the step, so g=1 compensates instead of going on
 * with two different views of the account.
 */
export default defineScenario({
  name: 'saga-fuzzy-read-reread',
  description: 'Saga isolation: rereading the value turns a fuzzy read into a compensated saga',
  protocol: 'saga',
  ...fuzzyRead,
  config: { countermeasures: ['reread-value'] },
});
