import type { Hunt } from '@dsim/property';
import { ALL_KINDS, transfersScenario } from './families.ts';

const healAt = '10s';

function bugHunt(protocol: '2pc' | '3pc', bug: string, kinds: Hunt['faults']['kinds']): Hunt {
  return {
    id: `${protocol}:${bug}`,
    bug,
    name: `${protocol} bug ${bug}`,
    scenario: transfersScenario({
      protocol,
      ...(protocol === '3pc' ? { variant: 'skeen' as const } : {}),
      bugs: [bug],
      kinds: [],
    }),
    faults: { kinds, maxFaults: 5, healAt },
  };
}

/**
 * The property-run hunts, shared by the package's property tests and the bug-hunt experiment: one
 * per bug switch, in a fault space where the correct protocol is safe (all kinds for 2PC,
 * crash-only for Skeen's 3PC, whose correctness assumes no partitions, loss or false suspicion),
 * plus the 3PC partition counterexample.
 */
export const bugHunts: readonly Hunt[] = [
  bugHunt('2pc', 'participantCommitsOnTimeout', ALL_KINDS),
  bugHunt('2pc', 'coordinatorForgetsDecision', ALL_KINDS),
  bugHunt('3pc', 'skipPreCommit', ['crash']),
  bugHunt('3pc', 'terminationIgnoresCommittable', ['crash']),
  bugHunt('3pc', 'recoveryPresumesAbort', ['crash']),
  {
    id: '3pc-partition',
    name: '3pc skeen partition',
    scenario: transfersScenario({ protocol: '3pc', variant: 'skeen', kinds: [] }),
    faults: { kinds: ['partition'], maxFaults: 5, healAt },
  },
];
