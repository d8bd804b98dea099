import { runScenario, type ProtocolRegistry, type RunResult, type TraceMode } from '@dsim/core';
import { expect } from 'vitest';

export interface TestRunOptions {
  /** Resolves protocol names in the scenario; not needed when it holds the protocol object. */
  readonly registry?: ProtocolRegistry;
  readonly seed?: number;
  /** Default 'memory', so the result can be rendered as a golden trace. */
  readonly trace?: TraceMode;
}

/**
 * Runs a scenario with immer drafts and with in-place mutation, asserts the two traces hash the
 * same (the design's promise: protocol code is the same in both modes, and so is every run), and
 * returns the immutable run.
 */
export function runInBothModes(scenario: unknown, options: TestRunOptions = {}): RunResult {
  const resolve = { ...(options.registry ? { registry: options.registry } : {}), ...seedOf(options) };
  const trace = options.trace ?? 'memory';
  const immutable = runScenario(scenario, resolve, { stateMode: 'immutable', trace });
  const mutable = runScenario(scenario, resolve, { stateMode: 'mutable', trace });
  expect(immutable.hash, 'trace off: no hash to compare').toBeDefined();
  expect(mutable.hash, 'mutable and immutable state modes gave different traces').toBe(immutable.hash);
  return immutable;
}

function seedOf(options: TestRunOptions): { seed?: number } {
  return options.seed === undefined ? {} : { seed: options.seed };
}
