import { NEMESIS_KINDS, type NemesisKind } from '../faults/nemesis.ts';
import { exp, ln } from '../random/deterministic-math.ts';
import { createRandom, type Random } from '../random/random.ts';
import type { LatencyDistribution } from '../kernel/latency.ts';
import type { Scenario } from './schema.ts';

/** An inclusive range of whole numbers. */
export interface IntegerRange {
  readonly min: number;
  readonly max: number;
}

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
  /** Whole-number config knobs (timeouts in microseconds, batch sizes), each drawn from its range. */
  readonly config?: Readonly<Record<string, IntegerRange>>;
}

/** What one seed drew: recorded in the sweep's result line, and drawn again from the seed on replay. */
export interface SwarmDraw {
  nodes?: number;
  faultKinds?: NemesisKind[];
  faults?: number;
  latency?: LatencyDistribution;
  loss?: number;
  duplicate?: number;
  config?: Record<string, number>;
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
      draw.config[name] = intIn(random, range, `config.${name}`);
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
  return random.int(range.min, range.max);
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
