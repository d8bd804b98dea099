import { runScenario } from '@dsim/core';
import { assertSimulationProperty, findCounterexample } from '@dsim/property';
import { registry } from '@dsim/registry';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { families } from '../src/index.ts';
import { huntFaults, huntScenario, kafkaHunts } from '../src/hunts.ts';

/**
 * Property runs under generated fault schedules (process crashes, partitions of every shape,
 * pauses, loss, duplication). Counts are small by default (CI has two cores); DSIM_PROPERTY_RUNS
 * raises them. The large numbers come from experiments/kafka-sweep.ts (the seed family, with power
 * losses) and experiments/kafka-catch-bugs.ts.
 */
const runs = Number(process.env.DSIM_PROPERTY_RUNS ?? 6);
const outDir = join(tmpdir(), 'dsim-kafka-failures');

describe('current Kafka (acks=all, min ISR 2, clean election, truncation on fetch, ELR) under generated faults', () => {
  it('keeps every promised invariant', { timeout: 10 * 60_000 }, () => {
    assertSimulationProperty({
      name: 'kafka safety',
      scenario: huntScenario(),
      registry,
      faults: huntFaults,
      numRuns: runs,
      outDir,
    });
  });
});

/**
 * Every bug switch is caught within 1,000 runs and shrunk to at most 5 faults (measured with
 * experiments/kafka-catch-bugs.ts: hwFromAllReplicas at run 6, 0 faults; electOutOfSyncLeader at
 * run 33, 3 faults; followerServesAboveHW at run 1, 0 faults; idempotenceIgnoresSequence at run 2,
 * 1 fault; brokerLeadsBeforeRegistering at run 243, 4 faults; producerSendsAcrossEpochs at run 21,
 * 1 fault; zkFastRestartUnnoticed at run 12, 1 fault). With the switches off the same 1,000 drawn
 * schedules pass (`experiments/kafka-catch-bugs.ts 1000 --without`).
 */
describe('bug switches are caught by the property runner within 1,000 runs', () => {
  for (const hunt of kafkaHunts) {
    it(hunt.id, { timeout: 10 * 60_000 }, () => {
      const report = findCounterexample({ ...hunt.options, registry, numRuns: 1000, maxShrinkRuns: 200, outDir });
      expect(report.found, `${hunt.id} was not caught in 1000 runs`).toBe(true);
      if (!report.found) return;
      expect(report.reproduced).toBe(true);
      const faults = report.shrunkFaults.filter(({ fault }) => !['heal', 'restart', 'resume'].includes(fault.type));
      expect(faults.length).toBeLessThanOrEqual(5);
      // The same schedule without the switch keeps every invariant.
      const { bugs: _switch, ...withoutSwitch } = hunt.options.scenario;
      const scenario = { ...withoutSwitch, faults: report.shrunkFaults, seed: report.simulationSeed };
      const fixed = runScenario(scenario, { registry }, { stateMode: 'mutable', trace: 'off' });
      expect(fixed.violations).toEqual([]);
    });
  }
});

describe('determinism', () => {
  it('the same seed gives the same trace hash, in the immutable and the mutable state modes', () => {
    // The seed family's first 15 s, so the immutable mode (immer) stays quick.
    const full = families.aggressive.scenario(7);
    const scenario = { ...full, until: '15s', faults: (full.faults ?? []).filter(({ at }) => Number(at) < 14_000_000) };
    const a = runScenario(scenario, { registry }, { stateMode: 'immutable' });
    const b = runScenario(scenario, { registry }, { stateMode: 'immutable' });
    const c = runScenario(scenario, { registry }, { stateMode: 'mutable' });
    expect(a.hash).toBeDefined();
    expect(b.hash).toBe(a.hash);
    expect(c.hash).toBe(a.hash);
    expect(a.violations).toEqual([]);
  });

  it('the seed family is a pure function of the seed, with every fault kind across seeds', () => {
    expect(families.aggressive.scenario(3)).toEqual(families.aggressive.scenario(3));
    const kinds = new Set<string>();
    for (let seed = 1; seed <= 30; seed++)
      for (const { fault } of families.aggressive.scenario(seed).faults ?? []) kinds.add(fault.type);
    for (const kind of ['crash', 'restart', 'isolate', 'partition', 'cut', 'bridge', 'pause', 'loss', 'duplicate'])
      expect(kinds).toContain(kind);
  });
});
