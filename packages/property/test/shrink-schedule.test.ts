import { episodesToSchedule, runScenario, type Scenario } from '@dsim/core';
import { registry } from '@dsim/registry';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { faultEpisodes, scheduleToEpisodes, shrinkFaultSchedule } from '../src/index.ts';

// beatTimerNotRearmedOnRestart: a restarted node never beats again, so one crash is enough; the
// nemesis adds partitions and pauses around it that the failure does not need.
const buggy: Scenario = {
  name: 'heartbeat-restart',
  protocol: 'heartbeat',
  nodes: 3,
  until: '150s',
  bugs: ['beatTimerNotRearmedOnRestart'],
  invariants: ['detects-crash-in-time', 'all-healthy-after-heal'],
  nemesis: { faults: 6, kinds: ['partition', 'crash', 'pause'], from: '2s', healAt: '60s', maxDuration: '10s' },
};

describe('scheduleToEpisodes', () => {
  it('gives back the episodes a crash-and-pause schedule was flattened from', () => {
    fc.assert(
      fc.property(
        faultEpisodes({ nodes: ['n1', 'n2', 'n3'], kinds: ['crash', 'pause'], healAt: '10s', maxFaults: 6 }),
        (episodes) => {
          const schedule = episodesToSchedule(episodes, 10_000_000);
          const back = scheduleToEpisodes(schedule);
          expect(back.healAt).toBe(10_000_000);
          expect(episodesToSchedule(back.episodes, back.healAt)).toEqual(schedule);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('shrinkFaultSchedule', () => {
  it('shrinks a failing seed’s nemesis schedule to the one crash the bug needs, keeping the seed', () => {
    const seed = [1, 2, 3, 4, 5, 6, 7, 8].find(
      (candidate) =>
        runScenario(buggy, { registry, seed: candidate }, { trace: 'off', stateMode: 'mutable' }).violations.length > 0,
    )!;
    expect(seed).toBeDefined();
    const shrunk = shrinkFaultSchedule({ name: 'test', scenario: buggy, seed, registry });
    expect(shrunk.shrunk).toBe(true);
    if (!shrunk.shrunk) return;
    expect(shrunk.episodesAfter).toBeLessThan(shrunk.episodesBefore);
    const faults = shrunk.scenario.faults as Array<{ fault: { type: string } }>;
    expect(faults.map(({ fault }) => fault.type)).toEqual(['crash', 'restart', 'heal']);
    expect(shrunk.scenario.seed).toBe(seed);
    expect(shrunk.scenario.nemesis).toBeUndefined();
    // The file replays to the same violation, and the trace beside it is that run.
    const replay = runScenario(shrunk.scenario, { registry }, { trace: 'memory' });
    expect(replay.violations[0]?.invariant).toBe('all-healthy-after-heal');
    expect(replay.hash).toBe(shrunk.result.hash);
  });

  it('says why when there is nothing to shrink', () => {
    const { nemesis: _nemesis, ...quiet } = buggy;
    expect(shrinkFaultSchedule({ name: 'test', scenario: quiet, seed: 1, registry })).toEqual({
      shrunk: false,
      reason: 'the run has no faults to shrink',
    });
  });
});
