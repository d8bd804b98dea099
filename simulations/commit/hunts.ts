import type { SimulationPropertyOptions } from '@dsim/property';
import { ALL_KINDS, commitSweepScenario } from './base.ts';

/**
 * The property-run hunts shared by catch-bugs.ts and the package's property tests: one per bug
 * switch, plus the 3PC partition counterexample. Not a scenario file.
 */
export interface CommitHunt {
  readonly id: string;
  readonly options: Omit<SimulationPropertyOptions, 'numRuns'>;
}

const healAt = '10s';

function bugHunt(
  protocol: '2pc' | '3pc',
  bug: string,
  kinds: SimulationPropertyOptions['faults']['kinds'],
): CommitHunt {
  return {
    id: bug === '' ? protocol : `${protocol}:${bug}`,
    options: {
      name: `${protocol} bug ${bug}`,
      scenario: commitSweepScenario({
        protocol,
        ...(protocol === '3pc' ? { variant: 'skeen' as const } : {}),
        bugs: [bug],
        kinds: [],
      }),
      faults: { kinds, maxFaults: 5, healAt },
    },
  };
}

export const commitHunts: CommitHunt[] = [
  bugHunt('2pc', 'participantCommitsOnTimeout', ALL_KINDS),
  bugHunt('2pc', 'coordinatorForgetsDecision', ALL_KINDS),
  bugHunt('3pc', 'skipPreCommit', ['crash']),
  bugHunt('3pc', 'terminationIgnoresCommittable', ['crash']),
  bugHunt('3pc', 'recoveryPresumesAbort', ['crash']),
  {
    id: '3pc-partition',
    options: {
      name: '3pc skeen partition',
      scenario: commitSweepScenario({ protocol: '3pc', variant: 'skeen', kinds: [] }),
      faults: { kinds: ['partition'], maxFaults: 5, healAt },
    },
  },
];
