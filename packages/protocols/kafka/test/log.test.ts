import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canJoinIsr,
  endOffsetFor,
  endOffsetForKip101,
  isOutOfSync,
  nextHighWatermark,
  ownEndOffsetFor,
  truncateCache,
} from '../src/log.ts';

describe('the leader-epoch cache lookups (KAFKA.md §3.4)', () => {
  // S3's leader b1 after the unclean election: epochs {0:0, 2:2}, LEO 3.
  const leaderCache = [
    [0, 0],
    [2, 2],
  ] as const;

  it('KIP-279: the largest epoch ≤ e with the start of the first epoch above e', () => {
    expect(endOffsetFor(leaderCache, 3, 1)).toEqual({ epoch: 0, endOffset: 2 });
    expect(endOffsetFor(leaderCache, 3, 2)).toEqual({ epoch: 2, endOffset: 3 });
    expect(endOffsetFor(leaderCache, 3, 5)).toEqual({ epoch: 2, endOffset: 3 });
    expect(endOffsetFor([[3, 4]], 6, 1)).toEqual({ epoch: 1, endOffset: 4 });
    expect(endOffsetFor([], 0, 1).endOffset).toBe(-1);
  });

  it('KIP-101 alone answers an offset: 2 for epoch 1, which lets S3 diverge', () => {
    expect(endOffsetForKip101(leaderCache, 3, 1)).toEqual({ epoch: 1, endOffset: 2 });
    expect(endOffsetForKip101(leaderCache, 3, 2)).toEqual({ epoch: 2, endOffset: 3 });
    expect(endOffsetForKip101(leaderCache, 3, 7).endOffset).toBe(-1);
    expect(endOffsetForKip101([[3, 4]], 6, 1).endOffset).toBe(-1);
  });

  it("the follower's own end: S3's b2 ({0:0, 1:1}, LEO 3) ends epoch 0 at 1", () => {
    const follower = [
      [0, 0],
      [1, 1],
    ] as const;
    expect(ownEndOffsetFor(follower, 3, 0)).toEqual({ epoch: 0, endOffset: 1 });
    expect(ownEndOffsetFor(follower, 3, 1)).toEqual({ epoch: 1, endOffset: 3 });
    expect(ownEndOffsetFor(follower, 3, 2)).toEqual({ epoch: 1, endOffset: 3 });
    expect(ownEndOffsetFor([[2, 5]], 7, 1)).toEqual({ epoch: -1, endOffset: 0 });
  });

  it('truncation drops the epochs that start at or after the cut', () => {
    const cache: Array<[number, number]> = [
      [0, 0],
      [1, 3],
      [4, 5],
    ];
    truncateCache(cache, 4);
    expect(cache).toEqual([
      [0, 0],
      [1, 3],
    ]);
  });

  it('endOffsetFor agrees with a brute-force reading of the cache as a per-offset epoch list', () => {
    const caches = fc.uniqueArray(fc.integer({ min: 0, max: 8 }), { minLength: 1, maxLength: 5 }).chain((epochs) =>
      fc
        .uniqueArray(fc.integer({ min: 0, max: 20 }), { minLength: epochs.length, maxLength: epochs.length })
        .map((starts) => {
          const sortedEpochs = [...epochs].sort((a, b) => a - b);
          const sortedStarts = [...starts].sort((a, b) => a - b);
          return sortedEpochs.map((epoch, i) => [epoch, sortedStarts[i]!] as const);
        }),
    );
    fc.assert(
      fc.property(caches, fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 9 }), (cache, extra, e) => {
        const leo = cache[cache.length - 1]![1] + extra;
        // Reference: the epoch of every offset, then the rule read literally.
        const latest = cache[cache.length - 1]![0];
        const answer = endOffsetFor(cache, leo, e);
        if (e >= latest) return answer.epoch === latest && answer.endOffset === leo;
        const above = cache.find(([epoch]) => epoch > e)!;
        const floor = [...cache].reverse().find(([epoch]) => epoch <= e);
        return answer.epoch === (floor ? floor[0] : e) && answer.endOffset === above[1];
      }),
    );
  });
});

describe('the high-watermark rule (KAFKA.md §2.3)', () => {
  const base = {
    leaderLeo: 10,
    currentHw: 4,
    maximalIsr: ['b1', 'b2', 'b3'],
    committedIsrSize: 3,
    now: 100_000_000,
    replicaLagTimeMaxMs: 30_000,
    minIsrGate: 0,
  };

  it('is the min LEO over the leader and the ISR followers', () => {
    const followers = [
      { node: 'b2', leo: 7, lastCaughtUpTime: 0 },
      { node: 'b3', leo: 9, lastCaughtUpTime: 0 },
    ];
    expect(nextHighWatermark({ ...base, followers })).toBe(7);
  });

  it('waits for a caught-up follower outside the ISR (KAFKA-4485), not for a lagging one', () => {
    const followers = [
      { node: 'b2', leo: 9, lastCaughtUpTime: 0 },
      { node: 'b3', leo: 6, lastCaughtUpTime: base.now - 1_000_000 },
    ];
    expect(nextHighWatermark({ ...base, maximalIsr: ['b1', 'b2'], followers })).toBe(6);
    const lagging = [followers[0]!, { node: 'b3', leo: 6, lastCaughtUpTime: base.now - 40_000_000 }];
    expect(nextHighWatermark({ ...base, maximalIsr: ['b1', 'b2'], followers: lagging })).toBe(9);
  });

  it('does not move while an ISR follower has not fetched in this epoch, and never moves back', () => {
    const followers = [
      { node: 'b2', leo: -1, lastCaughtUpTime: base.now },
      { node: 'b3', leo: 9, lastCaughtUpTime: 0 },
    ];
    expect(nextHighWatermark({ ...base, followers })).toBe(4);
    expect(nextHighWatermark({ ...base, currentHw: 8, followers: [{ node: 'b2', leo: 5, lastCaughtUpTime: 0 }] })).toBe(
      8,
    );
  });

  it('freezes below min ISR since 3.7, and runs to the LEO with an ISR of one before', () => {
    const input = { ...base, maximalIsr: ['b1'], committedIsrSize: 1, followers: [] };
    expect(nextHighWatermark({ ...input, minIsrGate: 2 })).toBe(4);
    expect(nextHighWatermark(input)).toBe(10);
  });

  it('the hwFromAllReplicas bug skips followers it has not heard from', () => {
    const followers = [
      { node: 'b2', leo: -1, lastCaughtUpTime: base.now },
      { node: 'b3', leo: -1, lastCaughtUpTime: base.now },
    ];
    expect(nextHighWatermark({ ...base, followers, fromAllKnownReplicas: true })).toBe(10);
    expect(nextHighWatermark({ ...base, followers })).toBe(4);
  });
});

describe('ISR membership (KAFKA.md §2.5–2.6)', () => {
  const now = 50_000_000;
  it('a follower is out of sync when behind and not caught up within the lag time', () => {
    expect(isOutOfSync({ node: 'b2', leo: 5, lastCaughtUpTime: now - 31_000_000 }, 8, now, 30_000, 'time', 4000)).toBe(
      true,
    );
    expect(isOutOfSync({ node: 'b2', leo: 8, lastCaughtUpTime: 0 }, 8, now, 30_000, 'time', 4000)).toBe(false);
    expect(isOutOfSync({ node: 'b2', leo: 2, lastCaughtUpTime: now }, 8, now, 30_000, 'time', 4)).toBe(false);
    expect(isOutOfSync({ node: 'b2', leo: 2, lastCaughtUpTime: now }, 8, now, 30_000, 'count+time', 4)).toBe(true);
  });

  it('a follower joins at LEO ≥ HW and ≥ LESO after a fetch in the current epoch', () => {
    expect(canJoinIsr(7, 7, 5, true)).toBe(true);
    expect(canJoinIsr(7, 7, 8, true)).toBe(false);
    expect(canJoinIsr(6, 7, 5, true)).toBe(false);
    expect(canJoinIsr(7, 7, 5, false)).toBe(false);
  });
});
