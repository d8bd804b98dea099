import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../src/index.ts';

/**
 * createRandom implements Alea itself; every recorded run was made with the seedrandom package's
 * alea. The two must agree bit for bit on every stream, or old seeds would replay differently.
 */
describe('Alea matches seedrandom.alea', () => {
  const seeds: Array<number | string> = [0, 1, 2, 7, 42, 1234567, 4294967295, -3, 0.5, 'figure8', '', 'ünïcødé ✓'];
  const names = ['network', 'nemesis', 'node:n1', 'node:n5', 'client:c10', 'workload', ''];

  it('gives the same 100,000 numbers for every (seed, name) tried', () => {
    for (const seed of seeds) {
      for (const name of names) {
        const ours = createRandom(seed, name);
        const reference = seedrandom.alea(`dsim/${seed}/${name}`);
        for (let i = 0; i < 100_000; i++) {
          const expected = reference();
          const actual = ours.next();
          if (actual !== expected)
            expect({ seed, name, draw: i, actual }).toEqual({ seed, name, draw: i, actual: expected });
        }
      }
    }
  });

  it('agrees on many seeds over their first draws', () => {
    for (let seed = 0; seed < 2000; seed++) {
      const ours = createRandom(seed, 'node:n1');
      const reference = seedrandom.alea(`dsim/${seed}/node:n1`);
      for (let i = 0; i < 50; i++) {
        const expected = reference();
        const actual = ours.next();
        if (actual !== expected) expect({ seed, draw: i, actual }).toEqual({ seed, draw: i, actual: expected });
      }
    }
  });

  it('draws ints from the same numbers', () => {
    const ours = createRandom(9, 'mixed');
    const reference = seedrandom.alea('dsim/9/mixed');
    for (let i = 0; i < 10_000; i++) {
      expect(ours.int(150_000, 299_999)).toBe(150_000 + Math.floor(reference() * 150_000));
    }
  });
});
