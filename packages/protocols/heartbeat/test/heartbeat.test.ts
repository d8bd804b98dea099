import { join } from 'node:path';
import { runScenario, type Scenario } from '@dsim/core';
import { describeBugSwitches, expectGolden, notesStyle, renderGolden, runInBothModes } from '@dsim/testing';
import { describe, expect, it } from 'vitest';
import { bugs, heartbeat } from '../src/index.ts';

/** n3 crashes at 20 s and restarts at 80 s; the others must notice both, on Nacos' timings. */
const crashAndRestart: Scenario = {
  name: 'crash-detection',
  protocol: heartbeat,
  nodes: 5,
  seed: 1,
  until: '90s',
  faults: [
    { at: '20s', fault: { type: 'crash', node: 'n3' } },
    { at: '80s', fault: { type: 'restart', node: 'n3' } },
  ],
  invariants: ['detects-crash-in-time', 'all-healthy-after-heal'],
};

describe('heartbeat failure detector', () => {
  it('matches its golden trace in both state modes (UPDATE_GOLDEN=1 regenerates it)', () => {
    const result = runInBothModes(crashAndRestart);
    expect(result.violations).toEqual([]);
    expectGolden(join(import.meta.dirname, 'golden', 'crash-detection.txt'), renderGolden(result, notesStyle()));
  });

  it('rejects impossible timings with the field and the fix', () => {
    expect(() => runScenario({ ...crashAndRestart, config: { removeAfterMicros: 10_000_000 } })).toThrow(
      /removeAfterMicros \(10000000\) must exceed unhealthyAfterMicros/,
    );
  });
});

/** n3's clock runs a minute fast, and n3 dies at 10 s: its last beat looks as if it came from the future. */
const fastClockCrash: Scenario = {
  name: 'fast-clock-crash',
  protocol: heartbeat,
  nodes: 3,
  seed: 1,
  until: '90s',
  clocks: { n3: { offset: '60s' } },
  faults: [{ at: '10s', fault: { type: 'crash', node: 'n3' } }],
  invariants: ['detects-crash-in-time'],
};

describeBugSwitches('heartbeat', bugs, [
  { bug: 'checkUsesSenderClock', scenario: fastClockCrash, caughtBy: 'detects-crash-in-time' },
  { bug: 'beatTimerNotRearmedOnRestart', scenario: crashAndRestart, caughtBy: 'all-healthy-after-heal' },
]);

describe('violations name the nodes involved', () => {
  const violations = (scenario: Scenario, bug: string) =>
    runScenario({ ...scenario, bugs: [bug] }, {}, { trace: 'off', stateMode: 'mutable' }).violations;

  it('a missed crash names the observer that still trusts the crashed node, then the crashed node', () => {
    const [missed] = violations(fastClockCrash, 'checkUsesSenderClock');
    expect(missed).toMatchObject({
      invariant: 'detects-crash-in-time',
      message: expect.stringMatching(/^n1 still thinks n3 is healthy /),
      nodes: ['n1', 'n3'],
    });
  });

  it('a suspicion left after the heal names the observer and the node it suspects', () => {
    const [lingering] = violations(crashAndRestart, 'beatTimerNotRearmedOnRestart');
    expect(lingering).toMatchObject({
      invariant: 'all-healthy-after-heal',
      message: expect.stringMatching(/n1 sees n3 as removed$/),
      nodes: ['n1', 'n3'],
    });
  });
});
