import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScenario, type ProtocolRegistry, type Scenario } from '@dsim/core';
import { findCounterexample, type CounterexampleReport, type Hunt } from '@dsim/property';
import { expect } from 'vitest';

/**
 * Property-run counts for tests. The default suite keeps them small (the CI machine has two
 * cores); DSIM_PROPERTY_RUNS=1000 raises them and turns on the long hunts.
 */
export function propertyRuns(defaultRuns: number): { readonly runs: number; readonly extended: boolean } {
  const text = process.env.DSIM_PROPERTY_RUNS;
  const extended = text !== undefined && text !== '';
  return { runs: extended ? Number(text) : defaultRuns, extended };
}

/** Where counterexamples found by tests go: outside the work tree. */
export const testFailureDir = (name: string): string => join(tmpdir(), `dsim-${name}-failures`);

export interface HuntExpectation {
  readonly numRuns: number;
  readonly registry?: ProtocolRegistry;
  readonly outDir?: string;
  /** Override the hunt's shrink budget (a smaller one keeps a default-suite test quick). */
  readonly maxShrinkRuns?: number;
  /** The failure must start with this (an invariant name). */
  readonly violation?: RegExp;
  /** The shrunk schedule has at most this many fault episodes. */
  readonly maxShrunkEpisodes: number;
}

/**
 * Runs a hunt and asserts it finds a counterexample that replays, shrunk to at most
 * `maxShrunkEpisodes` episodes (and never larger than the first failing schedule). Returns the
 * report for further checks.
 */
export function expectHuntCatches(hunt: Hunt, expectation: HuntExpectation): CounterexampleReport & { found: true } {
  const report = findCounterexample({
    ...hunt,
    numRuns: expectation.numRuns,
    ...(expectation.registry ? { registry: expectation.registry } : {}),
    ...(expectation.maxShrinkRuns !== undefined ? { maxShrinkRuns: expectation.maxShrinkRuns } : {}),
    outDir: expectation.outDir ?? testFailureDir('hunt'),
  });
  expect(report.found, `${hunt.id} was not caught in ${expectation.numRuns} runs`).toBe(true);
  if (!report.found) throw new Error('unreachable');
  if (expectation.violation) expect(report.violation).toMatch(expectation.violation);
  expect(report.reproduced, 'the shrunk counterexample did not fail again when replayed').toBe(true);
  expect(report.shrunkSize.episodes).toBeLessThanOrEqual(report.originalSize.episodes);
  expect(report.shrunkSize.episodes).toBeLessThanOrEqual(expectation.maxShrunkEpisodes);
  return report;
}

/**
 * Replays a saved, shrunk counterexample of a bug switch (a scenario JSON file the bug hunt
 * wrote): it must have the switch on, at most `maxEpisodes` fault episodes (not counting their
 * undos and the final heal), fail first on an invariant matching `caughtBy`, and pass with the
 * switch off.
 */
export function expectCounterexampleReplays(
  file: string,
  expectation: {
    readonly bug: string;
    readonly caughtBy: RegExp;
    readonly maxEpisodes: number;
    readonly registry?: ProtocolRegistry;
  },
): void {
  const scenario = JSON.parse(readFileSync(file, 'utf8')) as Scenario;
  expect(scenario.bugs).toEqual([expectation.bug]);
  const episodes = (scenario.faults ?? []).filter(
    ({ fault }) => !['heal', 'restart', 'resume'].includes(fault.type),
  ).length;
  expect(episodes).toBeLessThanOrEqual(expectation.maxEpisodes);
  const resolve = expectation.registry ? { registry: expectation.registry } : {};
  const buggy = runScenario(scenario, resolve, { stateMode: 'mutable', trace: 'off' });
  expect(buggy.violations.length, `${file} no longer fails with ${expectation.bug}`).toBeGreaterThan(0);
  expect(buggy.violations[0]!.invariant).toMatch(expectation.caughtBy);
  const fixed = runScenario({ ...scenario, bugs: [] }, resolve, { stateMode: 'mutable', trace: 'off' });
  expect(fixed.violations).toEqual([]);
}
