import { familyOptions, runScenario } from '@dsim/core';
import { describe, expect, it } from 'vitest';
import { families, raft } from '../src/index.ts';

const aggressive = families.aggressive!;
const scenarioOf = (seed: number, options: Record<string, string | number>) =>
  aggressive.scenario(seed, familyOptions(aggressive, options));
const plans = ['none', 'single', 'joint', 'learners'];

describe('raft/aggressive membership plans', () => {
  it('lets the seed pick one of the first four plans by default, the same as naming it', () => {
    for (const seed of [1, 13, 25, 37, 49, 60]) {
      const named = scenarioOf(seed, { membership: plans[Math.floor(seed / 12) % 4]! });
      expect(scenarioOf(seed, {})).toEqual(named);
    }
  });

  it('has two operators ask at the same moments in the concurrent plan, and correct Raft takes one change at a time', () => {
    const scenario = scenarioOf(3, { nodes: 3, membership: 'concurrent' });
    const changes = (scenario.workload!.options as { membership: { at: string }[] }).membership;
    expect(changes.map(({ at }) => at)).toEqual(['2s', '2s', '5s', '5s']);
    expect(scenario.config).toMatchObject({ initialVoters: ['n1', 'n2'] });
    const result = runScenario(scenario, { registry: { raft } }, { trace: 'off' });
    expect(result.violations).toEqual([]);
    // With a leader that takes the second change while the first is uncommitted, the plan bites.
    const buggy = aggressive.scenario(
      1,
      familyOptions(aggressive, { nodes: 3, membership: 'concurrent' }, ['concurrentConfChanges']),
    );
    const caught = runScenario(buggy, { registry: { raft } }, { trace: 'off' });
    expect(caught.violations.map(({ invariant }) => invariant)).toContain('one-uncommitted-conf-change');
  });
});
