import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkSize } from '../src/commands/sweep.ts';

/** The chunks a sweep hands out, in order, when every worker asks in turn. */
function chunks(jobs: number, workers: number, writingResults: boolean): number[] {
  const sizes: number[] = [];
  for (let left = jobs; left > 0;) {
    const size = Math.min(left, chunkSize(left, workers, writingResults));
    sizes.push(size);
    left -= size;
  }
  return sizes;
}

describe('chunkSize', () => {
  it('hands out every seed, never more per chunk than the cap, shrinking to single seeds at the end', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5_000 }),
        fc.integer({ min: 2, max: 16 }),
        fc.boolean(),
        (jobs, workers, writing) => {
          const sizes = chunks(jobs, workers, writing);
          expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(jobs);
          for (const size of sizes) expect(size).toBeLessThanOrEqual(writing ? 10 : 50);
          // Sizes never grow: the long chunks go out first.
          for (let i = 1; i < sizes.length; i++) expect(sizes[i]).toBeLessThanOrEqual(sizes[i - 1]!);
          // The last chunks of every worker are single seeds, so no worker waits on another's long chunk.
          expect(sizes.slice(-Math.min(workers, sizes.length)).every((size) => size === 1)).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('keeps messages few on a long sweep: 10,000 seeds on two workers without a results file take 50-seed chunks', () => {
    const sizes = chunks(10_000, 2, false);
    expect(sizes[0]).toBe(50);
    expect(sizes.length).toBeLessThan(10_000 / 40);
  });
});
