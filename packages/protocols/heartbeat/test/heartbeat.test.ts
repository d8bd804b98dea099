import { join } from 'node:path';
import { runScenario, sometimes, type Scenario } from '@dsim/core';
import { describeBugSwitches, expectGolden, notesStyle, renderGolden, runInBothModes } from '@dsim/testing';
import { describe, expect, it } from 'vitest';
import { bugs, heartbeat } from '../src/index.ts';
import { falseSuspicion, suspectsRunningPeer } from '../src/invariants.ts';
import type { HeartbeatState } from '../src/state.ts';

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

describe('false-suspicion, watched step by step', () => {
  /** The property as stated: after any change, some observer suspects a running, unpaused node. */
  const plainFalseSuspicion = sometimes<HeartbeatState>('false-suspicion', (world) =>
    world.nodes.some((observer) => suspectsRunningPeer(world, observer)),
  );

  it('is reached at the same step as the plain check, under generated faults', () => {
    let reached = 0;
    for (let seed = 1; seed <= 24; seed++) {
      const scenario: Scenario = {
        name: 'suspicion',
        protocol: heartbeat,
        nodes: 6,
        seed,
        until: '60s',
        // A pause of 1.5 s to 36 s: a long one makes its peers suspect a node that is running, a
        // short one does not; clock faults around it from the nemesis.
        faults: [
          { at: '10s', fault: { type: 'pause', node: `n${(seed % 6) + 1}` } },
          { at: `${10 + seed * 1.5}s`, fault: { type: 'resume', node: `n${(seed % 6) + 1}` } },
        ],
        nemesis: { faults: 3, kinds: ['clock'], healAt: '50s' },
        stopOnViolation: false,
      };
      const fast = runScenario({ ...scenario, invariants: [falseSuspicion] }, {}, { trace: 'memory' });
      const plain = runScenario({ ...scenario, invariants: [plainFalseSuspicion] }, {}, { trace: 'memory' });
      // The same name, so the traces are byte-identical exactly when the verdicts come at the same steps.
      expect(fast.hash, `seed ${seed}`).toBe(plain.hash);
      if (fast.violations.length === 0) reached++;
    }
    // Both outcomes occur, so the comparison covers a reach and a miss.
    expect(reached).toBeGreaterThan(0);
    expect(reached).toBeLessThan(24);
  });
});
