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
        const timeout = draw.config!.electionTimeoutMicros!;
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
