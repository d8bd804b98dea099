import { runScenario, type RunResult, type Scenario } from '@dsim/core';
import { blockedTimes, transactionOutcomes } from '@dsim/commit';
import { registry } from '@dsim/registry';
import { describe, expect, it } from 'vitest';
import twoPcCoordinatorCrash from '../../../../simulations/commit/2pc-coordinator-crash.ts';
import twoPcPartition from '../../../../simulations/commit/2pc-partition.ts';
import threePcCoordinatorCrash from '../../../../simulations/commit/3pc-coordinator-crash.ts';
import threePcCrashPrecommit from '../../../../simulations/commit/3pc-coordinator-crash-precommit.ts';
import threePcPartition from '../../../../simulations/commit/3pc-partition.ts';
import threePcSimplifiedPartition from '../../../../simulations/commit/3pc-simplified-partition.ts';
import { commitSweepScenario } from '../../../../simulations/commit/base.ts';
import { compactTrace, golden } from './golden.ts';

const run = (scenario: Scenario, stateMode: 'immutable' | 'mutable' = 'immutable'): RunResult =>
  runScenario(scenario, { registry }, { stateMode });
const seconds = (micros: number) => micros / 1e6;

const scenarios = [
  twoPcCoordinatorCrash,
  twoPcPartition,
  threePcCoordinatorCrash,
  threePcCrashPrecommit,
  threePcPartition,
  threePcSimplifiedPartition,
];

describe('scenario files', () => {
  for (const scenario of scenarios) {
    it(`${scenario.name}: both state modes give the same trace, and it matches test/golden/${scenario.name}.txt`, () => {
      const immutable = run(scenario, 'immutable');
      const mutable = run(scenario, 'mutable');
      expect(mutable.hash).toBe(immutable.hash);
      const text = compactTrace(immutable.trace);
      expect(text).toBe(golden(scenario.name, text));
    });
  }
});

describe('determinism under generated faults', () => {
  for (const [protocol, variant, seed] of [
    ['2pc', undefined, 3],
    ['3pc', 'skeen', 4],
    ['3pc', 'simplified', 5],
  ] as const) {
    it(`${protocol}${variant ? ` ${variant}` : ''} seed ${seed}: immer drafts and in-place mutation give the same trace hash`, () => {
      const scenario = {
        ...commitSweepScenario({ protocol, ...(variant ? { variant } : {}) }),
        seed,
        until: '4s',
        nemesis: {
          faults: 5,
          kinds: ['partition', 'crash', 'pause', 'loss', 'duplicate'],
          from: '200ms',
          healAt: '2500ms',
          minDuration: '50ms',
          maxDuration: '1s',
        },
      } satisfies Scenario;
      const immutable = runScenario(scenario, { registry }, { stateMode: 'immutable', trace: 'hash' });
      const mutable = runScenario(scenario, { registry }, { stateMode: 'mutable', trace: 'hash' });
      expect(immutable.stats.faults).toBeGreaterThan(0);
      expect(mutable.hash).toBe(immutable.hash);
    });
  }
});

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
