import { defineScenario } from '@dsim/core';
import { lostUpdate } from '@dsim/saga-tcc';

/**
 * Two sagas deposit into p2/a0 by read-modify-write (see anomalies.ts): both read 100, and the
 * second write overwrites the first: 'no-lost-update' fails. Run with `--expect-violation`; the fix
 * is saga-lost-update-commutative.
 */
export default defineScenario({
  name: 'saga-lost-update',
  description: 'Saga isolation: a lost update on a shared account (violation expected)',
  protocol: 'saga',
  ...lostUpdate,
});
