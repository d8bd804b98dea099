import { assertSimulationProperty, findCounterexample } from '@dsim/property';
import { describe, expect, it } from 'vitest';
import { bugProperties } from '../../../../simulations/raft/catch-bugs.ts';
import { raft } from '../src/index.ts';

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

describe('raft bug switches under generated faults', () => {
  // The quick one always runs (caught in the first run, a handful of shrinks); all of them with
  // DSIM_PROPERTY_RUNS set (each may take minutes: shrinking re-runs the scenario many times).
  // bugs.test.ts catches every switch deterministically on a scripted schedule either way.
  const quick = new Set(['readFromFollowerLocal']);
  for (const property of bugProperties(extended ? runs : 60)) {
    it.skipIf(!extended && !quick.has(property.bug))(`finds and shrinks a counterexample for ${property.bug}`, () => {
      const report = findCounterexample({ ...property, outDir: '.dsim/failures' });
      expect(report.found).toBe(true);
      if (!report.found) return;
      expect(report.reproduced).toBe(true);
      expect(report.shrunkSize.episodes).toBeLessThanOrEqual(report.originalSize.episodes);
      expect(report.shrunkSize.episodes).toBeLessThanOrEqual(3);
    }, 30 * 60_000);
  }
});
