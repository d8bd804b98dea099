import type { SimulationPropertyOptions } from '@dsim/property';
import { multiPaxosScenario, singleDecreeScenario } from './families.ts';

/**
 * The property-run hunts shared by catch-bugs.ts and the package's property tests: the correct
 * protocols under generated faults, and one hunt per bug switch. Not a scenario file.
 */
export interface PaxosHunt {
  readonly id: string;
  readonly options: Omit<SimulationPropertyOptions, 'numRuns'>;
}

/** Faults for single-decree runs: short episodes early, where the decision is made, then a heal at 3 s. */
export const singleDecreeFaults: SimulationPropertyOptions['faults'] = {
  kinds: ['partition', 'crash', 'pause', 'loss', 'duplicate'],
  maxFaults: 5,
  healAt: '3s',
  from: '5ms',
  minDuration: '10ms',
  maxDuration: '1500ms',
};

function singleDecreeHunt(bug: string): PaxosHunt {
  return {
    id: bug === '' ? 'paxos' : `paxos:${bug}`,
    options: {
      name: bug === '' ? 'paxos safety' : `paxos bug ${bug}`,
      scenario: singleDecreeScenario({ bugs: bug === '' ? [] : [bug], kinds: [] }),
      faults: singleDecreeFaults,
      maxShrinkRuns: 400,
    },
  };
}

/** Faults for Multi-Paxos runs: every kind, episodes up to 2 s, then a heal at 4 s. */
export const multiPaxosFaults: SimulationPropertyOptions['faults'] = {
  kinds: ['partition', 'crash', 'pause', 'clock', 'loss', 'duplicate'],
  maxFaults: 5,
  healAt: '4s',
  from: '200ms',
  minDuration: '50ms',
  maxDuration: '2s',
};

function multiPaxosHunt(bug: string): PaxosHunt {
  return {
    id: bug === '' ? 'multipaxos' : `multipaxos:${bug}`,
    options: {
      name: bug === '' ? 'multipaxos safety' : `multipaxos bug ${bug}`,
      scenario: multiPaxosScenario({ bugs: bug === '' ? [] : [bug], kinds: [] }),
      faults: multiPaxosFaults,
      maxShrinkRuns: 200,
    },
  };
}

/**
 * Faults for a forgotten promise in Multi-Paxos: the acceptor must restart while it hears a deposed
 * leader (still re-sending its unanswered Accepts) and not the new one, so partitions last long
 * (the old leader keeps believing it leads) and crashes restart fast, within them.
 */
export const forgottenPromiseFaults: SimulationPropertyOptions['faults'] = {
  kinds: ['partition', 'crash'],
  maxFaults: 6,
  healAt: '4s',
  from: '200ms',
  durations: { partition: { min: '500ms', max: '3s' }, crash: { min: '10ms', max: '200ms' } },
  dense: true,
};

export const paxosHunts: PaxosHunt[] = [
  singleDecreeHunt(''),
  singleDecreeHunt('acceptorForgetsPromiseOnRestart'),
  singleDecreeHunt('proposerIgnoresAcceptedValues'),
  singleDecreeHunt('nonUniqueBallots'),
  singleDecreeHunt('learnFromMinority'),
  multiPaxosHunt(''),
  {
    id: 'multipaxos:acceptorForgetsPromiseOnRestart',
    options: {
      name: 'multipaxos bug acceptorForgetsPromiseOnRestart',
      scenario: multiPaxosScenario({ bugs: ['acceptorForgetsPromiseOnRestart'], kinds: [] }),
      faults: forgottenPromiseFaults,
      maxShrinkRuns: 200,
    },
  },
  multiPaxosHunt('newLeaderSkipsRecovery'),
];
