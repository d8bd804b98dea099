import { join } from 'node:path';
import { assertSimulationProperty } from '@dsim/property';
import { expectCounterexampleReplays, expectHuntCatches, propertyRuns, testFailureDir } from '@dsim/testing';
import { describe, expect, it } from 'vitest';
import { ALL_KINDS, bugHunts, threePhaseCommit, transfersScenario, twoPhaseCommit } from '../src/index.ts';

/**
 * Property runs under generated fault schedules. Counts are small by default (CI has two cores);
 * DSIM_PROPERTY_RUNS raises the safety runs, e.g. DSIM_PROPERTY_RUNS=1000. The big numbers
 * (10,000 schedules) come from `dsim sweep --family commit/transfers`.
 */
const { runs, extended } = propertyRuns(12);
const registry = { '2pc': twoPhaseCommit, '3pc': threePhaseCommit };
const outDir = testFailureDir('commit');
const healAt = '10s';

describe('2PC under generated faults', () => {
  it('stays atomic and valid, and resolves everything after the heal, under partitions, crashes, pauses, loss and duplication', () => {
    assertSimulationProperty({
      name: '2pc safety and liveness',
      scenario: transfersScenario({ protocol: '2pc', kinds: [] }),
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
      scenario: transfersScenario({ protocol: '3pc', variant: 'skeen', kinds: [] }),
      registry,
      faults: { kinds: ['crash'], maxFaults: 5, healAt },
      numRuns: runs,
      outDir,
    });
  });

  it('breaks atomicity under partitions, and the runner shrinks the schedule to a single fault episode', () => {
    const hunt = bugHunts.find((candidate) => candidate.id === '3pc-partition')!;
    const report = expectHuntCatches(hunt, {
      numRuns: 200,
      registry,
      outDir,
      violation: /^atomicity/,
      maxShrunkEpisodes: 2,
    });
    expect(
      report.shrunkFaults.some(({ fault }) => ['partition', 'isolate', 'bridge', 'cut', 'ring'].includes(fault.type)),
    ).toBe(true);
  });
});

/**
 * Every bug switch is caught by the property runner within 1,000 runs (measured with
 * `npx -y pnpm@10 experiment catch-bugs commit`: participantCommitsOnTimeout 1 run,
 * coordinatorForgetsDecision 84, skipPreCommit 277, terminationIgnoresCommittable 299,
 * recoveryPresumesAbort 4; each shrunk to one fault episode). The hunts that need more than a
 * handful of runs take minutes on two cores, so the default suite replays their shrunk
 * counterexamples (test/fixtures, written by the experiment with --save) and runs the full hunts
 * only when DSIM_PROPERTY_RUNS is set.
 */
const quickHunts = new Set(['2pc:participantCommitsOnTimeout', '3pc:recoveryPresumesAbort']);
const switchHunts = bugHunts.filter((hunt) => hunt.bug !== undefined);

describe('bug switches are caught by the property runner within 1,000 runs', () => {
  for (const hunt of switchHunts) {
    const run = quickHunts.has(hunt.id) || extended ? it : it.skip;
    run(`${hunt.id} (${hunt.faults.kinds!.join(', ')} faults)`, { timeout: 30 * 60_000 }, () => {
      expectHuntCatches(hunt, {
        numRuns: 1000,
        registry,
        outDir,
        violation: /^(atomicity|validity)/,
        maxShrunkEpisodes: 2,
      });
    });
  }
});

describe('the shrunk counterexample of every bug switch replays', () => {
  for (const hunt of switchHunts) {
    const [protocol] = hunt.id.split(':') as [string];
    const name = `${protocol}-bug-${hunt.bug!.toLowerCase()}.json`;
    it(`${hunt.id}: test/fixtures/${name} violates atomicity with the switch, and not without it`, () => {
      expectCounterexampleReplays(join(import.meta.dirname, 'fixtures', name), {
        bug: hunt.bug!,
        caughtBy: /^atomicity$/,
        maxEpisodes: 2,
        registry,
      });
    });
  }
});
