import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  casRegisterModel,
  checkLinearizability,
  checkLinearizabilityBruteForce,
  kvModel,
  registerModel,
  type Model,
} from '../src/index.ts';
import { simulateStoreHistory, type StoreFunction } from './simulated-store.ts';

// Thousands of histories in the default suite (each is tiny); more with DSIM_PROPERTY_RUNS.
const runs = Number(process.env.DSIM_PROPERTY_RUNS ?? 1000);

const cases: Array<{ model: Model; functions: StoreFunction[]; keys?: string[] }> = [
  { model: registerModel, functions: ['read', 'write'] },
  { model: casRegisterModel, functions: ['read', 'write', 'cas'] },
  { model: kvModel, functions: ['get', 'put', 'append', 'cas'], keys: ['x', 'y'] },
];

describe('checkLinearizability agrees with the brute-force reference', () => {
  for (const { model, functions, keys } of cases) {
    it(`on random small ${model.name} histories, linearizable or not`, () => {
      const verdicts = { linearizable: 0, 'not-linearizable': 0 };
      fc.assert(
        fc.property(
          fc.record({
            seed: fc.integer({ min: 0, max: 1_000_000 }),
            processes: fc.integer({ min: 1, max: 4 }),
            operations: fc.integer({ min: 1, max: 7 }),
            values: fc.integer({ min: 2, max: 4 }),
            infoProbability: fc.constantFrom(0, 0.2, 0.5),
            failProbability: fc.constantFrom(0, 0.2),
            corruptProbability: fc.constantFrom(0, 0.5, 1),
          }),
          (shape) => {
            const { history, corrupted } = simulateStoreHistory({ ...shape, functions, ...(keys ? { keys } : {}) });
            const fast = checkLinearizability(history, model);
            const reference = checkLinearizabilityBruteForce(history, model);
            // The simulated store is linearizable by construction: only a corrupted read can break it.
            if (!corrupted) expect(fast.verdict).toBe('linearizable');
            expect(fast.verdict).toBe(reference ? 'linearizable' : 'not-linearizable');
            verdicts[fast.verdict as keyof typeof verdicts]++;
            if (fast.verdict === 'not-linearizable') {
              // The evidence names an ok operation that really is in the history.
              const blocked = fast.evidence!.blocked;
              expect(history[blocked.invokeIndex]).toMatchObject({
                type: 'invoke',
                f: blocked.f,
                process: blocked.process,
              });
              expect(blocked.type).toBe('ok');
            }
          },
        ),
        { numRuns: runs, seed: 20_240_611 },
      );
      // Both verdicts were exercised, many times.
      expect(verdicts.linearizable).toBeGreaterThan(runs / 10);
      expect(verdicts['not-linearizable']).toBeGreaterThan(runs / 10);
    });
  }
});
