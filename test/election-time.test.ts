import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitBroadcast } from '../experiments/election-time.ts';
import {
  heartbeatIntervalFor,
  runTrial,
  settle,
  trialSchedule,
  type ElectionSetup,
} from '../experiments/lib/election-run.ts';
import { leaderlessStats } from '../experiments/lib/leaderless-stats.ts';

/** A fast cluster (broadcast time about 3 ms) with the paper's conservative range. */
const setup: ElectionSetup = {
  timeoutMicros: { min: 150_000, max: 300_000 },
  ...(() => {
    const { latency, sync } = splitBroadcast(3_000, 0.5);
    return { latencyMicros: latency, syncMicros: sync };
  })(),
  patienceMicros: 10_000_000,
};

describe('the election-time trial (Raft paper §9.3 setup)', () => {
  it.each([1, 2, 3])(
    'seed %i: a survivor with the longest log wins, no sooner than half the minimum timeout',
    (seed) => {
      const settled = settle(seed, setup);
      expect(settled).toBeDefined();
      const planned = trialSchedule(seed, setup, settled!);
      expect(planned).toBeDefined();
      const outcome = runTrial(seed, setup);
      // runTrial itself checks that the crashed server led and that exactly the two chosen
      // survivors were one entry behind at the crash; anything else is a setup failure.
      expect(outcome.kind).toBe('elected');
      if (outcome.kind !== 'elected') return;
      expect(planned!.behind).not.toContain(outcome.newLeader);
      expect(outcome.newLeader).not.toBe(settled!.leader);
      // No survivor times out sooner than the minimum timeout after the synchronized heartbeat
      // reached it, and the crash comes at most one heartbeat interval after that heartbeat left.
      const interval = heartbeatIntervalFor(setup);
      expect(outcome.micros).toBeGreaterThanOrEqual(setup.timeoutMicros.min - interval + setup.latencyMicros.min);
    },
  );

  it('a broadcast time splits into a mean round trip and a mean disk sync that add up to it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 100_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (b, share) => {
        const { latency, sync } = splitBroadcast(b, share);
        const total = latency.min + latency.max + (sync.min + sync.max) / 2;
        expect(Math.abs(total - b)).toBeLessThanOrEqual(2);
        expect(latency.min).toBeLessThanOrEqual(latency.max);
        expect(sync.min).toBeLessThanOrEqual(sync.max);
      }),
    );
  });
});

describe('leaderlessStats', () => {
  /** The nearest-rank quantile by its definition: the smallest sample with at least q·n samples at or below it. */
  const reference = (samples: number[], q: number) =>
    [...samples].sort((a, b) => a - b).find((s) => samples.filter((t) => t <= s).length >= q * samples.length)!;

  it('quantiles match the nearest-rank definition, unfinished trials counting as the longest', () => {
    const sample = fc.oneof(fc.integer({ min: 0, max: 1_000_000 }), fc.constant(Infinity));
    fc.assert(
      fc.property(fc.array(sample, { minLength: 1, maxLength: 60 }), (samples) => {
        const stats = leaderlessStats(samples);
        expect(stats.median).toBe(reference(samples, 0.5));
        expect(stats.p90).toBe(reference(samples, 0.9));
        expect(stats.p99).toBe(reference(samples, 0.99));
        expect(stats.min).toBe(Math.min(...samples));
        expect(stats.max).toBe(Math.max(...samples));
        const finished = samples.filter(Number.isFinite);
        if (finished.length > 0)
          expect(stats.mean).toBe(Math.round(finished.reduce((a, b) => a + b, 0) / finished.length));
        else expect(stats.mean).toBeNaN();
      }),
    );
  });
});
