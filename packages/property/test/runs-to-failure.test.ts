import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Scenario } from '@dsim/core';
import { registry } from '@dsim/registry';
import { afterAll, describe, expect, it } from 'vitest';
import { findCounterexample, runsToFailure, type SimulationPropertyOptions } from '../src/index.ts';

const outDir = mkdtempSync(join(tmpdir(), 'dsim-runs-to-failure-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const base: Scenario = {
  name: 'heartbeat-property',
  protocol: 'heartbeat',
  nodes: 3,
  until: '150s',
  invariants: ['detects-crash-in-time', 'all-healthy-after-heal'],
};
const senderClock: SimulationPropertyOptions = {
  name: 'heartbeat sender clock',
  scenario: { ...base, bugs: ['checkUsesSenderClock'] },
  registry,
  faults: {
    kinds: ['crash', 'clock'],
    healAt: '60s',
    maxFaults: 8,
    clockJumpMax: '30s',
    minDuration: '1s',
    maxDuration: '40s',
  },
  numRuns: 200,
};

describe('runsToFailure', () => {
  it('counts the runs findCounterexample takes to its first failure, for several fast-check seeds', () => {
    for (const seed of [1, 2, 3]) {
      const counted = runsToFailure({ ...senderClock, seed });
      const found = findCounterexample({ ...senderClock, seed, outDir, maxShrinkRuns: 0 });
      expect(counted.found).toBe(true);
      expect(found.found && found.runsToFailure).toBe(counted.runs);
    }
  });

  it('runs every run of a property that holds, and says nothing was found', () => {
    // Crashes alone: the correct detector passes them (clock jumps of 30 s would fool it).
    const correct = {
      ...senderClock,
      scenario: base,
      faults: { ...senderClock.faults, kinds: ['crash' as const] },
      numRuns: 5,
    };
    expect(runsToFailure(correct)).toEqual({ found: false, runs: 5 });
  });
});
