import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScenario, type Scenario } from '@dsim/core';
import { assertSimulationProperty, findCounterexample } from '@dsim/property';
import { registry } from '@dsim/registry';
import { describe, expect, it } from 'vitest';
import { ALL_KINDS, commitSweepScenario } from '../../../../simulations/commit/base.ts';
import { commitHunts } from '../../../../simulations/commit/hunts.ts';

/**
 * Property runs under generated fault schedules. Counts are small by default (CI has two cores);
 * DSIM_PROPERTY_RUNS raises the safety runs, e.g. DSIM_PROPERTY_RUNS=1000. The big numbers
 * (10,000 schedules) come from simulations/commit/sweep.ts.
 */
const runs = Number(process.env.DSIM_PROPERTY_RUNS ?? 12);
const outDir = join(tmpdir(), 'dsim-commit-failures');
const healAt = '10s';

describe('2PC under generated faults', () => {
  it('stays atomic and valid, and resolves everything after the heal, under partitions, crashes, pauses, loss and duplication', () => {
    assertSimulationProperty({
      name: '2pc safety and liveness',
      scenario: commitSweepScenario({ protocol: '2pc', kinds: [] }),
      registry,
      faults: { kinds: ALL_KINDS, maxFaults: 5, healAt },
      numRuns: runs,
      outDir,
    });
  });
});

describe("Skeen's 3PC under generated faults", () => {
  it('stays atomic and valid under crash-only schedules (its failure model)', () => {
    assertSimulationProperty({
      name: '3pc skeen crash-only',
      scenario: commitSweepScenario({ protocol: '3pc', variant: 'skeen', kinds: [] }),
      registry,
      faults: { kinds: ['crash'], maxFaults: 5, healAt },
      numRuns: runs,
      outDir,
    });
  });

  it('breaks atomicity under partitions, and the runner shrinks the schedule to a single fault episode', () => {
    const hunt = commitHunts.find((candidate) => candidate.id === '3pc-partition')!;
    const report = findCounterexample({ ...hunt.options, registry, numRuns: 200, outDir });
    expect(report.found).toBe(true);
    if (!report.found) return;
    expect(report.violation).toMatch(/^atomicity/);
    expect(report.reproduced).toBe(true);
    expect(report.shrunkSize.episodes).toBeLessThanOrEqual(2);
    expect(
      report.shrunkFaults.some(({ fault }) => ['partition', 'isolate', 'bridge', 'cut', 'ring'].includes(fault.type)),
    ).toBe(true);
  });

  it('the saved counterexample simulations/commit/3pc-partition-found.json replays to the same violation', () => {
    const file = join(import.meta.dirname, '../../../../simulations/commit/3pc-partition-found.json');
    const scenario = JSON.parse(readFileSync(file, 'utf8')) as Scenario;
    const immutable = runScenario(scenario, { registry }, { stateMode: 'immutable' });
    const mutable = runScenario(scenario, { registry }, { stateMode: 'mutable' });
    expect(mutable.hash).toBe(immutable.hash);
    expect(immutable.violations).toHaveLength(1);
    expect(immutable.violations[0]).toMatchObject({
      invariant: 'atomicity',
      time: 3_963_994,
      message: 'c committed tx=165 but p1 aborted it',
    });
  });
});

/**
 * Every bug switch is caught by the property runner within 1,000 runs (measured with
 * simulations/commit/catch-bugs.ts: participantCommitsOnTimeout 1 run, coordinatorForgetsDecision 84,
 * skipPreCommit 277, terminationIgnoresCommittable 299, recoveryPresumesAbort 4; each shrunk to one
 * fault episode). The hunts that need more than a handful of runs take minutes on two cores, so the
 * default suite replays their shrunk counterexamples (test/fixtures, written by catch-bugs.ts) and
 * runs the full hunts only when DSIM_PROPERTY_RUNS is set.
 */
const extended = process.env.DSIM_PROPERTY_RUNS !== undefined;
const quickHunts = new Set(['2pc:participantCommitsOnTimeout', '3pc:recoveryPresumesAbort']);

describe('bug switches are caught by the property runner within 1,000 runs', () => {
  for (const hunt of commitHunts.filter((candidate) => candidate.id !== '3pc-partition')) {
    const run = quickHunts.has(hunt.id) || extended ? it : it.skip;
    run(`${hunt.id} (${hunt.options.faults.kinds!.join(', ')} faults)`, { timeout: 30 * 60_000 }, () => {
      const report = findCounterexample({ ...hunt.options, registry, numRuns: 1000, outDir });
      expect(report.found, `${hunt.id} was not caught in 1000 runs`).toBe(true);
      if (!report.found) return;
      expect(report.violation).toMatch(/^(atomicity|validity)/);
      expect(report.reproduced).toBe(true);
      expect(report.shrunkSize.episodes).toBeLessThanOrEqual(2);
    });
  }
});

describe('the shrunk counterexample of every bug switch replays', () => {
  for (const hunt of commitHunts.filter((candidate) => candidate.id !== '3pc-partition')) {
    const [protocol, bug] = hunt.id.split(':') as [string, string];
    it(`${hunt.id}: test/fixtures/${protocol}-bug-${bug.toLowerCase()}.json violates atomicity with the switch, and not without it`, () => {
      const file = join(import.meta.dirname, 'fixtures', `${protocol}-bug-${bug.toLowerCase()}.json`);
      const scenario = JSON.parse(readFileSync(file, 'utf8')) as Scenario;
      expect(scenario.bugs).toEqual([bug]);
      expect(
        scenario.faults!.filter(({ fault }) => fault.type !== 'heal' && fault.type !== 'restart').length,
      ).toBeLessThanOrEqual(2);
      const buggy = runScenario(scenario, { registry }, { stateMode: 'mutable', trace: 'off' });
      expect(buggy.violations.map((violation) => violation.invariant)).toEqual(['atomicity']);
      const fixed = runScenario({ ...scenario, bugs: [] }, { registry }, { stateMode: 'mutable', trace: 'off' });
      expect(fixed.violations).toEqual([]);
    });
  }
});
