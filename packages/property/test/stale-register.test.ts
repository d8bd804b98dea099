import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkLinearizability, linearizable, registerModel } from '@dsim/check';
import type { Scenario } from '@dsim/core';
import { afterAll, describe, expect, it } from 'vitest';
import { assertSimulationProperty, findCounterexample } from '../src/index.ts';
import { staleRegister } from './fixtures/stale-register.ts';

const outDir = mkdtempSync(join(tmpdir(), 'dsim-stale-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));
const runs = Number(process.env.DSIM_PROPERTY_RUNS ?? 20);

const scenario: Scenario = {
  name: 'stale-register',
  protocol: staleRegister,
  nodes: 3,
  until: '6s',
  workload: { name: 'register', clients: 3, thinkTime: '40ms', timeout: '300ms', stopAt: '5s' },
  invariants: [linearizable(registerModel)],
};
// No pauses: a request held in a paused node's queue can be answered after its client timed out,
// which the kernel currently rejects (respond() on a finished request throws; reported to the lead).
const faults = { kinds: ['partition', 'crash'] as const, healAt: '4s', maxFaults: 6, maxDuration: '2s' };

describe('a replicated register that reads from stale replicas', () => {
  it('is caught by linearizable(registerModel) and shrunk to a handful of faults', () => {
    const report = findCounterexample({
      name: 'stale reads',
      scenario: { ...scenario, bugs: ['staleReads'] },
      faults: { ...faults, kinds: [...faults.kinds] },
      numRuns: 100,
      outDir,
    });
    expect(report.found).toBe(true);
    if (!report.found) return;
    expect(report.violation).toMatch(
      /^linearizable-register \(always\) at 6s: not linearizable \(register model\), the register: process \d+ read → \d+/,
    );
    expect(report.shrunkSize.episodes).toBeLessThanOrEqual(3);
    expect(report.reproduced).toBe(true);
    // The custom invariant cannot be written into the scenario file; the report says so.
    expect(report.omittedInvariants).toEqual(['linearizable-register']);
    expect(JSON.parse(readFileSync(report.scenarioFile, 'utf8'))).toMatchObject({
      protocol: 'stale-register',
      bugs: ['staleReads'],
      invariants: [],
    });
  });

  it('is caught through a check function as well', () => {
    const report = findCounterexample({
      name: 'stale reads via check',
      scenario: { ...scenario, bugs: ['staleReads'], invariants: [] },
      faults: { ...faults, kinds: [...faults.kinds] },
      check: (result) => {
        const verdict = checkLinearizability(result.history, registerModel);
        return verdict.verdict === 'linearizable' || verdict.message;
      },
      numRuns: 100,
      outDir,
    });
    expect(report.found && report.violation).toMatch(/^check: not linearizable/);
  });

  it('passes when reads go through the primary', () => {
    expect(() =>
      assertSimulationProperty({
        name: 'primary reads',
        scenario,
        faults: { ...faults, kinds: [...faults.kinds] },
        numRuns: runs,
        outDir,
      }),
    ).not.toThrow();
  });
});
