import { type Scenario } from '@dsim/core';
import { runInBothModes } from '@dsim/testing';
import { describe, expect, it } from 'vitest';
import { threePhaseCommit, transfersScenario, twoPhaseCommit } from '../src/index.ts';

const registry = { '2pc': twoPhaseCommit, '3pc': threePhaseCommit };

describe('determinism under generated faults', () => {
  for (const [protocol, variant, seed] of [
    ['2pc', undefined, 3],
    ['3pc', 'skeen', 4],
    ['3pc', 'simplified', 5],
  ] as const) {
    it(`${protocol}${variant ? ` ${variant}` : ''} seed ${seed}: immer drafts and in-place mutation give the same trace hash`, () => {
      const scenario = {
        ...transfersScenario({ protocol, ...(variant ? { variant } : {}) }),
        seed,
        until: '4s',
        nemesis: {
          faults: 5,
          kinds: ['partition', 'crash', 'pause', 'loss', 'duplicate'],
          from: '200ms',
          healAt: '2500ms',
          minDuration: '50ms',
          maxDuration: '1s',
        },
      } satisfies Scenario;
      const result = runInBothModes(scenario, { registry, trace: 'hash' });
      expect(result.stats.faults).toBeGreaterThan(0);
    });
  }
});
