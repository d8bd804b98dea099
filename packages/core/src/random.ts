import seedrandom from 'seedrandom';
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
  // Alea: fast, and built from plain arithmetic, so it behaves identically in every engine.
  const generator = seedrandom.alea(`dsim/${seed}/${name}`);
  return new SeededRandom(() => generator());
}

class SeededRandom implements Random {
  private spareNormal: number | undefined;
  constructor(readonly next: () => number) {}

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
