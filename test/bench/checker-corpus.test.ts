import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkLinearizability,
  checkLinearizabilityBruteForce,
  createKvModel,
  historyToJsonLines,
} from '../../packages/check/src/index.ts';
import { simulateStoreHistory } from '../../packages/check/test/simulated-store.ts';
import { generateHistory, type CorpusHistorySpec } from './checker-corpus.ts';
import { referenceVerdictOfText } from './checker-reference.ts';

describe('the plain reference checker of the benchmark corpus', () => {
  it('agrees with the brute-force definition on small kv histories (cas, fail, info, both absent values)', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 0, max: 1_000_000 }),
          processes: fc.integer({ min: 1, max: 4 }),
          operations: fc.integer({ min: 1, max: 7 }),
          values: fc.integer({ min: 2, max: 3 }),
          infoProbability: fc.constantFrom(0, 0.3),
          failProbability: fc.constantFrom(0, 0.2),
          corruptProbability: fc.constantFrom(0, 1),
          absentValue: fc.constantFrom(null, '' as const),
        }),
        (shape) => {
          const { history } = simulateStoreHistory({
            ...shape,
            functions: ['get', 'put', 'append', 'cas'],
            keys: ['x', 'y'],
          });
          const model = createKvModel({ absentValue: shape.absentValue });
          const expected = checkLinearizabilityBruteForce(history, model) ? 'linearizable' : 'not-linearizable';
          expect(referenceVerdictOfText(historyToJsonLines(history), shape.absentValue)).toBe(expected);
        },
      ),
      { numRuns: 500, seed: 99 },
    );
  });
});

describe('the benchmark corpus', () => {
  for (const values of ['unique', 'small'] as const) {
    it(`is checked by dsim as the reference checks it (${values} values, with and without a stale read)`, () => {
      for (const stale of [false, true]) {
        const spec: CorpusHistorySpec = {
          name: 'small',
          seed: 3,
          operations: 3_000,
          clients: 20,
          keys: 4,
          values,
          stale,
          infoProbability: 0.01,
        };
        const history = generateHistory(spec);
        const text = historyToJsonLines(history);
        const reference = referenceVerdictOfText(text, '');
        if (values === 'unique') expect(reference).toBe(stale ? 'not-linearizable' : 'linearizable');
        const model = createKvModel({ absentValue: '' });
        expect(checkLinearizability(history, model).verdict).toBe(reference);
        expect(checkLinearizability(history, model, { uniqueWrites: false }).verdict).toBe(reference);
      }
    });
  }
});
