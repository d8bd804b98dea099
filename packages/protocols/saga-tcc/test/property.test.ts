import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertSimulationProperty, findCounterexample } from '@dsim/property';
import { registry } from '@dsim/registry';
import { describe, expect, it } from 'vitest';
import { bugHunts, correctHunts, expectedInvariant } from '../src/hunts.ts';

/**
 * Property runs under generated fault schedules (partitions, crashes, pauses, loss, duplication and
 * slow-network episodes that let a Try overtake its Cancel). Counts are small by default (CI has
 * two cores); DSIM_PROPERTY_RUNS raises the runs of the correct protocols. The 10,000-seed sweeps
 * are experiments/saga-tcc-sweep.ts.
 */
const runs = Number(process.env.DSIM_PROPERTY_RUNS ?? 6);
const outDir = join(tmpdir(), 'dsim-saga-tcc-failures');

describe('the correct protocols under generated faults', () => {
  for (const hunt of correctHunts) {
    it(`${hunt.id}: every safety invariant holds, and every transaction ends fully applied or fully rolled back after the heal`, () => {
      assertSimulationProperty({ ...hunt.options, registry, numRuns: runs, outDir });
    });
  }
});

/**
 * Every bug switch is caught within 1,000 runs and shrunk to at most one fault episode (measured
 * with simulations/tcc/catch-bugs.ts; most are caught in the first or second run, because the
 * workload's insufficient-funds Tries and the retries already exercise the rule each switch removes).
 */
describe('bug switches are caught by the property runner and shrunk', () => {
  for (const hunt of bugHunts) {
    it(`${hunt.id} is caught by ${expectedInvariant[hunt.id]}`, { timeout: 5 * 60_000 }, () => {
      const report = findCounterexample({ ...hunt.options, registry, numRuns: 1000, maxShrinkRuns: 15, outDir });
      expect(report.found, `${hunt.id} was not caught in 1000 runs`).toBe(true);
      if (!report.found) return;
      expect(report.violation).toMatch(new RegExp(`^(${expectedInvariant[hunt.id]}) `));
      expect(report.reproduced).toBe(true);
      expect(report.shrunkSize.episodes).toBeLessThanOrEqual(hunt.id.includes('noBarrier') ? 3 : 5);
    });
  }
});
