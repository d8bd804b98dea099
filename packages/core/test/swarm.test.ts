import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applySwarm,
  drawSwarm,
  familyScenario,
  defineSeedFamily,
  type Scenario,
  type SwarmRanges,
} from '../src/index.ts';

const ranges: SwarmRanges = {
  nodes: { min: 3, max: 7 },
  faultKinds: ['partition', 'crash', 'pause', 'clock', 'loss', 'duplicate'],
  faults: { min: 1, max: 12 },
  latencyMicros: { min: 500, max: 20_000 },
  loss: { max: 0.05 },
  duplicate: { max: 0.1 },
  config: { electionTimeoutMicros: { min: 80_000, max: 300_000 } },
};

describe('drawSwarm', () => {
  it('draws the same configuration from the same seed, every field within its range', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const draw = drawSwarm(ranges, seed);
        expect(drawSwarm(ranges, seed)).toEqual(draw);
        expect(draw.nodes).toBeGreaterThanOrEqual(3);
        expect(draw.nodes).toBeLessThanOrEqual(7);
        expect(draw.faultKinds!.length).toBeGreaterThan(0);
        for (const kind of draw.faultKinds!) expect(ranges.faultKinds).toContain(kind);
        // Kinds keep the declared order, each at most once.
        expect(draw.faultKinds).toEqual(ranges.faultKinds!.filter((kind) => draw.faultKinds!.includes(kind)));
        expect(draw.faults).toBeGreaterThanOrEqual(1);
        expect(draw.faults).toBeLessThanOrEqual(12);
        expect(draw.loss).toBeGreaterThanOrEqual(0);
        expect(draw.loss).toBeLessThanOrEqual(0.05);
        expect(draw.duplicate).toBeLessThanOrEqual(0.1);
        const timeout = draw.config!.electionTimeoutMicros as number;
        expect(timeout >= 80_000 && timeout <= 300_000 && Number.isInteger(timeout)).toBe(true);
        const latency = draw.latency!;
        const median =
          latency.dist === 'constant'
            ? latency.micros
            : latency.dist === 'uniform'
              ? Math.round((latency.min + latency.max) / 2.5) // uniform spans median/2 .. 2·median
              : latency.dist === 'exponential'
                ? latency.mean
                : latency.dist === 'lognormal'
                  ? latency.median
                  : -1;
        expect(median).toBeGreaterThanOrEqual(250);
        expect(median).toBeLessThanOrEqual(20_000);
      }),
      { numRuns: 300 },
    );
  });

  it('draws different configurations across seeds: every kind both on and off, every latency shape', () => {
    const draws = Array.from({ length: 200 }, (_, seed) => drawSwarm(ranges, seed));
    for (const kind of ranges.faultKinds!) {
      expect(draws.some((draw) => draw.faultKinds!.includes(kind))).toBe(true);
      expect(draws.some((draw) => !draw.faultKinds!.includes(kind))).toBe(true);
    }
    expect(new Set(draws.map((draw) => draw.latency!.dist))).toEqual(
      new Set(['constant', 'uniform', 'exponential', 'lognormal']),
    );
    expect(draws.filter((draw) => draw.loss === 0).length).toBeGreaterThan(50);
  });

  it('names the field of a bad range', () => {
    expect(() => drawSwarm({ faults: { min: 5, max: 2 } }, 1)).toThrow(
      /swarm\.faults: give whole numbers with min <= max/,
    );
    expect(() => drawSwarm({ faultKinds: ['meteor' as never] }, 1)).toThrow(
      /swarm\.faultKinds: unknown fault kind 'meteor'/,
    );
  });
});

describe('drawSwarm: feature switches, linked settings and the nemesis’s shape', () => {
  const shaped: SwarmRanges = {
    config: {
      batch: { min: 1, max: 16, scale: 'log' },
      preVote: { oneOf: [true, false] },
    },
    configSets: [
      [
        { readMode: 'lease', checkQuorum: true, timeout: { min: 80, max: 300, scale: 'log' } },
        { readMode: 'log', checkQuorum: { oneOf: [true, false] }, timeout: { min: 55, max: 300 } },
      ],
    ],
    faultDurationMicros: { min: 1_000, max: 3_000_000 },
    partitionShapes: ['halves', 'isolate', 'oneWay'],
    clockJumpMicros: { min: 1_000, max: 20_000 },
    burstProbability: { min: 0.05, max: 0.6 },
  };

  it('keeps every draw within its declaration, and a set’s settings together', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const draw = drawSwarm(shaped, seed);
        expect(drawSwarm(shaped, seed)).toEqual(draw);
        const config = draw.config!;
        expect(Number.isInteger(config.batch) && (config.batch as number) >= 1 && (config.batch as number) <= 16).toBe(
          true,
        );
        expect([true, false]).toContain(config.preVote);
        if (config.readMode === 'lease') {
          expect(config.checkQuorum).toBe(true);
          expect(config.timeout).toBeGreaterThanOrEqual(80);
        } else {
          expect(config.readMode).toBe('log');
          expect(config.timeout).toBeGreaterThanOrEqual(55);
        }
        expect(config.timeout).toBeLessThanOrEqual(300);
        const { min, max } = draw.faultDurationMicros!;
        expect(1_000 <= min && min <= max && max <= 3_000_000).toBe(true);
        expect(draw.partitionShapes!.length).toBeGreaterThan(0);
        expect(draw.partitionShapes).toEqual(shaped.partitionShapes!.filter((s) => draw.partitionShapes!.includes(s)));
        expect(draw.clockJumpMicros! >= 1_000 && draw.clockJumpMicros! <= 20_000).toBe(true);
        expect(draw.burstProbability! >= 0.05 && draw.burstProbability! <= 0.6).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('draws a log scale log-uniformly: as many seeds in 1..3 as in 4..15, and both ends', () => {
    const batches = Array.from({ length: 2_000 }, (_, seed) => drawSwarm(shaped, seed).config!.batch as number);
    const low = batches.filter((batch) => batch <= 3).length;
    const high = batches.filter((batch) => batch >= 4 && batch <= 15).length;
    // ln(4/1) = ln(16/4): the two bands are equally likely; 2,000 draws stay within 15% of each other.
    expect(Math.abs(low - high) / Math.max(low, high)).toBeLessThan(0.15);
    expect(batches).toContain(1);
    expect(batches).toContain(16);
    // A linear draw of the same range gives 1..3 about one seed in five.
    const linear = Array.from(
      { length: 2_000 },
      (_, seed) => drawSwarm({ config: { batch: { min: 1, max: 16 } } }, seed).config!.batch as number,
    );
    expect(linear.filter((batch) => batch <= 3).length).toBeLessThan(low / 1.5);
  });

  it('gives some seeds only blips and others only long episodes', () => {
    const draws = Array.from({ length: 300 }, (_, seed) => drawSwarm(shaped, seed).faultDurationMicros!);
    expect(draws.some(({ max }) => max < 20_000)).toBe(true);
    expect(draws.some(({ min }) => min > 1_000_000)).toBe(true);
  });

  it('lays the nemesis’s shape over the family’s', () => {
    const draw = drawSwarm(shaped, 3);
    const scenario = applySwarm(
      { name: 'base', protocol: 'raft', nodes: 3, until: '5s', nemesis: { faults: 4, minDuration: '1s' } },
      draw,
    );
    expect(scenario.nemesis).toEqual({
      faults: 4,
      minDuration: draw.faultDurationMicros!.min,
      maxDuration: draw.faultDurationMicros!.max,
      shapes: draw.partitionShapes,
      clockJumpMax: draw.clockJumpMicros,
      probability: draw.burstProbability,
    });
    expect(scenario.config).toEqual(draw.config);
  });

  it('leaves the draws of the older fields alone when the newer ones are declared', () => {
    for (let seed = 0; seed < 50; seed++) {
      const plain = drawSwarm(ranges, seed);
      const more = drawSwarm({ ...ranges, faultDurationMicros: { min: 1, max: 10 }, partitionShapes: ['ring'] }, seed);
      expect({ ...more, faultDurationMicros: undefined, partitionShapes: undefined }).toEqual({
        ...plain,
        faultDurationMicros: undefined,
        partitionShapes: undefined,
      });
    }
  });

  it('names the field of a bad declaration', () => {
    expect(() => drawSwarm({ config: { batch: { min: 0, max: 4, scale: 'log' } } }, 1)).toThrow(
      /swarm\.config\.batch: a log scale needs min >= 1/,
    );
    expect(() => drawSwarm({ config: { mode: { oneOf: [] } } }, 1)).toThrow(
      /swarm\.config\.mode: give at least one value/,
    );
    expect(() => drawSwarm({ partitionShapes: ['triangle' as never] }, 1)).toThrow(
      /swarm\.partitionShapes: unknown shape 'triangle'/,
    );
    expect(() => drawSwarm({ burstProbability: { min: 0.5, max: 1.5 } }, 1)).toThrow(/swarm\.burstProbability/);
  });
});

describe('applySwarm and familyScenario', () => {
  const base: Scenario = {
    name: 'base',
    protocol: 'raft',
    nodes: 5,
    until: '10s',
    config: { readMode: 'lease', electionTimeoutMicros: 150_000 },
    network: { latency: '2ms', fifo: true },
    nemesis: { faults: 6, kinds: ['partition'], healAt: '6s' },
  };

  it('lays the draw over the family’s choices and leaves the rest alone', () => {
    const draw = drawSwarm(ranges, 7);
    const swarmed = applySwarm(base, draw);
    expect(swarmed.nodes).toBe(draw.nodes);
    expect(swarmed.config).toEqual({ readMode: 'lease', electionTimeoutMicros: draw.config!.electionTimeoutMicros });
    expect(swarmed.network).toEqual({ latency: draw.latency, fifo: true, loss: draw.loss, duplicate: draw.duplicate });
    expect(swarmed.nemesis).toEqual({ faults: draw.faults, kinds: draw.faultKinds, healAt: '6s' });
    expect(applySwarm(base, {})).toEqual({ ...base, network: base.network, nemesis: base.nemesis });
  });

  it('gives the cluster size to a family’s nodes option, so the family names its own nodes', () => {
    const family = defineSeedFamily({
      description: 'test',
      options: { nodes: { type: 'integer', description: 'size', default: 3 } },
      swarm: { nodes: { min: 4, max: 9 } },
      scenario: (seed, options) => ({
        ...base,
        name: `n${String(options.nodes)}`,
        nodes: options.nodes as number,
        seed,
      }),
    });
    const { scenario, swarm } = familyScenario(family, 11, { nodes: 3, bugs: [] }, true);
    expect(scenario.name).toBe(`n${swarm!.nodes}`);
    expect(familyScenario(family, 11, { nodes: 3, bugs: [] }).scenario.name).toBe('n3');
    expect(() => familyScenario({ ...family, swarm: undefined }, 1, { bugs: [] }, true)).toThrow(
      /declares no swarm ranges/,
    );
  });
});
