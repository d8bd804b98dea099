import { ln, sqrt } from './deterministic-math.ts';

/**
 * A seeded stream of random numbers. Every consumer in a run (the network, the nemesis, the
 * workload, each node) draws from its own named stream derived from the root seed, so adding a
 * consumer or drawing one more number in one place does not perturb any other stream.
 */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** True with the given probability. */
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** A shuffled copy. */
  shuffle<T>(items: readonly T[]): T[];
  /** A standard normal sample (mean 0, standard deviation 1). */
  normal(): number;
  /** An exponential sample with mean 1. */
  exponential(): number;
}

/** Creates the named stream `name` of the root seed. The same (seed, name) always gives the same numbers. */
export function createRandom(seed: number | string, name: string): Random {
  return new SeededRandom(`dsim/${seed}/${name}`);
}

/** 2^-32: scales a 32-bit integer into [0, 1). */
const TWO_TO_MINUS_32 = 2.3283064365386963e-10;

/**
 * Johannes Baagøe's Mash, the hash Alea seeds itself with: it folds each character code into a
 * running state `n` (a 32-bit integer plus a fraction, kept in a double) and returns the state
 * as a fraction in [0, 1). The state carries over from one call to the next.
 */
class Mash {
  private n = 0xefc8249d;

  hash(data: string): number {
    let n = this.n;
    for (let i = 0; i < data.length; i++) {
      n += data.charCodeAt(i);
      let h = 0.02519603282416938 * n;
      n = h >>> 0;
      h -= n;
      h *= n;
      n = h >>> 0;
      h -= n;
      n += h * 0x100000000;
    }
    this.n = n;
    return (n >>> 0) * TWO_TO_MINUS_32;
  }
}

/**
 * Baagøe's Alea: a multiply-with-carry generator with lag 3 over fractions, built from plain
 * double arithmetic, so it gives the same numbers in every engine. Its numbers are bit-identical
 * to the `seedrandom` package's `alea(seed)` (random-alea.test.ts compares them), which produced every
 * recorded run before this class replaced it. Drawing is a method on numeric fields: no closure,
 * no call through a wrapper.
 */
class Alea {
  // Numbers from the start (a field declared without a value starts undefined): a field that only
  // ever holds numbers is stored unboxed, and a draw then allocates nothing.
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private c = 1;

  constructor(seed: string) {
    // Baagøe's seeding: three hashes of a space, each lowered by a further hash of the seed (the
    // hash state runs on from call to call, so the three differ) and wrapped back into [0, 1).
    const mash = new Mash();
    this.s0 = mash.hash(' ');
    this.s1 = mash.hash(' ');
    this.s2 = mash.hash(' ');
    this.s0 = wrapIntoUnit(this.s0 - mash.hash(seed));
    this.s1 = wrapIntoUnit(this.s1 - mash.hash(seed));
    this.s2 = wrapIntoUnit(this.s2 - mash.hash(seed));
  }

  /** A float in [0, 1). */
  next(): number {
    const t = 2091639 * this.s0 + this.c * TWO_TO_MINUS_32;
    this.s0 = this.s1;
    this.s1 = this.s2;
    this.c = t | 0;
    this.s2 = t - this.c;
    return this.s2;
  }
}

function wrapIntoUnit(x: number): number {
  return x < 0 ? x + 1 : x;
}

class SeededRandom extends Alea implements Random {
  private spareNormal: number | undefined;

  int(min: number, max: number): number {
    if (max < min) throw new Error(`Random.int: max ${max} is below min ${min}`);
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    if (probability <= 0) return false;
    if (probability >= 1) return true;
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Random.pick: cannot pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  shuffle<T>(items: readonly T[]): T[] {
    const copy = items.slice();
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const held = copy[i]!;
      copy[i] = copy[j]!;
      copy[j] = held;
    }
    return copy;
  }

  normal(): number {
    // Marsaglia's polar method: no trigonometry, so only deterministic arithmetic is used.
    if (this.spareNormal !== undefined) {
      const spare = this.spareNormal;
      this.spareNormal = undefined;
      return spare;
    }
    for (;;) {
      const u = this.next() * 2 - 1;
      const v = this.next() * 2 - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const factor = sqrt((-2 * ln(s)) / s);
        this.spareNormal = v * factor;
        return u * factor;
      }
    }
  }

  exponential(): number {
    return -ln(1 - this.next());
  }
}
