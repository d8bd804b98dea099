import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runScenario, type Scenario } from '@dsim/core';
import { assertSimulationProperty, findCounterexample } from '@dsim/property';
import { registry } from '@dsim/registry';
import { describe, expect, it } from 'vitest';
import { bugProperties } from '../../../../simulations/raft/catch-bugs.ts';
import { bugs, raft } from '../src/index.ts';

/**
 * Property tests under generated, shrinkable fault schedules. Counts stay small by default (the
 * whole CI has two cores); set DSIM_PROPERTY_RUNS to run more, e.g. DSIM_PROPERTY_RUNS=1000.
 * simulations/raft/sweep.ts and catch-bugs.ts are the big versions.
 */
const extended = process.env.DSIM_PROPERTY_RUNS !== undefined && process.env.DSIM_PROPERTY_RUNS !== '';
const runs = extended ? Number(process.env.DSIM_PROPERTY_RUNS) : 6;

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
 * fault episodes. Measured with `npx tsx simulations/raft/catch-bugs.ts --runs 1000` (see its
 * hunts for the per-switch generators). Two hunts are quick enough for the default suite:
 * readFromFollowerLocal fails on its first run, and Figure 8 (commitPriorTermByCount) on its
 * 99th with a single loss burst (fast-check's seed comes from the hunt's name, so these counts
 * are exact); there, the default suite gives fast-check 300 shrink runs instead of the hunt's
 * 10,000, which only move the burst about. The others take up to a minute, mostly shrinking, so
 * the default suite replays the shrunk counterexamples saved by `catch-bugs.ts --save` in
 * test/fixtures, and the full hunts run when DSIM_PROPERTY_RUNS is set.
 */
describe('raft bug switches under generated faults', () => {
  const quick: Record<string, { numRuns: number; maxShrinkRuns?: number }> = {
    readFromFollowerLocal: { numRuns: 60 },
    commitPriorTermByCount: { numRuns: 200, maxShrinkRuns: 300 },
  };
  for (const property of bugProperties(extended ? Math.max(runs, 1000) : 60)) {
    it.skipIf(!extended && quick[property.bug] === undefined)(
      `finds and shrinks a counterexample for ${property.bug}`,
      () => {
        const report = findCounterexample({
          ...property,
          ...(extended ? {} : quick[property.bug]),
          outDir: '.dsim/failures',
        });
        expect(report.found, `${property.bug} was not caught`).toBe(true);
        if (!report.found) return;
        expect(report.reproduced).toBe(true);
        expect(report.shrunkSize.episodes).toBeLessThanOrEqual(report.originalSize.episodes);
        expect(report.shrunkSize.episodes).toBeLessThanOrEqual(5);
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
  };
  for (const bug of Object.keys(bugs)) {
    const file = join(import.meta.dirname, 'fixtures', `raft-bug-${bug.toLowerCase()}.json`);
    it(`${bug}: test/fixtures/raft-bug-${bug.toLowerCase()}.json fails with the switch, and not without it`, () => {
      const scenario = JSON.parse(readFileSync(file, 'utf8')) as Scenario;
      expect(scenario.bugs).toEqual([bug]);
      // A few fault episodes: the faults other than their undos and the final heal.
      const episodes = scenario.faults!.filter(
        ({ fault }) => !['heal', 'restart', 'resume'].includes(fault.type),
      ).length;
      expect(episodes).toBeLessThanOrEqual(5);
      const buggy = runScenario(scenario, { registry }, { stateMode: 'mutable', trace: 'off' });
      expect(buggy.violations.length).toBeGreaterThan(0);
      expect(buggy.violations[0]!.invariant).toMatch(caughtBy[bug]!);
      const fixed = runScenario({ ...scenario, bugs: [] }, { registry }, { stateMode: 'mutable', trace: 'off' });
      expect(fixed.violations).toEqual([]);
    });
  }
});
