import { defineScenario } from '@dsim/core';
import { singleDecreeScenario } from '@dsim/paxos';

/**
 * The classic agreement violation, found by the property runner (simulations/paxos/catch-bugs.ts,
 * hunt paxos:proposerIgnoresAcceptedValues: caught on its first run, shrunk to no fault at all) and
 * kept as a scenario: with `proposerIgnoresAcceptedValues` a proposer whose promises report an
 * accepted value still sends its own in phase 2, and a majority accepts it after another value was
 * already chosen. Run it with --expect-violation: 'agreement' names the two values and their numbers.
 */
export default defineScenario({
  ...singleDecreeScenario({ bugs: ['proposerIgnoresAcceptedValues'], kinds: [], seed: 19 }),
  name: 'paxos-ignores-accepted-values',
  description:
    'Bug switch proposerIgnoresAcceptedValues: a later proposer overwrites a chosen value; agreement is violated.',
});
