import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from '@dsim/core';
import { bugs, type DistroBug } from '../src/bugs.ts';

/** Every bug switch, in declaration order: each has a shrunk counterexample under fixtures/. */
export const bugNames = Object.keys(bugs) as DistroBug[];

/** The shrunk counterexample the property hunt saved for a bug switch. */
export function bugFixture(bug: DistroBug): Scenario {
  return JSON.parse(
    readFileSync(join(import.meta.dirname, 'fixtures', `distro-bug-${bug.toLowerCase()}.json`), 'utf8'),
  ) as Scenario;
}
