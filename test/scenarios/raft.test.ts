import { runScenario, type RunResult, type Scenario, type StateMode } from '@dsim/core';
import { registry } from '@dsim/registry';
import { describe, expect, it } from 'vitest';
import figure8 from '../../simulations/raft/figure8.ts';
import figure8Bug from '../../simulations/raft/figure8-bug.ts';
import leaderCrash from '../../simulations/raft/leader-crash.ts';
import leaderIsolated from '../../simulations/raft/leader-isolated.ts';
import leaseClockSkew from '../../simulations/raft/lease-clock-skew.ts';
import snapshotCatchUp from '../../simulations/raft/snapshot-catch-up.ts';
import splitVoteScenario from '../../simulations/raft/split-vote.ts';

function run(scenario: Scenario, stateMode: StateMode = 'mutable'): RunResult {
  return runScenario(scenario, { registry }, { trace: 'memory', stateMode });
}

function leaderOf(result: RunResult): string | undefined {
  return result.summaries.find(([, summary]) => summary?.role === 'leader')?.[0];
}

/** What each shipped Raft scenario shows; test/golden.test.ts holds their traces and both state modes. */
describe('raft scenarios', () => {
  it('leader-crash: a new leader takes over, the old one rejoins, nothing is lost', () => {
    const result = run(leaderCrash);
    expect(result.violations).toEqual([]);
    expect(result.reached).toEqual(expect.arrayContaining(['leader-after-heal', 'progress-after-heal']));
    const leader = leaderOf(result);
    expect(leader).toBeDefined();
    expect(leader).not.toBe('n1');
    // The restarted n1 caught up: every node applied the same prefix by the end.
    const applied = result.summaries.map(([, summary]) => summary?.applied);
    expect(new Set(applied).size).toBe(1);
    expect(result.stats.operationsOk).toBeGreaterThan(100);
  });

  it('leader-isolated: the minority leader commits nothing, steps down, and serves no stale read', () => {
    const result = run(leaderIsolated);
    expect(result.violations).toEqual([]);
    // Every c1 operation that went to n1 while it was cut off ended without success.
    const isolatedOk = result.history.filter(
      (entry) => entry.client === 'c1' && entry.type === 'ok' && entry.time > 3_050_000 && entry.time < 8_000_000,
    );
    expect(isolatedOk).toEqual([]);
    const stepDown = result.trace.find((line) => line.includes('n1 hears from 1 of 5: no quorum'));
    expect(stepDown).toBeDefined();
    expect(leaderOf(result)).not.toBe('n1');
  });

  it('leader-isolated without CheckQuorum: n1 keeps leading its minority but still answers no read', () => {
    const result = run({ ...leaderIsolated, config: { ...leaderIsolated.config, checkQuorum: false } });
    expect(result.violations).toEqual([]);
    const c1Reads = result.history.filter(
      (entry) =>
        entry.client === 'c1' &&
        entry.f === 'get' &&
        entry.type === 'ok' &&
        entry.time > 3_050_000 &&
        entry.time < 8_000_000,
    );
    expect(c1Reads).toEqual([]);
  });

  it('figure8: with the current-term rule, the old entry counted on a majority is not committed', () => {
    const result = run(figure8);
    expect(result.violations).toEqual([]);
    // n1 led term 3 and crashed with X on a majority, but never committed past index 1.
    expect(
      result.trace.some((line) => line.includes('"k":"state","node":"n1","summary":{"role":"leader","term":3')),
    ).toBe(true);
    expect(
      result.trace.some((line) => /"node":"n1","summary":\{"role":"leader","term":3[^}]*"commit":2/.test(line)),
    ).toBe(false);
  });

  it('figure8-bug: counting an old-term entry commits it, and the run ends in a state-machine-safety violation', () => {
    const result = run(figure8Bug);
    expect(result.violations.map((violation) => violation.invariant)).toContain('leader-completeness');
    const last = result.violations[result.violations.length - 1]!;
    expect(last.invariant).toBe('state-machine-safety');
    expect(last.message).toMatch(/at index 2, but n1 applied/);
  });

  it('lease-clock-skew: a clock jump beyond the drift bound makes lease reads stale, and the checker says so', () => {
    const result = run(leaseClockSkew);
    expect(result.violations).toHaveLength(1);
    expect(result.violations[0]!.invariant).toBe('linearizable-kv');
    expect(result.violations[0]!.message).toMatch(/not linearizable/);
  });

  it('lease-clock-skew without the jump: lease reads stay linearizable', () => {
    const result = run({
      ...leaseClockSkew,
      faults: leaseClockSkew.faults!.filter((entry) => entry.fault.type !== 'clockJump'),
    });
    expect(result.violations).toEqual([]);
  });

  it('snapshot-catch-up: the isolated follower is brought back by InstallSnapshot', () => {
    const result = run(snapshotCatchUp);
    expect(result.violations).toEqual([]);
    expect(result.reached).toContain('snapshot-installed');
    expect(result.trace.some((line) => line.includes('n5 installs snapshot'))).toBe(true);
    const n5 = result.summaries.find(([node]) => node === 'n5')![1]!;
    const leader = result.summaries.find(([, summary]) => summary?.role === 'leader')![1]!;
    expect(n5.applied).toBe(leader.applied);
  });

  it('split-vote: fixed timeouts make simultaneous candidates split the vote', () => {
    const result = run(splitVoteScenario);
    expect(result.violations).toEqual([]);
    expect(result.reached).toContain('split-vote');
  });
});
