import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applySwarm,
  createRandom,
  drawSwarm,
  generateFaultSchedule,
  familyScenario,
  defineSeedFamily,
  randomEpisode,
  type ResolvedNemesis,
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

  it('draws a log scale log-uniformly: as many seeds in 2..3 as in 4..7, and both ends', () => {
    const batches = Array.from({ length: 4_000 }, (_, seed) => drawSwarm(shaped, seed).config!.batch as number);
    const low = batches.filter((batch) => batch >= 2 && batch <= 3).length;
    const high = batches.filter((batch) => batch >= 4 && batch <= 7).length;
    // ln(4/2) = ln(8/4): the two bands are equally likely (the ends, 1 and 16, also get the draws
    // at an end of the range); about 500 draws each stay within 15% of each other.
    expect(Math.abs(low - high) / Math.max(low, high)).toBeLessThan(0.15);
    expect(batches).toContain(1);
    expect(batches).toContain(16);
    // A linear draw of the same range gives 2..3 about one draw within the range in eight.
    const linear = Array.from(
      { length: 4_000 },
      (_, seed) => drawSwarm({ config: { batch: { min: 1, max: 16 } } }, seed).config!.batch as number,
    );
    expect(linear.filter((batch) => batch >= 2 && batch <= 3).length).toBeLessThan(low / 1.5);
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
      fitEpisodes: true,
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

describe('drawSwarm: inclusion, ends of ranges and episodes that fit', () => {
  const kinds: SwarmRanges = { faultKinds: ['partition', 'crash', 'pause', 'clock', 'loss', 'duplicate'] };
  const seeds = Array.from({ length: 2_000 }, (_, seed) => seed);

  it('draws the inclusion probability per seed: one kind alone and every kind at once are both common', () => {
    const counts = seeds.map((seed) => drawSwarm(kinds, seed).faultKinds!.length);
    // With a flat 1/2, all six kinds come on in 1 seed of 64 (about 31 of 2,000); with the
    // probability uniform per seed, in 1 of 7 (about 286). A lone kind: 6/64 + 1/64 against 1/7 + 1/7.
    expect(counts.filter((count) => count === 6).length).toBeGreaterThan(4 * 31);
    expect(counts.filter((count) => count === 1).length).toBeGreaterThan(2 * 219);
    expect(counts.every((count) => count >= 1)).toBe(true);
  });

  it('turns the always-on kinds on in every seed, and draws the others', () => {
    const ranges: SwarmRanges = { faultKinds: ['partition', 'pause', 'loss'], alwaysFaultKinds: ['crash'] };
    const draws = seeds.slice(0, 300).map((seed) => drawSwarm(ranges, seed).faultKinds!);
    expect(draws.every((drawn) => drawn.includes('crash'))).toBe(true);
    for (const kind of ['partition', 'pause', 'loss'] as const) {
      expect(draws.some((drawn) => drawn.includes(kind))).toBe(true);
      expect(draws.some((drawn) => !drawn.includes(kind))).toBe(true);
    }
    expect(draws.some((drawn) => drawn.length === 1)).toBe(true);
    // The declared order, each kind once.
    for (const drawn of draws)
      expect(drawn).toEqual(['partition', 'pause', 'loss', 'crash'].filter((k) => drawn.includes(k as never)));
    expect(drawSwarm({ alwaysFaultKinds: ['crash'] }, 1).faultKinds).toEqual(['crash']);
    expect(() => drawSwarm({ faultKinds: [], alwaysFaultKinds: [] }, 1)).toThrow(
      /swarm\.faultKinds: give at least one/,
    );
  });

  it('draws a whole-number knob at an end of its range in the share of knobs the seed drew', () => {
    const range: SwarmRanges = { config: { a: { min: 80, max: 300 }, b: { min: 10, max: 1_000 } } };
    const draws = seeds.map((seed) => drawSwarm(range, seed));
    const at = (value: number) => draws.filter((draw) => draw.config!.a === value).length / draws.length;
    // The share is uniform in [0, 1): a quarter of the knobs at each end, and a uniform draw adds 1/221 more.
    for (const end of [80, 300]) expect(Math.abs(at(end) - 0.25)).toBeLessThan(0.04);
    // Seeds with a high share put both knobs at an end; seeds with a low one neither.
    const ends = (draw: (typeof draws)[number]) =>
      [draw.config!.a === 80 || draw.config!.a === 300, draw.config!.b === 10 || draw.config!.b === 1_000].filter(
        Boolean,
      ).length;
    const high = draws.filter((draw) => draw.cornerShare! > 0.9);
    const low = draws.filter((draw) => draw.cornerShare! < 0.1);
    expect(high.filter((draw) => ends(draw) === 2).length / high.length).toBeGreaterThan(0.7);
    expect(low.filter((draw) => ends(draw) === 0).length / low.length).toBeGreaterThan(0.7);
  });

  it('sets the client timeout of the workload', () => {
    const draw = drawSwarm({ clientTimeoutMicros: { min: 20_000, max: 1_000_000, scale: 'log' } }, 5);
    expect(draw.clientTimeoutMicros! >= 20_000 && draw.clientTimeoutMicros! <= 1_000_000).toBe(true);
    const scenario = applySwarm(
      { name: 'w', protocol: 'raft', nodes: 3, until: '5s', workload: { name: 'kv', clients: 2, timeout: '1s' } },
      draw,
    );
    expect(scenario.workload).toEqual({ name: 'kv', clients: 2, timeout: draw.clientTimeoutMicros });
  });
});

describe('nemesis fitEpisodes', () => {
  const nodes = ['n1', 'n2', 'n3'];
  const nemesis = (fitEpisodes: boolean): ResolvedNemesis => ({
    faults: 1,
    kinds: ['crash'],
    shapes: ['isolate'],
    from: 1_000_000,
    healAt: 10_000_000,
    minDuration: 1_000_000,
    maxDuration: 9_000_000,
    clockJumpMax: 0,
    driftPpmMax: 0,
    probability: 0.3,
    loseUnsyncedWrites: false,
    fitEpisodes,
    alwaysKinds: [],
  });
  const episodes = (fit: boolean) =>
    Array.from({ length: 2_000 }, (_, seed) =>
      randomEpisode('crash', nodes, nemesis(fit), createRandom(seed, 'nemesis')),
    );
  /** How long an episode lasts once the heal has ended whatever still runs. */
  const lasts = ({ at, durationMicros }: { at: number; durationMicros: number }) =>
    Math.min(at + durationMicros, 10_000_000) - at;

  it('starts every episode early enough to last its drawn length before the heal', () => {
    for (const episode of episodes(true)) {
      expect(episode.at).toBeGreaterThanOrEqual(1_000_000);
      expect(episode.durationMicros).toBeGreaterThanOrEqual(1_000_000);
      expect(episode.at + episode.durationMicros).toBeLessThanOrEqual(10_000_000);
    }
  });

  it('reaches the long end of the lengths, which unfitted episodes reach only when they start early', () => {
    // Longer than 7 s: a quarter of the drawn lengths; unfitted, only those that also start in the
    // window's first 2 s of 9 (1 in 18).
    const long = (fit: boolean) => episodes(fit).filter((episode) => lasts(episode) > 7_000_000).length / 2_000;
    expect(long(true)).toBeGreaterThan(0.2);
    expect(long(false)).toBeLessThan(0.1);
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

  it('gives the drawn family options to the family, and names a bad one', () => {
    const family = defineSeedFamily({
      description: 'test',
      options: { plan: { type: 'choice', description: 'plan', default: 'seed', values: ['seed', 'a', 'b'] } },
      swarm: { options: { plan: { oneOf: ['a', 'b'] } } },
      scenario: (seed, options) => ({ ...base, name: `plan-${String(options.plan)}`, seed }),
    });
    const plans = new Set<string>();
    for (let seed = 0; seed < 40; seed++) {
      const { scenario, swarm } = familyScenario(family, seed, { plan: 'seed', bugs: [] }, true);
      expect(scenario.name).toBe(`plan-${String(swarm!.options!.plan)}`);
      plans.add(scenario.name);
    }
    expect(plans).toEqual(new Set(['plan-a', 'plan-b']));
    expect(familyScenario(family, 1, { plan: 'seed', bugs: [] }).scenario.name).toBe('plan-seed');
    expect(() =>
      familyScenario({ ...family, swarm: { options: { plan: { oneOf: ['c'] } } } }, 1, { bugs: [] }, true),
    ).toThrow(/swarm\.options\.plan: draw values the family's option 'plan' takes/);
    expect(() =>
      familyScenario({ ...family, swarm: { options: { size: { min: 1, max: 2 } } } }, 1, { bugs: [] }, true),
    ).toThrow(/swarm\.options\.size: the family has no option 'size'/);
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

describe('nemesis alwaysKinds', () => {
  const nodes = ['n1', 'n2', 'n3'];
  const nemesis = (faults: number, alwaysKinds: ResolvedNemesis['alwaysKinds']): ResolvedNemesis => ({
    faults,
    kinds: ['partition', 'pause', 'loss', 'crash'],
    shapes: ['isolate', 'oneWay'],
    from: 1_000_000,
    healAt: 10_000_000,
    minDuration: 100_000,
    maxDuration: 2_000_000,
    clockJumpMax: 0,
    driftPpmMax: 0,
    probability: 0.3,
    loseUnsyncedWrites: false,
    fitEpisodes: true,
    alwaysKinds,
  });
  const schedule = (seed: number, faults: number, always: ResolvedNemesis['alwaysKinds']) =>
    generateFaultSchedule(nodes, nemesis(faults, always), createRandom(seed, 'nemesis'));
  const crashes = (faults: ReturnType<typeof schedule>) => faults.filter(({ fault }) => fault.type === 'crash');

  it('gives every schedule an episode of each listed kind, which a random kind per episode often leaves out', () => {
    const seeds = Array.from({ length: 400 }, (_, seed) => seed);
    for (const seed of seeds) {
      const withCrash = schedule(seed, 2, ['crash']);
      expect(crashes(withCrash).length).toBeGreaterThanOrEqual(1);
      // Its restart comes too: the crash is an episode, not a node lost for good.
      expect(withCrash.some(({ fault }) => fault.type === 'restart')).toBe(true);
    }
    const without = seeds.filter((seed) => crashes(schedule(seed, 2, [])).length === 0).length;
    expect(without / seeds.length).toBeGreaterThan(0.4);
  });

  it('leaves a schedule whose budget drew the kind exactly as it was', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 1, max: 8 }), (seed, faults) => {
        const plain = schedule(seed, faults, []);
        if (crashes(plain).length > 0) expect(schedule(seed, faults, ['crash'])).toEqual(plain);
      }),
    );
  });
});

describe('drawSwarm: slow disks', () => {
  const disks: SwarmRanges = {
    faultKinds: ['partition'],
    alwaysFaultKinds: ['crash'],
    syncLatencyMicros: { min: 200, max: 40_000 },
  };

  it('gives about half the seeds slow syncs, and half of those crashes that lose unsynced writes', () => {
    const draws = Array.from({ length: 2_000 }, (_, seed) => drawSwarm(disks, seed));
    const slow = draws.filter((draw) => draw.syncLatency !== undefined);
    expect(slow.length / draws.length).toBeGreaterThan(0.4);
    expect(slow.length / draws.length).toBeLessThan(0.6);
    const powerLoss = slow.filter((draw) => draw.loseUnsyncedWrites).length / slow.length;
    expect(powerLoss).toBeGreaterThan(0.4);
    expect(powerLoss).toBeLessThan(0.6);
    // Instant syncs lose nothing, so those seeds draw no crash mode.
    expect(draws.filter((draw) => draw.syncLatency === undefined && draw.loseUnsyncedWrites !== undefined)).toEqual([]);
  });

  it('leaves the draws of every other field as they were', () => {
    const { syncLatencyMicros: _, ...rest } = disks;
    for (let seed = 0; seed < 50; seed++) {
      const { syncLatency, loseUnsyncedWrites, ...others } = drawSwarm(disks, seed);
      expect(others).toEqual(drawSwarm(rest, seed));
      void syncLatency;
      void loseUnsyncedWrites;
    }
  });

  it('sets every node’s sync latency and the crash mode of the nemesis, and keeps its crashes in the schedule', () => {
    const seed = Array.from({ length: 100 }, (_, s) => s).find((s) => drawSwarm(disks, s).loseUnsyncedWrites)!;
    const draw = drawSwarm(disks, seed);
    const scenario = applySwarm(
      { name: 'd', protocol: 'raft', nodes: 3, until: '5s', nemesis: { faults: 2, kinds: ['partition', 'crash'] } },
      draw,
    );
    expect(scenario.storage).toEqual({ syncLatency: draw.syncLatency });
    expect(scenario.nemesis).toMatchObject({ loseUnsyncedWrites: true, alwaysKinds: ['crash'] });
  });
});

describe('drawSwarm: the client timeout in round trips', () => {
  const timed: SwarmRanges = {
    latencyMicros: { min: 500, max: 20_000 },
    syncLatencyMicros: { min: 200, max: 40_000 },
    clientTimeoutRoundTrips: { min: 2, max: 64, scale: 'log' },
  };
  const typical = (latency: NonNullable<ReturnType<typeof drawSwarm>['latency']>) =>
    latency.dist === 'constant'
      ? latency.micros
      : latency.dist === 'uniform'
        ? Math.round((latency.min + latency.max) / 2)
        : latency.dist === 'lognormal'
          ? latency.median
          : latency.mean;

  it('sets the timeout to the drawn multiple of a write’s time: four network legs, and a slow disk’s sync per client', () => {
    for (let seed = 0; seed < 300; seed++) {
      const draw = drawSwarm(timed, seed);
      const scenario = applySwarm(
        { name: 't', protocol: 'raft', nodes: 3, until: '5s', workload: { name: 'kv', clients: 3, timeout: '1s' } },
        draw,
      );
      const writeMicros = 4 * typical(draw.latency!) + (draw.syncLatency ? 3 * typical(draw.syncLatency) : 0);
      expect(draw.clientTimeoutRoundTrips! >= 2 && draw.clientTimeoutRoundTrips! <= 64).toBe(true);
      expect(scenario.workload!.timeout).toBe(draw.clientTimeoutRoundTrips! * writeMicros);
    }
  });

  it('refuses a range without the latency it multiplies, or beside an absolute timeout', () => {
    expect(() => drawSwarm({ clientTimeoutRoundTrips: { min: 2, max: 8 } }, 1)).toThrow(
      /clientTimeoutRoundTrips: needs swarm.latencyMicros/,
    );
    expect(() => drawSwarm({ ...timed, clientTimeoutMicros: { min: 1_000, max: 2_000 } }, 1)).toThrow(
      /give it or clientTimeoutMicros, not both/,
    );
  });
});

describe('drawSwarm: when the clients stop', () => {
  it('sets the workload’s stop time within the range, the other draws as they were', () => {
    const stops: SwarmRanges = { ...ranges, clientStopMicros: { min: 7_000_000, max: 15_000_000 } };
    for (let seed = 0; seed < 100; seed++) {
      const { clientStopMicros, ...others } = drawSwarm(stops, seed);
      expect(others).toEqual(drawSwarm(ranges, seed));
      expect(clientStopMicros! >= 7_000_000 && clientStopMicros! <= 15_000_000).toBe(true);
      const scenario = applySwarm(
        { name: 's', protocol: 'raft', nodes: 3, until: '16s', workload: { name: 'kv', clients: 2, stopAt: '15s' } },
        drawSwarm(stops, seed),
      );
      expect(scenario.workload).toMatchObject({ name: 'kv', clients: 2, stopAt: clientStopMicros });
    }
  });
});
