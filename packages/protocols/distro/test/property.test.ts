import { join } from 'node:path';
import { assertSimulationProperty } from '@dsim/property';
import { expectCounterexampleReplays, expectHuntCatches, propertyRuns, testFailureDir } from '@dsim/testing';
import { describe, it } from 'vitest';
import { bugHunts, distro } from '../src/index.ts';
import { cleanFaults, propertyBase } from '../src/hunts.ts';

/**
 * Property runs under generated fault schedules. The default suite keeps counts small (two CI
 * cores); DSIM_PROPERTY_RUNS raises them and runs the full hunts. Measured with
 * `npx -y pnpm@10 experiment catch-bugs distro --runs 60`: noVerify caught after 25 runs,
 * syncOnlyToOwner 1, hashOverAllMembers 1, noLoadOnStart 1, expireWithoutResponsibilityCheck 5;
 * each shrunk to at most one fault episode.
 */
const { runs, extended } = propertyRuns(4);
const registry = { distro };
const outDir = testFailureDir('distro');

describe('Distro under generated faults', () => {
  it(
    'keeps every invariant under partitions, crashes, pauses, clock faults, loss and duplication',
    { timeout: 10 * 60_000 },
    () => {
      assertSimulationProperty({
        name: 'distro safety and liveness',
        scenario: propertyBase,
        registry,
        faults: cleanFaults,
        numRuns: runs,
        outDir,
      });
    },
  );
});

const quickHunts = new Set(['syncOnlyToOwner', 'noLoadOnStart', 'hashOverAllMembers']);

describe('bug switches are caught by the property runner', () => {
  for (const hunt of bugHunts) {
    const run = quickHunts.has(hunt.id) || extended ? it : it.skip;
    run(`${hunt.id} (${hunt.faults.kinds!.join(', ')} faults)`, { timeout: 30 * 60_000 }, () => {
      expectHuntCatches(hunt, { numRuns: extended ? 1000 : 20, registry, outDir, maxShrunkEpisodes: 5 });
    });
  }
});

const caughtBy: Record<string, RegExp> = {
  noVerify: /^convergence$/,
  syncOnlyToOwner: /^(convergence|bounded-staleness)$/,
  hashOverAllMembers: /^writes-reach-a-live-owner$/,
  noLoadOnStart: /^starts-serving-with-data$/,
  expireWithoutResponsibilityCheck: /^expiry-only-by-owner$/,
};

describe('the shrunk counterexample of every bug switch replays', () => {
  for (const hunt of bugHunts) {
    const name = `distro-bug-${hunt.bug!.toLowerCase()}.json`;
    it(`${hunt.id}: test/fixtures/${name} fails with the switch, and not without it`, () => {
      expectCounterexampleReplays(join(import.meta.dirname, 'fixtures', name), {
        bug: hunt.bug!,
        caughtBy: caughtBy[hunt.bug!]!,
        maxEpisodes: 5,
        registry,
      });
    });
  }
});
