import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRandom } from '@dsim/core';
import { defaults } from '../packages/protocols/raft/src/config.ts';
import type { RaftContext } from '../packages/protocols/raft/src/context.ts';
import { electionTimeoutFor } from '../packages/protocols/raft/src/election.ts';
import { withinFifteenPercent } from '../experiments/election-time.ts';
import {
  heartbeatIntervalFor,
  runTrial,
  runTrialWithin,
  settle,
  trialSchedule,
  trialWindows,
  type ElectionSetup,
} from '../experiments/lib/election-run.ts';
import { lanLatencyMicros, parseDiskSetups, writeRange } from '../experiments/lib/election-timing.ts';
import { leaderlessStats } from '../experiments/lib/leaderless-stats.ts';
import { figure16, paperRanges, statedFigures } from '../experiments/lib/paper-figure16.ts';

/** The paper's LAN with a 1.5 ms durable write, and the paper's conservative range. */
const setup: ElectionSetup = {
  timeoutMicros: { min: 150_000, max: 300_000 },
  latencyMicros: lanLatencyMicros,
  syncMicros: writeRange(1_500),
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

  it('a trial that runs briefly first, then longer, gives what one run of the whole patience gives', () => {
    // 150-151 ms with a 2 ms write: votes split for a few seconds, so the first window is too short.
    const slow: ElectionSetup = {
      ...setup,
      timeoutMicros: { min: 150_000, max: 151_000 },
      syncMicros: writeRange(2_000),
    };
    let rerun = 0;
    for (const seed of [1, 2, 3]) {
      const settled = settle(seed, slow)!;
      const whole = runTrialWithin(seed, slow, settled, slow.patienceMicros);
      expect(runTrial(seed, slow)).toEqual(whole);
      if (whole.kind === 'elected' && whole.micros > trialWindows(slow.patienceMicros)[0]!) rerun++;
    }
    expect(rerun).toBeGreaterThan(0);
    expect(trialWindows(100_000_000)).toEqual([1_000_000, 10_000_000, 100_000_000]);
    expect(trialWindows(5_000_000)).toEqual([1_000_000, 5_000_000]);
    expect(trialWindows(1_000_000)).toEqual([1_000_000]);
  });

  it('a write cost spreads by ±20% around its mean, and --disk names the setups or takes a cost', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), (write) => {
        const { min, max } = writeRange(write);
        expect(Math.abs((min + max) / 2 - write)).toBeLessThanOrEqual(1);
        expect(min).toBeLessThanOrEqual(write);
        expect(max).toBeGreaterThanOrEqual(write);
      }),
    );
    expect(parseDiskSetups('stated,2ms').map((disk) => disk.writeMicros)).toEqual([
      15_000 - (lanLatencyMicros.min + lanLatencyMicros.max),
      2_000,
    ]);
    expect(() => parseDiskSetups('fast')).toThrow(
      /--disk: expected stated, microbenchmark, fastestTrial or a mean write cost/,
    );
  });
});

describe('whole-millisecond election timeouts (LogCabin draws lround of a uniform draw)', () => {
  /** The one thing electionTimeoutFor reads from a node's context. */
  const contextWith = (config: Partial<typeof defaults>, seed: number) =>
    ({
      config: { ...defaults, ...config },
      self: 'n1',
      random: createRandom(seed, 'timeouts'),
    }) as unknown as RaftContext;

  it('round the uniform draw to the nearest multiple of the granularity', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 1_000, max: 300_000 }),
        fc.integer({ min: 1, max: 50_000 }),
        fc.integer({ min: 1, max: 5_000 }),
        (seed, base, spread, granularity) => {
          const config = {
            electionTimeoutMicros: base,
            electionTimeoutMaxMicros: base + spread,
            electionTimeoutGranularityMicros: granularity,
          };
          const drawn = createRandom(seed, 'timeouts').int(base, base + spread);
          const timeout = electionTimeoutFor(contextWith(config, seed));
          expect(timeout % granularity).toBe(0);
          expect(timeout).toBe(Math.round(drawn / granularity) * granularity);
        },
      ),
    );
  });

  it('150-151 ms gives 150 or 151 ms, each about half the time, as LogCabin did', () => {
    const config = {
      electionTimeoutMicros: 150_000,
      electionTimeoutMaxMicros: 151_000,
      electionTimeoutGranularityMicros: 1_000,
    };
    const ctx = contextWith(config, 7);
    const counts = new Map<number, number>();
    for (let i = 0; i < 2_000; i++) {
      const timeout = electionTimeoutFor(ctx);
      counts.set(timeout, (counts.get(timeout) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([150_000, 151_000]);
    expect(counts.get(150_000)!).toBeGreaterThan(850);
    expect(counts.get(150_000)!).toBeLessThan(1_150);
  });
});

describe("Figure 16's curves read back from the figure's source", () => {
  it('reproduce every figure the paper states in its text', () => {
    for (const [range, figures] of Object.entries(statedFigures))
      for (const stated of figures) {
        const read = figure16[range]![stated.statistic];
        // "longer than 10 seconds" is the figure's rounded left edge; the others are rounded to 1 ms.
        const tolerance = stated.compare === 'atLeast' ? 0.02 * stated.micros : 1_000;
        expect(Math.abs(read - stated.micros)).toBeLessThanOrEqual(tolerance);
      }
  });

  it('cover every range in order, 1000 trials each but 100 for 150-150', () => {
    for (const [a, b] of paperRanges) {
      const figure = figure16[`${a}-${b}`]!;
      expect(figure.trials).toBe(a === b ? 100 : 1000);
      expect(figure.min).toBeLessThanOrEqual(figure.median);
      expect(figure.median).toBeLessThanOrEqual(figure.p90);
      expect(figure.p90).toBeLessThanOrEqual(figure.p99);
      expect(figure.p99).toBeLessThanOrEqual(figure.max);
      // Nobody times out sooner than A after the heartbeat, and the crash is at most A/2 after it.
      expect(figure.min).toBeGreaterThan((a * 1_000) / 2);
    }
  });

  it('±15% is a closed band around the paper, and an unfinished figure is never within it', () => {
    expect(withinFifteenPercent(115, 100)).toBe(true);
    expect(withinFifteenPercent(85, 100)).toBe(true);
    expect(withinFifteenPercent(115.01, 100)).toBe(false);
    expect(withinFifteenPercent(Infinity, 100)).toBe(false);
    expect(withinFifteenPercent(NaN, 100)).toBe(false);
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
