import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigurationMemo } from '../src/memo.ts';

describe('ConfigurationMemo', () => {
  it('remembers exactly the (set, state) pairs it was given, like a set of strings', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 130 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 3 })), { maxLength: 400 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (operations, moves, unknownPicks) => {
          // Operations that never complete do not stop a word from counting as full.
          const unknownOps = [...new Set(unknownPicks.map((pick) => pick % operations))];
          const memo = new ConfigurationMemo(operations, unknownOps);
          const members = new Set<number>();
          const reference = new Set<string>();
          for (const [pick, state] of moves) {
            const op = pick % operations;
            memo.toggle(op);
            if (members.has(op)) members.delete(op);
            else members.add(op);
            const key = `${state}|${[...members].sort((a, b) => a - b).join(',')}`;
            const fresh = !reference.has(key);
            reference.add(key);
            expect(memo.remember(state)).toBe(fresh);
          }
          expect(memo.size).toBe(reference.size);
        },
      ),
      { numRuns: 500, seed: 42 },
    );
  });

  it('tells apart sets that differ only in their full leading words or their last word', () => {
    const memo = new ConfigurationMemo(70);
    for (let op = 0; op < 64; op++) memo.toggle(op);
    expect(memo.remember(0)).toBe(true);
    memo.toggle(69);
    expect(memo.remember(0)).toBe(true);
    memo.toggle(3);
    expect(memo.remember(0)).toBe(true);
    memo.toggle(3);
    expect(memo.remember(0)).toBe(false);
    expect(memo.remember(1)).toBe(true);
  });

  it('tells apart sets that differ only in which never-completing operations inside full words are linearized', () => {
    const memo = new ConfigurationMemo(96, [5, 40]);
    for (let op = 0; op < 64; op++) if (op !== 5 && op !== 40) memo.toggle(op);
    expect(memo.remember(0)).toBe(true);
    memo.toggle(5);
    expect(memo.remember(0)).toBe(true);
    memo.toggle(40);
    expect(memo.remember(0)).toBe(true);
    memo.toggle(5);
    expect(memo.remember(0)).toBe(true);
    memo.toggle(5);
    expect(memo.remember(0)).toBe(false);
  });
});
