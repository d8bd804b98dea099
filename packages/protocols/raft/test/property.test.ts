import { join } from 'node:path';
import { assertSimulationProperty } from '@dsim/property';
import { expectCounterexampleReplays, expectHuntCatches, propertyRuns } from '@dsim/testing';
import { describe, it } from 'vitest';
import { bugHunts, bugs, raft } from '../src/index.ts';

/**
 * Property tests under generated, shrinkable fault schedules. Counts stay small by default (the
 * whole CI has two cores); set DSIM_PROPERTY_RUNS to run more, e.g. DSIM_PROPERTY_RUNS=1000.
 * `dsim sweep --family raft/aggressive` and the catch-bugs experiment are the big versions.
 */
const { runs, extended } = propertyRuns(6);
const registry = { raft };

describe('raft under generated faults', () => {
  it('keeps every invariant under partitions, crashes, pauses, clock faults within the lease bound, loss and duplication', () => {
    for (const readMode of ['readIndex', 'lease'] as const) {
      assertSimulationProperty({
        name: `raft is safe and live (${readMode})`,
        scenario: {
          name: 'raft-property',
          protocol: raft,
          nodes: 5,
          until: '14s',
          config: { readMode, snapshotThresholdEntries: 40, leaseClockBoundMicros: 60_000 },
          network: { latency: { dist: 'uniform', min: 1_000, max: 8_000 } },
          workload: {
            name: 'kv',
            clients: 4,
            thinkTime: '10ms',
            timeout: '500ms',
            stopAt: '13s',
            options: { keys: 2, transferEvery: 40 },
          },
        },
        faults: {
          kinds: ['partition', 'crash', 'pause', 'clock', 'loss', 'duplicate'],
          maxFaults: 6,
          healAt: '8s',
          clockJumpMax: '20ms',
          minDuration: '50ms',
          maxDuration: '2s',
        },
        numRuns: runs,
      });
    }
  });

  it('keeps every invariant on seven nodes', () => {
    assertSimulationProperty({
      name: 'raft is safe and live (7 nodes)',
      scenario: {
        name: 'raft-property-7',
        protocol: raft,
        nodes: 7,
        until: '14s',
        config: { snapshotThresholdEntries: 40 },
        workload: { name: 'kv', clients: 4, thinkTime: '10ms', timeout: '500ms', stopAt: '13s', options: { keys: 2 } },
      },
      faults: { kinds: ['partition', 'crash', 'pause', 'loss', 'duplicate'], maxFaults: 6, healAt: '8s' },
      numRuns: Math.max(2, Math.floor(runs / 2)),
    });
  });
});

/**
 * Every bug switch must be caught by the property runner within 1,000 runs and shrunk to a few
 * fault episodes. Measured with `npx -y pnpm@10 experiment catch-bugs raft --runs 1000` (see
 * src/hunts.ts for the per-switch generators). The hunts in `quick` are fast enough for the
 * default suite: readFromFollowerLocal fails on its first run, forgetTermOnRestart on its 4th,
 * noProbeOnHeartbeat on its 3rd, and Figure 8 (commitPriorTermByCount) on its 99th with a single
 * loss burst (fast-check's seed comes from the hunt's name, so these counts are exact); for
 * Figure 8 the default suite gives fast-check 300 shrink runs instead of the hunt's 10,000,
 * which only move the burst about. The others take up to a minute, mostly shrinking, so
 * the default suite replays the shrunk counterexamples saved by `catch-bugs raft --save` in
 * test/fixtures, and the full hunts run when DSIM_PROPERTY_RUNS is set.
 */
describe('raft bug switches under generated faults', () => {
  const quick: Record<string, { numRuns: number; maxShrinkRuns?: number }> = {
    readFromFollowerLocal: { numRuns: 60 },
    forgetTermOnRestart: { numRuns: 60 },
    noProbeOnHeartbeat: { numRuns: 60 },
    commitPriorTermByCount: { numRuns: 200, maxShrinkRuns: 300 },
    concurrentConfChanges: { numRuns: 60, maxShrinkRuns: 300 },
    uncommittedRemovalStopsCampaigns: { numRuns: 60 },
  };
  for (const hunt of bugHunts) {
    it.skipIf(!extended && quick[hunt.id] === undefined)(
      `finds and shrinks a counterexample for ${hunt.id}`,
      () => {
        expectHuntCatches(hunt, {
          numRuns: extended ? Math.max(runs, 1000) : 60,
          ...(extended ? {} : quick[hunt.id]),
          registry,
          maxShrunkEpisodes: 5,
        });
      },
      30 * 60_000,
    );
  }
});

describe('the shrunk counterexample of every bug switch replays', () => {
  const caughtBy: Record<string, RegExp> = {
    readFromFollowerLocal: /^linearizable-kv$/,
    leaseReadIgnoresClockDrift: /^linearizable-kv$/,
    forgetVoteOnRestart: /^(election-safety|durable-term-and-vote)$/,
    forgetTermOnRestart: /^durable-term-and-vote$/,
    skipLogUpToDateCheck: /^(leader-completeness|state-machine-safety|linearizable-kv)$/,
    commitPriorTermByCount: /^(state-machine-safety|leader-completeness)$/,
    noProbeOnHeartbeat: /^progress-after-heal$/,
    leaderOutsideVoteLease: /^leader-ignores-votes$/,
    applyDuplicateTwice: /^linearizable-kv$/,
    noTimerResetOnVote: /^vote-restarts-election-timer$/,
    leaseFromAckArrival: /^lease-timed-from-send$/,
    concurrentConfChanges: /^(one-uncommitted-conf-change|election-safety|leader-completeness)$/,
    noNoopBeforeConfChange: /^(conf-change-after-own-term-commit|one-uncommitted-conf-change)$/,
    countLeaderBeforeDurable: /^(leader-completeness|state-machine-safety|linearizable-kv)$/,
    uncommittedRemovalStopsCampaigns: /^leader-after-heal$/,
  };
  for (const bug of Object.keys(bugs)) {
    const name = `raft-bug-${bug.toLowerCase()}.json`;
    it(`${bug}: test/fixtures/${name} fails with the switch, and not without it`, () => {
      expectCounterexampleReplays(join(import.meta.dirname, 'fixtures', name), {
        bug,
        caughtBy: caughtBy[bug]!,
        maxEpisodes: 5,
        registry,
      });
    });
  }
});
