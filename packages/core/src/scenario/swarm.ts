import { NEMESIS_KINDS, PARTITION_SHAPES, type NemesisKind, type PartitionShape } from '../faults/nemesis.ts';
import { exp, ln } from '../random/deterministic-math.ts';
import { createRandom, type Random } from '../random/random.ts';
import type { LatencyDistribution } from '../kernel/latency.ts';
import type { Scenario } from './schema.ts';

/** An inclusive range of whole numbers. */
export interface IntegerRange {
  readonly min: number;
  readonly max: number;
  /**
   * 'log' draws log-uniformly (as many seeds from 1 to 10 as from 10 to 100), for knobs whose
   * interesting values sit at one end of a wide range; default 'linear'.
   */
  readonly scale?: 'linear' | 'log';
}

/** A config value a swarm can set: a number, a mode name, a feature switch. */
export type SwarmSetting = number | string | boolean;

/** A config knob drawn from a list (a feature switch, a mode), each value equally likely. */
export interface SwarmChoice {
  readonly oneOf: readonly SwarmSetting[];
}

/** A knob of a config set: a fixed value, a range or a choice. */
export type SwarmKnob = SwarmSetting | IntegerRange | SwarmChoice;

/**
 * Swarm testing (Groce et al., ISSTA 2012; TigerBeetle's VOPR): each seed also draws which fault
 * kinds are on and the knobs of its run, so a sweep tries many configurations, including those
 * where one kind of fault is absent and another can pile up. A family declares the ranges; every
 * field is optional and a missing one leaves the family's own choice alone.
 */
export interface SwarmRanges {
  /** Cluster size. A family with a `nodes` option gets it as that option, so it can name its nodes. */
  readonly nodes?: IntegerRange;
  /** The fault kinds a seed may enable: each is on with probability 1/2, and at least one always is. */
  readonly faultKinds?: readonly NemesisKind[];
  /** Fault episodes (the nemesis budget). */
  readonly faults?: IntegerRange;
  /** The median one-way latency in microseconds; the distribution's shape is drawn too. */
  readonly latencyMicros?: IntegerRange;
  /** Largest base message loss and duplication rates; half the seeds get none. */
  readonly loss?: { readonly max: number };
  readonly duplicate?: { readonly max: number };
  /** Config knobs: whole numbers (timeouts in microseconds, batch sizes) from a range, or one of a list (switches, modes). */
  readonly config?: Readonly<Record<string, IntegerRange | SwarmChoice>>;
  /**
   * Config knobs that constrain each other (a read mode that needs a check, and the timeouts it
   * allows), drawn together: for each group, one of its sets, each equally likely, its knobs drawn
   * like `config`'s (a fixed value stays as given) and merged over them.
   */
  readonly configSets?: ReadonlyArray<ReadonlyArray<Readonly<Record<string, SwarmKnob>>>>;
  /**
   * Episode lengths in microseconds: each seed draws its own shortest and longest episode
   * log-uniformly within this range, so some seeds get only blips (a crash shorter than a round
   * trip) and others only long outages (a member down past its failure detector).
   */
  readonly faultDurationMicros?: IntegerRange;
  /** Partition shapes a seed may use: each on with probability 1/2, at least one. */
  readonly partitionShapes?: readonly PartitionShape[];
  /** Largest clock jump in microseconds, drawn log-uniformly (the family's bound is the range's max). */
  readonly clockJumpMicros?: IntegerRange;
  /** Loss or duplication probability during a nemesis burst. */
  readonly burstProbability?: { readonly min: number; readonly max: number };
}

/** What one seed drew: recorded in the sweep's result line, and drawn again from the seed on replay. */
export interface SwarmDraw {
  nodes?: number;
  faultKinds?: NemesisKind[];
  faults?: number;
  latency?: LatencyDistribution;
  loss?: number;
  duplicate?: number;
  config?: Record<string, SwarmSetting>;
  /** Shortest and longest fault episode, microseconds. */
  faultDurationMicros?: { min: number; max: number };
  partitionShapes?: PartitionShape[];
  clockJumpMicros?: number;
  burstProbability?: number;
}

/** Draws a seed's configuration from the `swarm` stream of the seed: the same seed, the same draw. */
export function drawSwarm(ranges: SwarmRanges, seed: number): SwarmDraw {
  const random = createRandom(seed, 'swarm');
  const draw: SwarmDraw = {};
  if (ranges.nodes) draw.nodes = intIn(random, ranges.nodes, 'nodes');
  if (ranges.faultKinds) {
    for (const kind of ranges.faultKinds)
      if (!NEMESIS_KINDS.includes(kind))
        throw new Error(`swarm.faultKinds: unknown fault kind '${kind}'; use ${NEMESIS_KINDS.join(', ')}`);
    const kinds = ranges.faultKinds.filter(() => random.chance(0.5));
    draw.faultKinds = kinds.length > 0 ? kinds : [random.pick(ranges.faultKinds)];
  }
  if (ranges.faults) draw.faults = intIn(random, ranges.faults, 'faults');
  if (ranges.latencyMicros) draw.latency = drawLatency(random, ranges.latencyMicros);
  if (ranges.loss) draw.loss = random.chance(0.5) ? 0 : round3(random.next() * ranges.loss.max);
  if (ranges.duplicate) draw.duplicate = random.chance(0.5) ? 0 : round3(random.next() * ranges.duplicate.max);
  if (ranges.config) {
    draw.config = {};
    for (const [name, range] of Object.entries(ranges.config))
      draw.config[name] = drawKnob(random, range, `config.${name}`);
  }
  // Fields below were added after the ones above: drawn after them, so a family that declares
  // none of them draws what it drew before.
  if (ranges.configSets) {
    draw.config ??= {};
    ranges.configSets.forEach((group, index) => {
      for (const [name, knob] of Object.entries(choose(random, group, `configSets[${index}]`)))
        draw.config![name] = drawKnob(random, knob, `configSets[${index}].${name}`);
    });
  }
  if (ranges.faultDurationMicros) {
    const a = intIn(random, { ...ranges.faultDurationMicros, scale: 'log' }, 'faultDurationMicros');
    const b = intIn(random, { ...ranges.faultDurationMicros, scale: 'log' }, 'faultDurationMicros');
    draw.faultDurationMicros = { min: Math.min(a, b), max: Math.max(a, b) };
  }
  if (ranges.partitionShapes) {
    for (const shape of ranges.partitionShapes)
      if (!PARTITION_SHAPES.includes(shape))
        throw new Error(`swarm.partitionShapes: unknown shape '${shape}'; use ${PARTITION_SHAPES.join(', ')}`);
    const shapes = ranges.partitionShapes.filter(() => random.chance(0.5));
    draw.partitionShapes = shapes.length > 0 ? shapes : [random.pick(ranges.partitionShapes)];
  }
  if (ranges.clockJumpMicros)
    draw.clockJumpMicros = intIn(random, { ...ranges.clockJumpMicros, scale: 'log' }, 'clockJumpMicros');
  if (ranges.burstProbability) {
    const { min, max } = ranges.burstProbability;
    if (!(min >= 0 && max <= 1 && min <= max))
      throw new Error(`swarm.burstProbability: give probabilities with 0 <= min <= max <= 1, got ${min}..${max}`);
    draw.burstProbability = round3(min + random.next() * (max - min));
  }
  return draw;
}

/** The scenario with the draw applied over the family's choices. */
export function applySwarm(scenario: Scenario, draw: SwarmDraw): Scenario {
  const network = {
    ...scenario.network,
    ...(draw.latency !== undefined ? { latency: draw.latency } : {}),
    ...(draw.loss !== undefined ? { loss: draw.loss } : {}),
    ...(draw.duplicate !== undefined ? { duplicate: draw.duplicate } : {}),
  };
  const nemesis =
    scenario.nemesis === undefined
      ? undefined
      : {
          ...scenario.nemesis,
          ...(draw.faultKinds !== undefined ? { kinds: draw.faultKinds } : {}),
          ...(draw.faults !== undefined ? { faults: draw.faults } : {}),
          ...(draw.faultDurationMicros !== undefined
            ? { minDuration: draw.faultDurationMicros.min, maxDuration: draw.faultDurationMicros.max }
            : {}),
          ...(draw.partitionShapes !== undefined ? { shapes: draw.partitionShapes } : {}),
          ...(draw.clockJumpMicros !== undefined ? { clockJumpMax: draw.clockJumpMicros } : {}),
          ...(draw.burstProbability !== undefined ? { probability: draw.burstProbability } : {}),
        };
  return {
    ...scenario,
    ...(draw.nodes !== undefined && typeof scenario.nodes === 'number' ? { nodes: draw.nodes } : {}),
    ...(draw.config !== undefined ? { config: { ...scenario.config, ...draw.config } } : {}),
    network,
    ...(nemesis !== undefined ? { nemesis } : {}),
  };
}

/**
 * The latency shapes a real network shows: a constant (a LAN), uniform jitter, an exponential
 * tail and a log-normal one (measured RPC latencies are close to log-normal).
 */
function drawLatency(random: Random, range: IntegerRange): LatencyDistribution {
  // Log-uniform (with the platform-independent ln and exp, so every machine draws the same), so 1ms..100ms gives as many seeds below 10ms as above.
  const median = Math.max(1, Math.round(exp(ln(range.min) + random.next() * ln(range.max / range.min))));
  switch (random.int(0, 3)) {
    case 0:
      return { dist: 'constant', micros: median };
    case 1:
      return { dist: 'uniform', min: Math.max(1, Math.round(median / 2)), max: median * 2 };
    case 2:
      return { dist: 'exponential', mean: median, min: Math.max(1, Math.round(median / 10)) };
    default:
      return {
        dist: 'lognormal',
        median,
        sigma: round3(0.25 + random.next()),
        min: Math.max(1, Math.round(median / 10)),
      };
  }
}

function intIn(random: Random, range: IntegerRange, field: string): number {
  if (!Number.isInteger(range.min) || !Number.isInteger(range.max) || range.min > range.max)
    throw new Error(`swarm.${field}: give whole numbers with min <= max, got ${range.min}..${range.max}`);
  if (range.scale !== 'log') return random.int(range.min, range.max);
  if (range.min < 1) throw new Error(`swarm.${field}: a log scale needs min >= 1, got ${range.min}`);
  // ln and exp from deterministic-math: every platform draws the same number.
  const drawn = Math.floor(exp(ln(range.min) + random.next() * ln((range.max + 1) / range.min)));
  return Math.min(range.max, Math.max(range.min, drawn));
}

function drawKnob(random: Random, knob: SwarmKnob, field: string): SwarmSetting {
  if (typeof knob !== 'object') return knob;
  return 'oneOf' in knob ? choose(random, knob.oneOf, field) : intIn(random, knob, field);
}

function choose<T>(random: Random, values: readonly T[], field: string): T {
  if (values.length === 0) throw new Error(`swarm.${field}: give at least one value to choose from`);
  return random.pick(values);
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
