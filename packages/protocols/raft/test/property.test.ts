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
          workload: { name: 'kv', clients: 4, thinkTime: '10ms', timeout: '500ms', stopAt: '13s', options: { keys: 2, transferEvery: 40 } },
        },
        faults: { kinds: ['partition', 'crash', 'pause', 'clock', 'loss', 'duplicate'], maxFaults: 6, healAt: '8s', clockJumpMax: '20ms', minDuration: '50ms', maxDuration: '2s' },
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
 * hunts for the per-switch generators). Only readFromFollowerLocal is caught fast enough (first
 * run) to hunt in the default suite; the others take a minute or more (shrinking re-runs the
 * scenario thousands of times), so the default suite replays the shrunk counterexamples saved
 * by `catch-bugs.ts --save` in test/fixtures, and the full hunts run when DSIM_PROPERTY_RUNS is set.
 */
describe('raft bug switches under generated faults', () => {
  const quick = new Set(['readFromFollowerLocal']);
  for (const property of bugProperties(extended ? Math.max(runs, 1000) : 60)) {
    it.skipIf(!extended && !quick.has(property.bug))(`finds and shrinks a counterexample for ${property.bug}`, () => {
      const report = findCounterexample({ ...property, outDir: '.dsim/failures' });
      expect(report.found, `${property.bug} was not caught`).toBe(true);
      if (!report.found) return;
      expect(report.reproduced).toBe(true);
      expect(report.shrunkSize.episodes).toBeLessThanOrEqual(report.originalSize.episodes);
      // Figure 8 needs several changes of leader; its shrinking stalls around 20 episodes.
      expect(report.shrunkSize.episodes).toBeLessThanOrEqual(property.bug === 'commitPriorTermByCount' ? 25 : 6);
    }, 30 * 60_000);
  }
});

describe('the shrunk counterexample of every bug switch replays', () => {
  const caughtBy: Record<string, RegExp> = {
    readFromFollowerLocal: /^linearizable-kv$/,
    leaseReadIgnoresClockDrift: /^linearizable-kv$/,
    forgetVoteOnRestart: /^election-safety$/,
    skipLogUpToDateCheck: /^(leader-completeness|state-machine-safety|linearizable-kv)$/,
    commitPriorTermByCount: /^(state-machine-safety|leader-completeness)$/,
  };
  for (const bug of Object.keys(bugs)) {
    const file = join(import.meta.dirname, 'fixtures', `raft-bug-${bug.toLowerCase()}.json`);
    it(`${bug}: test/fixtures/raft-bug-${bug.toLowerCase()}.json fails with the switch, and not without it`, () => {
      const scenario = JSON.parse(readFileSync(file, 'utf8')) as Scenario;
      expect(scenario.bugs).toEqual([bug]);
      // A few fault episodes (the faults other than their undos and the final heal), except Figure 8:
      // its hunt needs leadership to change hands several times and shrinking stalls around 20.
      const episodes = scenario.faults!.filter(({ fault }) => !['heal', 'restart', 'resume'].includes(fault.type)).length;
      expect(episodes).toBeLessThanOrEqual(bug === 'commitPriorTermByCount' ? 25 : 6);
      const buggy = runScenario(scenario, { registry }, { stateMode: 'mutable', trace: 'off' });
      expect(buggy.violations.length).toBeGreaterThan(0);
      expect(buggy.violations[0]!.invariant).toMatch(caughtBy[bug]!);
      const fixed = runScenario({ ...scenario, bugs: [] }, { registry }, { stateMode: 'mutable', trace: 'off' });
      expect(fixed.violations).toEqual([]);
    });
  }
});
