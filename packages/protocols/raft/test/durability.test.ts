import { runScenario, type Scenario } from '@dsim/core';
import { registry } from '@dsim/registry';
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
