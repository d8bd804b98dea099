import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkLinearizability,
  checkLinearizabilityBruteForce,
  createCasRegisterModel,
  createKvModel,
  createRegisterModel,
  queueModel,
  setModel,
  type Model,
} from '../src/index.ts';
import { simulateCollectionHistory } from './simulated-collection.ts';
import { simulateStoreHistory, type StoreFunction } from './simulated-store.ts';

// Thousands of histories in the default suite (each is tiny); more with DSIM_PROPERTY_RUNS.
const runs = Number(process.env.DSIM_PROPERTY_RUNS ?? 1000);

interface Case {
  readonly name: string;
  readonly model: Model;
  readonly functions: StoreFunction[];
  readonly keys?: string[];
  readonly absentValue?: null | '';
  readonly reorderAppends?: boolean;
}

const cases: Case[] = [
  { name: 'register', model: createRegisterModel(), functions: ['read', 'write'] },
  { name: 'cas-register', model: createCasRegisterModel(), functions: ['read', 'write', 'cas'] },
  {
    name: 'cas-register, failed cas dropped',
    model: createCasRegisterModel({ failedCas: 'drop' }),
    functions: ['read', 'write', 'cas'],
  },
  { name: 'kv', model: createKvModel(), functions: ['get', 'put', 'append', 'cas'], keys: ['x', 'y'] },
  {
    name: 'kv, absent keys read ""',
    model: createKvModel({ absentValue: '' }),
    functions: ['get', 'put', 'append', 'cas'],
    keys: ['x', 'y'],
    absentValue: '',
  },
  {
    // No cas: the search leaves the order of unobserved appends undecided (deferAppends).
    name: 'kv of gets, puts and appends',
    model: createKvModel({ absentValue: '' }),
    functions: ['get', 'put', 'append', 'append'],
    keys: ['x'],
    absentValue: '',
    reorderAppends: true,
  },
  {
    name: 'kv, failed cas dropped',
    model: createKvModel({ failedCas: 'drop' }),
    functions: ['get', 'put', 'cas'],
    keys: ['x', 'y'],
  },
];

const shapes = fc.record({
  seed: fc.integer({ min: 0, max: 1_000_000 }),
  processes: fc.integer({ min: 1, max: 4 }),
  operations: fc.integer({ min: 1, max: 7 }),
  values: fc.integer({ min: 2, max: 4 }),
  infoProbability: fc.constantFrom(0, 0.2, 0.5),
  failProbability: fc.constantFrom(0, 0.2),
  corruptProbability: fc.constantFrom(0, 0.5, 1),
});

describe('checkLinearizability agrees with the brute-force reference', () => {
  for (const { name, model, functions, keys, absentValue, reorderAppends } of cases) {
    it(`on random small ${name} histories, linearizable or not, by every path`, () => {
      const verdicts = { linearizable: 0, 'not-linearizable': 0 };
      fc.assert(
        fc.property(shapes, fc.boolean(), (shape, uniqueValues) => {
          const { history, corrupted } = simulateStoreHistory({
            ...shape,
            functions,
            uniqueValues,
            ...(keys ? { keys } : {}),
            ...(absentValue !== undefined ? { absentValue } : {}),
            reorderAppends: reorderAppends ?? false,
          });
          const fast = checkLinearizability(history, model);
          const searchOnly = checkLinearizability(history, model, { uniqueWrites: false, allKeys: true });
          const everyOrder = checkLinearizability(history, model, { uniqueWrites: false, deferAppends: false });
          const reference = checkLinearizabilityBruteForce(history, model);
          // The simulated store is linearizable by construction: only a corrupted read can break it
          // (a failed cas read as "did not apply" only loosens the check).
          if (!corrupted) expect(fast.verdict).toBe('linearizable');
          expect(fast.verdict).toBe(reference ? 'linearizable' : 'not-linearizable');
          expect(searchOnly.verdict).toBe(fast.verdict);
          expect(everyOrder.verdict).toBe(fast.verdict);
          verdicts[fast.verdict as keyof typeof verdicts]++;
          if (fast.verdict === 'not-linearizable') {
            // The evidence names a completed operation that really is in the history.
            const blocked = fast.evidence!.blocked;
            expect(history[blocked.invokeIndex]).toMatchObject({
              type: 'invoke',
              f: blocked.f,
              process: blocked.process,
            });
            expect(blocked.type).not.toBe('info');
            // Early exit leaves at most the failing key decided as failing; allKeys finds it too.
            expect(fast.keys.filter((key) => key.verdict === 'not-linearizable')).toHaveLength(1);
            expect(searchOnly.keys.map((key) => key.verdict)).not.toContain('skipped');
          }
        }),
        { numRuns: runs, seed: 20_240_611 },
      );
      // Both verdicts were exercised, many times.
      expect(verdicts.linearizable).toBeGreaterThan(runs / 10);
      expect(verdicts['not-linearizable']).toBeGreaterThan(runs / 10);
    });
  }

  for (const model of [setModel, queueModel]) {
    it(`on random small ${model.name} histories, linearizable or not`, () => {
      const verdicts = { linearizable: 0, 'not-linearizable': 0 };
      fc.assert(
        fc.property(
          fc.record({
            seed: fc.integer({ min: 0, max: 1_000_000 }),
            processes: fc.integer({ min: 1, max: 4 }),
            operations: fc.integer({ min: 1, max: 7 }),
            infoProbability: fc.constantFrom(0, 0.2),
            corruptProbability: fc.constantFrom(0, 0.5, 1),
          }),
          (shape) => {
            const kind = model.name as 'set' | 'queue';
            const { history, corrupted } = simulateCollectionHistory({ ...shape, kind });
            const result = checkLinearizability(history, model);
            const reference = checkLinearizabilityBruteForce(history, model);
            if (!corrupted) expect(result.verdict).toBe('linearizable');
            expect(result.verdict).toBe(reference ? 'linearizable' : 'not-linearizable');
            verdicts[result.verdict as keyof typeof verdicts]++;
          },
        ),
        { numRuns: runs, seed: 20_251_207 },
      );
      expect(verdicts.linearizable).toBeGreaterThan(runs / 10);
      expect(verdicts['not-linearizable']).toBeGreaterThan(runs / 20);
    });
  }
});

describe('the search with append order deferred agrees with the search of every order', () => {
  it('on random kv histories of gets, puts and appends, up to 150 operations and 6 clients', () => {
    const verdicts = { linearizable: 0, 'not-linearizable': 0 };
    let fewerSteps = 0;
    const numRuns = Math.max(50, runs / 4);
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 0, max: 1_000_000 }),
          processes: fc.integer({ min: 2, max: 6 }),
          operations: fc.integer({ min: 2, max: 150 }),
          values: fc.integer({ min: 1, max: 3 }),
          infoProbability: fc.constantFrom(0, 0.05),
          failProbability: fc.constantFrom(0, 0.1),
          corruptProbability: fc.constantFrom(0, 0.5, 1),
        }),
        (shape) => {
          const model = createKvModel({ absentValue: '' });
          const { history } = simulateStoreHistory({
            ...shape,
            functions: ['get', 'put', 'append', 'append', 'append'],
            keys: ['x', 'y'],
            absentValue: '',
            reorderAppends: true,
          });
          const options = { uniqueWrites: false, allKeys: true, maxSteps: 2_000_000 };
          const deferred = checkLinearizability(history, model, options);
          const everyOrder = checkLinearizability(history, model, { ...options, deferAppends: false });
          // The search of every order may run out on a busy key; compare the keys both decided.
          everyOrder.keys.forEach((key, i) => {
            if (key.verdict !== 'unknown') expect(deferred.keys[i]!.verdict).toBe(key.verdict);
          });
          if (deferred.steps < everyOrder.steps) fewerSteps++;
          if (deferred.verdict !== 'unknown') verdicts[deferred.verdict as keyof typeof verdicts]++;
        },
      ),
      { numRuns, seed: 61_207 },
    );
    expect(verdicts.linearizable).toBeGreaterThan(numRuns / 10);
    expect(verdicts['not-linearizable']).toBeGreaterThan(numRuns / 10);
    expect(fewerSteps).toBeGreaterThan(numRuns / 4);
  });
});

describe('the unique-writes check agrees with the search', () => {
  for (const { name, model, functions, keys } of [
    { name: 'register', model: createRegisterModel(), functions: ['read', 'write'] as StoreFunction[] },
    { name: 'kv', model: createKvModel(), functions: ['get', 'put'] as StoreFunction[], keys: ['x', 'y', 'z'] },
  ]) {
    it(`on random ${name} histories with distinct written values, up to 200 operations`, () => {
      const verdicts = { linearizable: 0, 'not-linearizable': 0 };
      let undecided = 0;
      const numRuns = Math.max(50, runs / 4);
      fc.assert(
        fc.property(
          fc.record({
            seed: fc.integer({ min: 0, max: 1_000_000 }),
            processes: fc.integer({ min: 1, max: 8 }),
            operations: fc.integer({ min: 1, max: 200 }),
            infoProbability: fc.constantFrom(0, 0.05, 0.1),
            failProbability: fc.constantFrom(0, 0.2),
            corruptProbability: fc.constantFrom(0, 1),
          }),
          (shape) => {
            const { history } = simulateStoreHistory({
              ...shape,
              functions,
              uniqueValues: true,
              ...(keys ? { keys } : {}),
            });
            const fast = checkLinearizability(history, model, { allKeys: true });
            // Unknown writes stay concurrent with everything after them, so a few of these histories
            // are beyond any search's budget; those compare only the keys the search decided.
            const search = checkLinearizability(history, model, {
              uniqueWrites: false,
              allKeys: true,
              maxSteps: 300_000,
            });
            if (search.verdict === 'unknown') undecided++;
            search.keys.forEach((key, i) => {
              if (key.verdict !== 'unknown') expect(fast.keys[i]!.verdict).toBe(key.verdict);
            });
            for (const key of fast.keys) if (key.operations > 0) expect(key.method).toBe('unique-writes');
            verdicts[fast.verdict as keyof typeof verdicts]++;
          },
        ),
        { numRuns, seed: 7_340_033 },
      );
      expect(undecided).toBeLessThan(numRuns / 10);
      expect(verdicts.linearizable).toBeGreaterThan(runs / 40);
      expect(verdicts['not-linearizable']).toBeGreaterThan(runs / 40);
    });
  }
});
