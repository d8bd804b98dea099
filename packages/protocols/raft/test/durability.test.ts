import { runScenario, type Scenario } from '@dsim/core';
import { findCounterexample, type SimulationPropertyOptions } from '@dsim/property';
import { registry } from '@dsim/registry';
import { propertyRuns, testFailureDir } from '@dsim/testing';
import { describe, expect, it } from 'vitest';
import { slowDiskCrashAfterLearningTerm } from './bug-scenarios.ts';

function run(scenario: Scenario, bugs: string[] = []) {
  const result = runScenario({ ...scenario, bugs }, { registry }, { trace: 'memory', stateMode: 'mutable' });
  expect(result.error).toBeUndefined();
  return result;
}

/** n3's term after each of its steps that changed its summary, as [time, term] from the trace. */
function termsOf(trace: readonly string[], node: string): Array<[number, number]> {
  const terms: Array<[number, number]> = [];
  for (const line of trace) {
    if (!line.includes('"k":"state"')) continue;
    const parsed = JSON.parse(line) as { t: number; node: string; summary: { term: number } };
    if (parsed.node === node) terms.push([parsed.t, parsed.summary.term]);
  }
  return terms;
}

/**
 * durable-term-and-vote under a storage sync latency: a term is owed to the disk once the sync of
 * the step that wrote it has completed (its messages leave then), not at the end of the step.
 */
describe('raft durability checks with slow disks', () => {
  it('a term lost with its sync still in progress is no violation: no one heard it yet', () => {
    const result = run(slowDiskCrashAfterLearningTerm('1.05s'));
    // The run does what the test is about: n3 held term 1 before the crash and restarted in term 0.
    const terms = termsOf(result.trace, 'n3');
    expect(terms).toContainEqual([1_035_000, 1]);
    expect(terms).toContainEqual([1_100_000, 0]);
    expect(result.violations).toEqual([]);
  });

  it('a term whose sync completed before the crash must survive it', () => {
    const scenario = slowDiskCrashAfterLearningTerm('1.2s');
    expect(run(scenario).violations).toEqual([]);
    const withBug = run(scenario, ['forgetTermOnRestart']);
    expect(withBug.violations.map((violation) => violation.invariant)).toEqual(['durable-term-and-vote']);
    expect(withBug.violations[0]!.message).toMatch(/^n3's term went back from 1 to 0 across a restart/);
  });
});

/**
 * Generated schedules on three nodes with slow disks (syncs of 1-60 ms) and crashes that lose
 * unsynced writes: the correct protocol passes every invariant, and a term or vote forgotten on
 * restart is still caught. A check that takes a step's writes as durable at once reports a
 * term lost with its sync on the 44th run (fast-check's seed comes from the property's name).
 */
describe('raft durability under generated slow-disk schedules', () => {
  const { runs } = propertyRuns(60);
  const property = (bugs: string[]): SimulationPropertyOptions => ({
    name: 'raft durability with slow disks',
    scenario: {
      name: 'raft-slow-disk-durability',
      protocol: 'raft',
      nodes: 3,
      until: '8s',
      stopOnViolation: true,
      bugs,
      storage: { syncLatency: { dist: 'uniform', min: 1_000, max: 60_000 } },
      network: { latency: { dist: 'uniform', min: 1_000, max: 10_000 } },
      workload: { name: 'kv', clients: 3, thinkTime: '10ms', timeout: '500ms', stopAt: '7s', options: { keys: 2 } },
    },
    faults: {
      kinds: ['crash', 'partition', 'pause'],
      loseUnsyncedWrites: true,
      maxFaults: 8,
      dense: true,
      healAt: '5s',
      minDuration: '5ms',
      maxDuration: '800ms',
    },
    registry,
    outDir: testFailureDir('raft-durability'),
    maxShrinkRuns: 0,
  });

  it('the correct protocol keeps every invariant', () => {
    const report = findCounterexample({ ...property([]), numRuns: runs });
    expect(report.found ? report.violation : 'clean').toBe('clean');
  });

  it.each(['forgetTermOnRestart', 'forgetVoteOnRestart'])('%s is caught by durable-term-and-vote', (bug) => {
    const report = findCounterexample({ ...property([bug]), numRuns: runs });
    expect(report.found && report.violation).toMatch(/^durable-term-and-vote/);
  });
});
