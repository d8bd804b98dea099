import { runScenario, type Scenario } from '@dsim/core';
import { registry } from '@dsim/registry';
import { describe, expect, it } from 'vitest';
import { lostAppendWhileIdle } from './bug-scenarios.ts';

/**
 * Rules from etcd's raft and the paper that earlier versions missed, each on a schedule that
 * failed without the rule, and each pinned by a bug switch that removes it again.
 */
function run(scenario: Scenario, bugs: string[] = []): string[] {
  const result = runScenario({ ...scenario, bugs }, { registry }, { trace: 'off', stateMode: 'mutable' });
  expect(result.error).toBeUndefined();
  return result.violations.map((violation) => `${violation.invariant}: ${violation.message}`);
}

describe('raft repairs', () => {
  it('(a) a lost AppendEntries is resent while the leader is idle', () => {
    expect(run(lostAppendWhileIdle)).toEqual([]);
    expect(run(lostAppendWhileIdle, ['noProbeOnHeartbeat'])).toEqual([
      expect.stringMatching(/^progress-after-heal: .*n3 applied 1 of 2/),
    ]);
  });
});
