import { runScenario, type Scenario } from '@dsim/core';
import { registry } from '@dsim/registry';
import { describe, expect, it } from 'vitest';
import figure8Bug from '../../../../simulations/raft/figure8-bug.ts';
import { sweepScenario } from '../../../../simulations/raft/sweep.ts';
import { bugs } from '../src/index.ts';
import {
  followerReadScenario,
  forgetTermScenario,
  forgetVoteScenario,
  leaseDriftScenario,
  lostAppendWhileIdle,
} from './bug-scenarios.ts';

function violations(scenario: Scenario, withBug: string | undefined): string[] {
  const result = runScenario(
    { ...scenario, bugs: withBug ? [withBug] : [] },
    { registry },
    { trace: 'off', stateMode: 'mutable' },
  );
  expect(result.error).toBeUndefined();
  return result.violations.map((violation) => violation.invariant);
}

/** Each bug switch, on a schedule where it bites: caught with the switch, clean without. */
const cases: Array<{ bug: string; scenario: Scenario; caughtBy: string }> = [
  { bug: 'commitPriorTermByCount', scenario: figure8Bug, caughtBy: 'state-machine-safety' },
  { bug: 'forgetVoteOnRestart', scenario: forgetVoteScenario, caughtBy: 'election-safety' },
  // Sweep seed 5 on five nodes: a node missing committed entries wins an election.
  { bug: 'skipLogUpToDateCheck', scenario: sweepScenario({ seed: 5, nodes: 5 }), caughtBy: 'leader-completeness' },
  { bug: 'readFromFollowerLocal', scenario: followerReadScenario, caughtBy: 'linearizable-kv' },
  { bug: 'leaseReadIgnoresClockDrift', scenario: leaseDriftScenario, caughtBy: 'linearizable-kv' },
  { bug: 'forgetTermOnRestart', scenario: forgetTermScenario, caughtBy: 'durable-term-and-vote' },
  { bug: 'noProbeOnHeartbeat', scenario: lostAppendWhileIdle, caughtBy: 'progress-after-heal' },
];

describe('raft bug switches', () => {
  it('every switch is documented and tested here', () => {
    expect(Object.keys(bugs).sort()).toEqual(cases.map((entry) => entry.bug).sort());
    for (const bug of Object.values(bugs)) {
      expect(bug.description.length).toBeGreaterThan(40);
      expect(bug.breaks.length).toBeGreaterThan(40);
    }
  });

  for (const { bug, scenario, caughtBy } of cases) {
    it(`${bug} is caught by ${caughtBy}`, () => {
      expect(violations(scenario, bug)).toContain(caughtBy);
      expect(violations(scenario, undefined)).toEqual([]);
    });
  }
});
