import type { RunResult } from '@dsim/core';
import { expect } from 'vitest';

/**
 * Asserts the run reached each named `sometimes`/`eventually` property: proof the scenario got to
 * the state it was written for, so it cannot pass by testing nothing.
 */
export function expectReached(result: RunResult, names: readonly string[]): void {
  const missing = names.filter((name) => !result.reached.includes(name));
  expect(missing, `${result.scenario} never reached ${missing.join(', ')}`).toEqual([]);
}
