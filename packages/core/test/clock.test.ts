import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NodeClock } from '../src/index.ts';

describe('NodeClock', () => {
  it('applies offset, drift and jumps as local = offset + global × (1 + drift)', () => {
    const clock = new NodeClock(1_000, 100_000); // +1 ms, 10% fast
    expect(clock.localAt(0)).toBe(1_000);
    expect(clock.localAt(1_000_000)).toBe(1_101_000);
    clock.jump(1_000_000, -500_000);
    expect(clock.localAt(1_000_000)).toBe(601_000);
    expect(clock.localAt(2_000_000)).toBe(1_701_000);
    clock.setDrift(2_000_000, 0);
    expect(clock.localAt(3_000_000)).toBe(2_701_000);
    expect(clock.offsetAt(3_000_000)).toBe(-299_000);
  });

  it('finds the first global instant at which the local clock reaches a deadline', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e9, max: 1e9 }),
        // Drift 0 (the usual clock, which has a shortcut) as often as any other drift.
        fc.oneof(fc.constant(0), fc.integer({ min: -400_000, max: 400_000 })),
        fc.integer({ min: 0, max: 1e10 }),
        fc.integer({ min: 0, max: 1e9 }),
        fc.option(fc.record({ at: fc.integer({ min: 0, max: 1e10 }), delta: fc.integer({ min: -1e9, max: 1e9 }) }), {
          nil: undefined,
        }),
        (offset, drift, now, ahead, jump) => {
          const clock = new NodeClock(offset, drift);
          // A jump starts a new segment before `now`, as a clock-jump fault does.
          if (jump !== undefined && jump.at <= now) clock.jump(jump.at, jump.delta);
          const deadline = clock.localAt(now) + ahead;
          const at = clock.globalWhenLocalReaches(deadline, now);
          expect(at).toBeGreaterThanOrEqual(now);
          expect(clock.localAt(at)).toBeGreaterThanOrEqual(deadline);
          if (at > now) expect(clock.localAt(at - 1)).toBeLessThan(deadline);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('fires at once when a forward jump already passed the deadline', () => {
    const clock = new NodeClock();
    const deadline = clock.localAt(0) + 5_000_000;
    clock.jump(1_000_000, 10_000_000);
    expect(clock.globalWhenLocalReaches(deadline, 1_000_000)).toBe(1_000_000);
  });
});
