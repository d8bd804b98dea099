import { describe, expect, it } from 'vitest';
import { createRandom, exp, ln } from '../src/index.ts';

describe('seeded random streams', () => {
  it('pins the first outputs of a stream (changing the generator changes every recorded run)', () => {
    const random = createRandom(42, 'network');
    const firsts = Array.from({ length: 5 }, () => random.next());
    expect(firsts).toMatchInlineSnapshot(`
      [
        0.8882911500986665,
        0.8941769455559552,
        0.889577264431864,
        0.4133820626884699,
        0.37265830812975764,
      ]
    `);
    const ints = createRandom(7, 'node:n1');
    expect(Array.from({ length: 8 }, () => ints.int(0, 99))).toMatchInlineSnapshot(`
      [
        91,
        75,
        46,
        40,
        94,
        81,
        87,
        68,
      ]
    `);
  });

  it('gives the same numbers for the same (seed, name) and different numbers otherwise', () => {
    const a = createRandom(1, 'workload');
    const b = createRandom(1, 'workload');
    const c = createRandom(2, 'workload');
    const d = createRandom(1, 'nemesis');
    const take = (r: ReturnType<typeof createRandom>) => Array.from({ length: 20 }, () => r.next());
    const seqA = take(a);
    expect(take(b)).toEqual(seqA);
    expect(take(c)).not.toEqual(seqA);
    expect(take(d)).not.toEqual(seqA);
  });

  it('keeps streams independent: drawing from one never shifts another', () => {
    const alone = createRandom(5, 'node:n2');
    const expected = Array.from({ length: 10 }, () => alone.next());
    const busy = createRandom(5, 'node:n1');
    for (let i = 0; i < 1000; i++) busy.next();
    const after = createRandom(5, 'node:n2');
    expect(Array.from({ length: 10 }, () => after.next())).toEqual(expected);
  });

  it('int covers its inclusive range uniformly', () => {
    const random = createRandom(3, 'test');
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[random.int(0, 5)]++;
    for (const count of counts) expect(count).toBeGreaterThan(9_400);
    expect(() => random.int(3, 2)).toThrow(/below min/);
  });

  it('normal and exponential samples have the right moments', () => {
    const random = createRandom(11, 'moments');
    const n = 50_000;
    const normals = Array.from({ length: n }, () => random.normal());
    const mean = normals.reduce((a, b) => a + b, 0) / n;
    const variance = normals.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(variance - 1)).toBeLessThan(0.03);
    const exps = Array.from({ length: n }, () => random.exponential());
    expect(Math.abs(exps.reduce((a, b) => a + b, 0) / n - 1)).toBeLessThan(0.02);
    expect(Math.min(...exps)).toBeGreaterThanOrEqual(0);
  });

  it('shuffle is a permutation and pick refuses an empty list', () => {
    const random = createRandom(9, 'shuffle');
    const items = ['a', 'b', 'c', 'd', 'e'];
    expect([...random.shuffle(items)].sort()).toEqual(items);
    expect(() => random.pick([])).toThrow(/empty/);
  });
});

describe('deterministic math', () => {
  it('ln and exp match Math.log and Math.exp to within a few ulps', () => {
    const random = createRandom(1, 'math');
    for (let i = 0; i < 20_000; i++) {
      const x = random.next() * 10 ** random.int(-300, 300);
      if (x === 0) continue;
      expect(Math.abs(ln(x) - Math.log(x))).toBeLessThanOrEqual(Math.max(Math.abs(Math.log(x)), 0.5) * 4.5e-16);
      const y = (random.next() - 0.5) * 1400;
      const relative = Math.abs(exp(y) - Math.exp(y)) / Math.exp(y);
      expect(relative).toBeLessThan(4e-15);
    }
    expect(ln(1)).toBe(0);
    expect(ln(0)).toBe(-Infinity);
    expect(Number.isNaN(ln(-1))).toBe(true);
    expect(exp(0)).toBe(1);
    expect(ln(5e-324)).toBeCloseTo(Math.log(5e-324), 10);
  });
});
