import { readFileSync } from 'node:fs';
import { runScenario, type RunResult, type Scenario } from '@dsim/core';
import { blockedTimes, transactionOutcomes } from '@dsim/commit';
import { registry } from '@dsim/registry';
import { describe, expect, it } from 'vitest';
import twoPcCoordinatorCrash from '../../simulations/commit/2pc-coordinator-crash.ts';
import twoPcPartition from '../../simulations/commit/2pc-partition.ts';
import threePcCoordinatorCrash from '../../simulations/commit/3pc-coordinator-crash.ts';
import threePcCrashPrecommit from '../../simulations/commit/3pc-coordinator-crash-precommit.ts';
import threePcPartition from '../../simulations/commit/3pc-partition.ts';
import threePcSimplifiedPartition from '../../simulations/commit/3pc-simplified-partition.ts';

const run = (scenario: Scenario): RunResult => runScenario(scenario, { registry }, { stateMode: 'immutable' });
const seconds = (micros: number) => micros / 1e6;
const threePcPartitionFound = JSON.parse(
  readFileSync(new URL('../../simulations/commit/3pc-partition-found.json', import.meta.url), 'utf8'),
) as Scenario;

/** What each shipped commit scenario shows; test/golden.test.ts holds their traces and both state modes. */
describe('2pc-coordinator-crash', () => {
  const result = run(twoPcCoordinatorCrash);

  it('keeps every invariant and reaches the blocked state', () => {
    expect(result.violations).toEqual([]);
    expect(result.reached).toEqual(
      expect.arrayContaining(['participant-blocked', 'termination-protocol-ran', 'resolved-after-heal']),
    );
  });

  it('blocks every participant, holding its locks, until the coordinator returns at 3s', () => {
    const blocked = blockedTimes(result);
    expect(blocked.map((entry) => entry.participant)).toEqual(['p1', 'p2', 'p3']);
    for (const entry of blocked) {
      // Blocked from ~125 ms (timeout + poll window) to ~3.004 s (restart + PRESUMED ABORT arriving).
      expect(seconds(entry.blockedMicros)).toBeGreaterThan(2.8);
      expect(seconds(entry.blockedMicros)).toBeLessThan(2.9);
      expect(entry.episodes).toBe(1);
      expect(entry.stillBlocked).toEqual([]);
    }
    const notes = result.trace.filter((line) => line.includes('blocked on tx=1, holding locks'));
    expect(notes).toHaveLength(3);
  });

  it('presumes abort on recovery; the client of tx=1 cannot know, later transfers commit', () => {
    expect(result.trace.some((line) => line.includes('c decides abort tx=1 (presumed-abort)'))).toBe(true);
    expect(transactionOutcomes(result)).toEqual({ invoked: 4, committed: 1, aborted: 0, unknown: 3 });
    const coordinator = result.summaries.find(([node]) => node === 'c')![1]!;
    expect(coordinator).toMatchObject({ committed: 1, aborted: 1 });
  });
});

describe('3pc-coordinator-crash', () => {
  const result = run(threePcCoordinatorCrash);

  it('runs the termination protocol: backup p1 aborts by TR3, and nobody blocks', () => {
    expect(result.violations).toEqual([]);
    expect(result.reached).toEqual(expect.arrayContaining(['termination-protocol-ran', 'backup-decided']));
    expect(
      result.trace.some((line) => line.includes('p1 is backup for tx=1: everyone reachable is uncertain, TR3')),
    ).toBe(true);
    for (const entry of blockedTimes(result)) expect(entry.blockedMicros).toBe(0);
  });

  it('frees the locks within ~150ms of the crash instead of 3s', () => {
    const unlockTimes = result.trace
      .map((line) => JSON.parse(line) as { t: number; k: string; from?: string; desc?: string })
      .filter((event) => event.k === 'send' && event.desc === 'Abort tx=1')
      .map((event) => event.t);
    expect(unlockTimes.length).toBeGreaterThan(0);
    expect(Math.min(...unlockTimes)).toBeLessThan(150_000);
  });
});

describe('3pc-coordinator-crash-precommit', () => {
  const result = run(threePcCrashPrecommit);

  it('commits by TR4 through backup p1, and the recovered coordinator learns COMMIT instead of presuming abort', () => {
    expect(result.violations).toEqual([]);
    expect(result.trace.some((line) => line.includes('TR4 → pre-commit p2 p3, then commit'))).toBe(true);
    expect(result.trace.some((line) => line.includes('c recovered in PRECOMMIT for tx=1'))).toBe(true);
    expect(result.trace.some((line) => line.includes('c decides commit tx=1 (peer)'))).toBe(true);
    for (const [node, summary] of result.summaries) expect(summary, node).toMatchObject({ committed: 1 });
  });
});

describe('3pc-partition (schedule A)', () => {
  const result = run(threePcPartition);

  it("ends in an 'atomicity' violation: c and p1 commit, p2 aborts by TR3", () => {
    expect(result.endReason).toBe('violation');
    expect(result.violations).toHaveLength(1);
    expect(result.violations[0]).toMatchObject({
      invariant: 'atomicity',
      message: 'c committed tx=1 but p2 aborted it',
    });
    expect(result.trace.some((line) => line.includes('c decides commit tx=1 (ack-timeout)'))).toBe(true);
    expect(
      result.trace.some((line) => line.includes('p2 is backup for tx=1: everyone reachable is uncertain, TR3')),
    ).toBe(true);
  });
});

describe('2pc-partition', () => {
  const result = run(twoPcPartition);

  it('stays atomic: p2 and p3 block during the partition, then commit after the heal', () => {
    expect(result.violations).toEqual([]);
    expect(result.reached).toEqual(expect.arrayContaining(['participant-blocked', 'resolved-after-heal']));
    for (const [node, summary] of result.summaries) expect(summary, node).toMatchObject({ committed: 1, aborted: 0 });
    const blocked = new Map(blockedTimes(result).map((entry) => [entry.participant, entry.blockedMicros]));
    expect(blocked.get('p1')).toBe(0);
    for (const participant of ['p2', 'p3']) {
      expect(seconds(blocked.get(participant)!)).toBeGreaterThan(1.8);
      expect(seconds(blocked.get(participant)!)).toBeLessThan(3);
    }
  });
});

describe('3pc-simplified-partition (schedule B)', () => {
  it("ends in an 'atomicity' violation: c aborts on the ACK timeout, the cut-off p1 commits by default", () => {
    const result = run(threePcSimplifiedPartition);
    expect(result.violations).toHaveLength(1);
    expect(result.violations[0]!.invariant).toBe('atomicity');
    expect(result.trace.some((line) => line.includes('c decides abort tx=1 (ack-timeout)'))).toBe(true);
    expect(result.violations[0]!.message).toBe('p2 aborted tx=1 but p1 committed it');
  });
});

describe('3pc-partition-found.json (the hunt counterexample, saved)', () => {
  it('replays to the same violation', () => {
    const result = run(threePcPartitionFound);
    expect(result.violations).toHaveLength(1);
    expect(result.violations[0]).toMatchObject({
      invariant: 'atomicity',
      time: 3_963_994,
      message: 'c committed tx=165 but p1 aborted it',
    });
  });
});
