import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTrace, runScenario, type Scenario } from '@dsim/core';
import { heartbeat } from '@dsim/heartbeat';
import { registry } from '@dsim/registry';
import { afterAll, describe, expect, it } from 'vitest';
import { assertSimulationProperty, findCounterexample } from '../src/index.ts';

const outDir = mkdtempSync(join(tmpdir(), 'dsim-property-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const runs = Number(process.env.DSIM_PROPERTY_RUNS ?? 30);

// 'false-suspicion' is a `sometimes` property of hand-built scenarios; a random schedule need not
// reach it, so these properties check only the safety and liveness invariants.
const base: Scenario = {
  name: 'heartbeat-property',
  protocol: 'heartbeat',
  nodes: 3,
  until: '150s',
  invariants: ['detects-crash-in-time', 'all-healthy-after-heal'],
};

describe('the property runner on the heartbeat detector', () => {
  it('catches checkUsesSenderClock and shrinks it to a handful of faults', () => {
    const report = findCounterexample({
      name: 'heartbeat sender clock',
      scenario: { ...base, bugs: ['checkUsesSenderClock'] },
      registry,
      faults: {
        kinds: ['crash', 'clock'],
        healAt: '60s',
        maxFaults: 8,
        clockJumpMax: '30s',
        minDuration: '1s',
        maxDuration: '40s',
      },
      numRuns: 200,
      outDir,
    });
    expect(report.found).toBe(true);
    if (!report.found) return;
    expect(report.violation).toMatch(/detects-crash-in-time/);
    expect(report.shrunkSize.episodes).toBeLessThanOrEqual(3);
    expect(report.shrunkSize.episodes).toBeLessThanOrEqual(report.originalSize.episodes);
    expect(report.reproduced).toBe(true);
  });

  it('catches beatTimerNotRearmedOnRestart with a single crash', () => {
    const report = findCounterexample({
      name: 'heartbeat restart',
      scenario: { ...base, bugs: ['beatTimerNotRearmedOnRestart'] },
      registry,
      faults: { kinds: ['partition', 'crash', 'pause'], healAt: '60s', maxFaults: 6 },
      numRuns: 200,
      outDir,
    });
    expect(report.found).toBe(true);
    if (!report.found) return;
    expect(report.violation).toMatch(/all-healthy-after-heal/);
    // One crash (and its restart) is all it takes; shrinking removes everything else.
    expect(report.shrunkSize.episodes).toBe(1);
    expect(report.shrunkFaults.map(({ fault }) => fault.type)).toEqual(['crash', 'restart', 'heal']);
    expect(report.originalSize.episodes).toBeGreaterThanOrEqual(report.shrunkSize.episodes);
  });

  it('hits only the nodes faults.nodes names, and names a node the scenario lacks', () => {
    const options = {
      name: 'heartbeat restart of n2',
      scenario: { ...base, bugs: ['beatTimerNotRearmedOnRestart'] },
      registry,
      faults: { nodes: ['n2'], kinds: ['crash', 'pause'] as const, healAt: '60s', maxFaults: 6 },
      numRuns: 200,
      maxShrinkRuns: 0,
      outDir,
    };
    const report = findCounterexample(options);
    expect(report.found).toBe(true);
    if (!report.found) return;
    expect(report.originalSize.episodes).toBeGreaterThan(1);
    for (const { fault } of report.originalFaults)
      if (fault.type !== 'heal') expect(fault).toHaveProperty('node', 'n2');
    expect(() => findCounterexample({ ...options, faults: { ...options.faults, nodes: ['n9'] } })).toThrow(
      "faults.nodes names 'n9', which is not a node of the scenario (n1, n2, n3)",
    );
  });

  it('removes whole episodes after fast-check: with its shrinking switched off, the removal passes alone get down to the crash', () => {
    const report = findCounterexample({
      name: 'heartbeat restart', // the name fixes fast-check's seed: the same first failure as above
      scenario: { ...base, bugs: ['beatTimerNotRearmedOnRestart'] },
      registry,
      faults: { kinds: ['partition', 'crash', 'pause'], healAt: '60s', maxFaults: 6 },
      numRuns: 200,
      maxShrinkRuns: 0,
      outDir,
    });
    expect(report.found).toBe(true);
    if (!report.found) return;
    expect(report.originalSize.episodes).toBeGreaterThan(1);
    expect(report.removedAfterShrinking).toBe(report.originalSize.episodes - 1);
    expect(report.shrunkFaults.map(({ fault }) => fault.type)).toEqual(['crash', 'restart', 'heal']);
    expect(report.reproduced).toBe(true);
  });

  it('passes the correct detector under partitions, crashes and pauses', () => {
    const report = findCounterexample({
      name: 'heartbeat correct',
      scenario: base,
      registry,
      faults: { kinds: ['partition', 'crash', 'pause'], healAt: '60s', maxFaults: 5 },
      numRuns: runs,
      outDir,
    });
    expect(report).toEqual({ found: false, runs, seed: expect.any(Number) });
  });

  it('writes a replayable scenario and its trace, and throws a readable report', () => {
    let message = '';
    try {
      assertSimulationProperty({
        name: 'heartbeat restart report',
        scenario: { ...base, protocol: heartbeat, bugs: ['beatTimerNotRearmedOnRestart'] },
        faults: { kinds: ['crash'], healAt: '60s', maxFaults: 4 },
        numRuns: 100,
        outDir,
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(
      /^property 'heartbeat restart report' failed after \d+ runs? \(fast-check seed -?\d+, simulation seed \d+\)/,
    );
    expect(message).toMatch(/violation: all-healthy-after-heal \(eventually\)/);
    expect(message).toMatch(
      /faults: \d+ fault episodes? \(\d+ scheduled faults with undos and the final heal\) shrunk to 1 fault episode \(3 scheduled faults/,
    );
    expect(message).toMatch(/at \S+ +crash n\d/);
    const scenarioFile = /scenario: (\S+)/.exec(message)![1]!;
    const traceFile = /trace: +(\S+)/.exec(message)![1]!;
    expect(message).toContain(`replay:   npx dsim run ${scenarioFile}`);
    expect(message).toContain(`view:     npx dsim view ${traceFile}`);
    // The file holds plain data: the protocol by name, invariants by name.
    const written = JSON.parse(readFileSync(scenarioFile, 'utf8'));
    expect(written).toMatchObject({
      protocol: 'heartbeat',
      bugs: ['beatTimerNotRearmedOnRestart'],
      invariants: ['detects-crash-in-time', 'all-healthy-after-heal'],
    });
    // Replaying the file gives the very run in the trace.
    const trace = parseTrace(readFileSync(traceFile, 'utf8'));
    expect(trace.problems).toEqual([]);
    expect(trace.complete).toBe(true);
    const replay = runScenario(written, { registry }, { trace: 'memory' });
    expect(`${replay.trace.join('\n')}\n`).toBe(readFileSync(traceFile, 'utf8'));
    expect(replay.violations.map((violation) => violation.invariant)).toEqual(['all-healthy-after-heal']);
  });
});
