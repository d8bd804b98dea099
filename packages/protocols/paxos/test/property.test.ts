import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScenario, type Scenario } from '@dsim/core';
import { assertSimulationProperty, findCounterexample } from '@dsim/property';
import { registry } from '@dsim/registry';
import { describe, expect, it } from 'vitest';
import { paxosHunts } from '../src/hunts.ts';

/**
 * Property runs under generated fault schedules (partitions of every shape, crashes and restarts,
 * pauses, loss, duplication; clock faults too for Multi-Paxos). Counts are small by default (CI has
 * two cores); DSIM_PROPERTY_RUNS raises the runs of the correct protocols. The 10,000-seed sweeps
 * are experiments/paxos-sweep.ts; runs-to-catch per bug switch come from experiments/paxos-catch-bugs.ts.
 */
const runs = Number(process.env.DSIM_PROPERTY_RUNS ?? 0);
const outDir = join(tmpdir(), 'dsim-paxos-failures');
const hunt = (id: string) => paxosHunts.find((candidate) => candidate.id === id)!;

describe('the correct protocols under generated faults', () => {
  it('single-decree Paxos: agreement, validity, integrity, promises kept, every node learns after the heal', () => {
    assertSimulationProperty({ ...hunt('paxos').options, registry, numRuns: runs || 60, outDir });
  });

  it('Multi-Paxos: agreement per slot, validity, integrity, promises kept, linearizable kv, progress after the heal', () => {
    assertSimulationProperty({ ...hunt('multipaxos').options, registry, numRuns: runs || 6, outDir });
  });
});

/**
 * Every bug switch is caught within 1,000 property runs and shrunk to at most 5 scheduled faults
 * (measured with catch-bugs.ts; see the README section for the figures).
 */
describe('every bug switch is caught by the property runner and shrunk', () => {
  const expected: Record<string, RegExp> = {
    'paxos:acceptorForgetsPromiseOnRestart': /^(promise-kept|agreement)/,
    'paxos:proposerIgnoresAcceptedValues': /^agreement/,
    'paxos:nonUniqueBallots': /^agreement/,
    'paxos:learnFromMinority': /^(learned-was-chosen|agreement)/,
    'multipaxos:newLeaderSkipsRecovery': /^(agreement|linearizable-kv)/,
  };
  for (const [id, violation] of Object.entries(expected)) {
    it(id, { timeout: 10 * 60_000 }, () => {
      const report = findCounterexample({ ...hunt(id).options, registry, numRuns: 1000, outDir });
      expect(report.found, `${id} was not caught in 1000 runs`).toBe(true);
      if (!report.found) return;
      expect(report.violation).toMatch(violation);
      expect(report.reproduced).toBe(true);
      expect(report.shrunkSize.scheduledFaults).toBeLessThanOrEqual(5);
    });
  }
});

/**
 * Multi-Paxos' forgotten promise takes a longer hunt than the suite affords (measured with
 * `npx tsx experiments/paxos-catch-bugs.ts multipaxos:acceptorForgetsPromiseOnRestart 1000`: caught
 * after 33 runs, shrunk to 3 crash episodes); its shrunk counterexample is replayed instead: two
 * nodes crash together, and the one that forgot its promise campaigns with a round below it.
 */
describe('the shrunk counterexample of multipaxos:acceptorForgetsPromiseOnRestart', () => {
  it('fails promise-kept with the switch, and holds every invariant without it', () => {
    const file = join(import.meta.dirname, 'fixtures', 'multipaxos-bug-acceptorforgetspromiseonrestart.json');
    const scenario = JSON.parse(readFileSync(file, 'utf8')) as Scenario;
    expect(scenario.bugs).toEqual(['acceptorForgetsPromiseOnRestart']);
    const crashes = (scenario.faults ?? []).filter(({ fault }) => fault.type === 'crash').length;
    expect(crashes).toBeLessThanOrEqual(5);
    const buggy = runScenario(scenario, { registry }, { stateMode: 'mutable', trace: 'off' });
    expect(buggy.violations[0]?.invariant).toBe('promise-kept');
    const fixed = runScenario({ ...scenario, bugs: [] }, { registry }, { stateMode: 'mutable', trace: 'off' });
    expect(fixed.violations).toEqual([]);
  });
});
