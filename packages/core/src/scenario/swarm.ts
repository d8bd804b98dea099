import { NEMESIS_KINDS, PARTITION_SHAPES, type NemesisKind, type PartitionShape } from '../faults/nemesis.ts';
import { exp, ln } from '../random/deterministic-math.ts';
import { createRandom, type Random } from '../random/random.ts';
import type { LatencyDistribution } from '../kernel/latency.ts';
import type { Scenario } from './schema.ts';

/**
 * An inclusive range of whole numbers. A swarm draws it at one of its ends in a share of knobs
 * that the seed draws (see `cornerShare` in SwarmDraw), and from within it otherwise.
 */
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
  /**
   * The fault kinds a seed may enable. The seed first draws an inclusion probability, uniform in
   * [0, 1), then turns each kind on with it (at least one always is): a flat 1/2 would give nearly
   * every seed about half the kinds, while a drawn probability spreads the seeds from one kind
   * alone to every kind at once with the same mean, so both pile-ups of one kind and mixes occur.
   */
  readonly faultKinds?: readonly NemesisKind[];
  /**
   * Fault kinds on in every seed, beside those drawn from `faultKinds` (which should not list
   * them), each with at least one episode in every seed's schedule (`nemesis.alwaysKinds`). For crash-restart in a protocol with durable state or a start-up path: a restart is
   * the only fault that runs the code that reads durable state back or rebuilds state from peers,
   * so a seed without crashes cannot reach that code at all, while every other kind only changes
   * the timing of messages that the others also disturb.
   */
  readonly alwaysFaultKinds?: readonly NemesisKind[];
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
  /** Partition shapes a seed may use: each on with a probability the seed draws (as for faultKinds), at least one. */
  readonly partitionShapes?: readonly PartitionShape[];
  /** Largest clock jump in microseconds, drawn log-uniformly (the family's bound is the range's max). */
  readonly clockJumpMicros?: IntegerRange;
  /** Loss or duplication probability during a nemesis burst. */
  readonly burstProbability?: { readonly min: number; readonly max: number };
  /**
   * The workload's client timeout in microseconds. A timeout near one round trip leaves many
   * requests with an unknown outcome, which clients retry: that is where exactly-once and
   * session bugs live, and a timeout far above every fault leaves none.
   */
  readonly clientTimeoutMicros?: IntegerRange;
  /**
   * The family's own options (the shape of its workload, such as which configuration changes an
   * operator makes), drawn like `config`'s knobs and given to the family's scenario function.
   */
  readonly options?: Readonly<Record<string, IntegerRange | SwarmChoice>>;
  /**
   * The median storage sync latency in microseconds (every node's disk; the shape is drawn as for
   * the network's latency): half the seeds keep instant syncs. A protocol with durable state has
   * a window between a write and its sync, in which it must not act as if the write were durable
   * (count its own copy, answer a vote); only slow syncs open that window, and only a crash that
   * loses unsynced writes shows what was acted on. So a seed with slow syncs also draws whether a
   * crash is a power loss (the unsynced writes are lost) or a process crash (the page cache keeps
   * them), each equally likely.
   */
  readonly syncLatencyMicros?: IntegerRange;
  /**
   * The workload's client timeout as a multiple of a write's unloaded time under the drawn latency
   * (a request, a replication round trip and an answer: four times the typical one-way latency,
   * plus, where syncs are slow, a typical sync for each client's request in flight), instead of
   * `clientTimeoutMicros`: a timeout is short or long only
   * against the latency it races, and an absolute range would give a seed with 20 ms links a
   * timeout below its round trip (no request ever answered) as often as one with 0.5 ms links a
   * timeout of a thousand round trips (no request ever retried). Needs `latencyMicros`.
   */
  readonly clientTimeoutRoundTrips?: IntegerRange;
  /**
   * When the clients stop, microseconds into the run. A range that starts before the nemesis's
   * heal gives seeds whose cluster is idle when the faults end, where nothing but the protocol's
   * own background traffic (heartbeats, probes, anti-entropy) can repair what a fault left behind;
   * clients that run past the heal repair it with their next request.
   */
  readonly clientStopMicros?: IntegerRange;
}

/** What one seed drew: recorded in the sweep's result line, and drawn again from the seed on replay. */
export interface SwarmDraw {
  /**
   * The share of this seed's whole-number knobs drawn at an end of their range (the lowest or the
   * highest value, equally likely) rather than within it. Bugs gather at the ends of ranges
   * (boundary-value testing; FoundationDB's BUGGIFY sets knobs to extreme values; fast-check,
   * which the hand-written hunts use, draws a range's ends far more often than a uniform draw),
   * and a share drawn per seed, uniform in [0, 1), gives seeds with every knob at an end at once
   * as well as seeds with none.
   */
  cornerShare?: number;
  nodes?: number;
  faultKinds?: NemesisKind[];
  /** The kinds on in every seed (of faultKinds), each in the seed's schedule at least once. */
  alwaysFaultKinds?: NemesisKind[];
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
  clientTimeoutMicros?: number;
  options?: Record<string, SwarmSetting>;
  /** The storage sync latency; absent where syncs stay instant. */
  syncLatency?: LatencyDistribution;
  /** Whether the nemesis's crashes lose unsynced writes (drawn only with slow syncs). */
  loseUnsyncedWrites?: boolean;
  /** The client timeout in a write's unloaded times (applySwarm sets the workload's timeout from it). */
  clientTimeoutRoundTrips?: number;
  /** When the clients stop, microseconds. */
  clientStopMicros?: number;
}

/** Draws a seed's configuration from the `swarm` stream of the seed: the same seed, the same draw. */
export function drawSwarm(ranges: SwarmRanges, seed: number): SwarmDraw {
  const random = createRandom(seed, 'swarm');
  const cornerShare = round3(random.next());
  const draw: SwarmDraw = { cornerShare };
  const knob = (range: IntegerRange, field: string) => intIn(random, range, field, cornerShare);
  if (ranges.nodes) draw.nodes = knob(ranges.nodes, 'nodes');
  if (ranges.faultKinds || ranges.alwaysFaultKinds) {
    const always = ranges.alwaysFaultKinds ?? [];
    for (const kind of [...(ranges.faultKinds ?? []), ...always])
      if (!NEMESIS_KINDS.includes(kind))
        throw new Error(`swarm.faultKinds: unknown fault kind '${kind}'; use ${NEMESIS_KINDS.join(', ')}`);
    const declared = [...new Set([...(ranges.faultKinds ?? []), ...always])];
    const optional = declared.filter((kind) => !always.includes(kind));
    if (declared.length === 0) throw new Error('swarm.faultKinds: give at least one fault kind');
    const drawn = someOf(random, optional);
    const on = always.length > 0 || drawn.length > 0 ? [...always, ...drawn] : [random.pick(optional)];
    draw.faultKinds = declared.filter((kind) => on.includes(kind));
    if (always.length > 0) draw.alwaysFaultKinds = [...always];
  }
  if (ranges.faults) draw.faults = knob(ranges.faults, 'faults');
  if (ranges.latencyMicros) draw.latency = drawLatency(random, ranges.latencyMicros);
  if (ranges.loss) draw.loss = random.chance(0.5) ? 0 : round3(random.next() * ranges.loss.max);
  if (ranges.duplicate) draw.duplicate = random.chance(0.5) ? 0 : round3(random.next() * ranges.duplicate.max);
  if (ranges.config) {
    draw.config = {};
    for (const [name, range] of Object.entries(ranges.config))
      draw.config[name] = drawKnob(random, range, `config.${name}`, cornerShare);
  }
  // Each field draws from the stream only when declared, after the ones above it: declaring a
  // field leaves the draws of the fields above it as they were.
  if (ranges.configSets) {
    draw.config ??= {};
    ranges.configSets.forEach((group, index) => {
      for (const [name, knob] of Object.entries(choose(random, group, `configSets[${index}]`)))
        draw.config![name] = drawKnob(random, knob, `configSets[${index}].${name}`, cornerShare);
    });
  }
  if (ranges.faultDurationMicros) {
    const a = knob({ ...ranges.faultDurationMicros, scale: 'log' }, 'faultDurationMicros');
    const b = knob({ ...ranges.faultDurationMicros, scale: 'log' }, 'faultDurationMicros');
    draw.faultDurationMicros = { min: Math.min(a, b), max: Math.max(a, b) };
  }
  if (ranges.partitionShapes) {
    for (const shape of ranges.partitionShapes)
      if (!PARTITION_SHAPES.includes(shape))
        throw new Error(`swarm.partitionShapes: unknown shape '${shape}'; use ${PARTITION_SHAPES.join(', ')}`);
    const shapes = someOf(random, ranges.partitionShapes);
    draw.partitionShapes = shapes.length > 0 ? shapes : [random.pick(ranges.partitionShapes)];
  }
  if (ranges.clockJumpMicros)
    draw.clockJumpMicros = knob({ ...ranges.clockJumpMicros, scale: 'log' }, 'clockJumpMicros');
  if (ranges.burstProbability) {
    const { min, max } = ranges.burstProbability;
    if (!(min >= 0 && max <= 1 && min <= max))
      throw new Error(`swarm.burstProbability: give probabilities with 0 <= min <= max <= 1, got ${min}..${max}`);
    draw.burstProbability = round3(min + random.next() * (max - min));
  }
  if (ranges.clientTimeoutMicros) draw.clientTimeoutMicros = knob(ranges.clientTimeoutMicros, 'clientTimeoutMicros');
  if (ranges.options) {
    draw.options = {};
    for (const [name, range] of Object.entries(ranges.options))
      draw.options[name] = drawKnob(random, range, `options.${name}`, cornerShare);
  }
  if (ranges.syncLatencyMicros && random.chance(0.5)) {
    draw.syncLatency = drawLatency(random, ranges.syncLatencyMicros);
    draw.loseUnsyncedWrites = random.chance(0.5);
  }
  if (ranges.clientTimeoutRoundTrips) {
    if (ranges.clientTimeoutMicros)
      throw new Error('swarm.clientTimeoutRoundTrips: give it or clientTimeoutMicros, not both');
    if (!draw.latency)
      throw new Error('swarm.clientTimeoutRoundTrips: needs swarm.latencyMicros, the latency it is a multiple of');
    draw.clientTimeoutRoundTrips = knob(ranges.clientTimeoutRoundTrips, 'clientTimeoutRoundTrips');
  }
  if (ranges.clientStopMicros) draw.clientStopMicros = knob(ranges.clientStopMicros, 'clientStopMicros');
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
          // A kind on in every seed is in every seed's schedule, whatever the budget drew.
          ...(draw.alwaysFaultKinds !== undefined ? { alwaysKinds: draw.alwaysFaultKinds } : {}),
          ...(draw.faults !== undefined ? { faults: draw.faults } : {}),
          // The drawn lengths reach the whole fault window; an episode the heal cut short would
          // not last its drawn length, so each starts early enough to end by the heal.
          ...(draw.faultDurationMicros !== undefined
            ? {
                minDuration: draw.faultDurationMicros.min,
                maxDuration: draw.faultDurationMicros.max,
                fitEpisodes: true,
              }
            : {}),
          ...(draw.partitionShapes !== undefined ? { shapes: draw.partitionShapes } : {}),
          ...(draw.clockJumpMicros !== undefined ? { clockJumpMax: draw.clockJumpMicros } : {}),
          ...(draw.burstProbability !== undefined ? { probability: draw.burstProbability } : {}),
          ...(draw.loseUnsyncedWrites !== undefined ? { loseUnsyncedWrites: draw.loseUnsyncedWrites } : {}),
        };
  const timeout = draw.clientTimeoutMicros ?? relativeClientTimeout(scenario, draw);
  const workload =
    scenario.workload === undefined
      ? undefined
      : {
          ...scenario.workload,
          ...(timeout !== undefined ? { timeout } : {}),
          ...(draw.clientStopMicros !== undefined ? { stopAt: draw.clientStopMicros } : {}),
        };
  return {
    ...scenario,
    ...(draw.nodes !== undefined && typeof scenario.nodes === 'number' ? { nodes: draw.nodes } : {}),
    ...(draw.config !== undefined ? { config: { ...scenario.config, ...draw.config } } : {}),
    network,
    ...(nemesis !== undefined ? { nemesis } : {}),
    ...(workload !== undefined ? { workload } : {}),
    ...(draw.syncLatency !== undefined ? { storage: { ...scenario.storage, syncLatency: draw.syncLatency } } : {}),
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

/**
 * The client timeout of `clientTimeoutRoundTrips`: that many times a write's time with every
 * client's request in flight and nothing failing. A replicated write takes four one-way legs (the
 * client to the leader, the leader to a quorum and back, the answer), and a disk that syncs one
 * request after another takes a sync for each client's. A timeout below that times writes out
 * with no fault at all: clients that retry each time then never see an answer, or offer more
 * writes than a slow disk syncs (a retry storm, which no protocol outlives).
 */
function relativeClientTimeout(scenario: Scenario, draw: SwarmDraw): number | undefined {
  if (draw.clientTimeoutRoundTrips === undefined || draw.latency === undefined || scenario.workload === undefined)
    return undefined;
  const clients = scenario.workload.clients ?? 1;
  const syncMicros = draw.syncLatency ? typicalLatencyMicros(draw.syncLatency) : 0;
  return draw.clientTimeoutRoundTrips * (4 * typicalLatencyMicros(draw.latency) + clients * syncMicros);
}

/** The drawn distribution's typical one-way latency: its median, or for the exponential its mean. */
function typicalLatencyMicros(latency: LatencyDistribution): number {
  switch (latency.dist) {
    case 'constant':
      return latency.micros;
    case 'uniform':
      return Math.round((latency.min + latency.max) / 2);
    case 'exponential':
    case 'normal':
      return latency.mean;
    case 'lognormal':
      return latency.median;
  }
}

/** A whole number of the range: at one of its ends with probability `cornerShare`, else drawn within it. */
function intIn(random: Random, range: IntegerRange, field: string, cornerShare = 0): number {
  if (!Number.isInteger(range.min) || !Number.isInteger(range.max) || range.min > range.max)
    throw new Error(`swarm.${field}: give whole numbers with min <= max, got ${range.min}..${range.max}`);
  if (range.scale === 'log' && range.min < 1)
    throw new Error(`swarm.${field}: a log scale needs min >= 1, got ${range.min}`);
  if (cornerShare > 0 && random.chance(cornerShare)) return random.chance(0.5) ? range.min : range.max;
  if (range.scale !== 'log') return random.int(range.min, range.max);
  // ln and exp from deterministic-math: every platform draws the same number.
  const drawn = Math.floor(exp(ln(range.min) + random.next() * ln((range.max + 1) / range.min)));
  return Math.min(range.max, Math.max(range.min, drawn));
}

function drawKnob(random: Random, knob: SwarmKnob, field: string, cornerShare: number): SwarmSetting {
  if (typeof knob !== 'object') return knob;
  return 'oneOf' in knob ? choose(random, knob.oneOf, field) : intIn(random, knob, field, cornerShare);
}

/** Some of the values, in their order: each with an inclusion probability the seed draws, uniform in [0, 1). */
function someOf<T>(random: Random, values: readonly T[]): T[] {
  const share = random.next();
  return values.filter(() => random.chance(share));
}

function choose<T>(random: Random, values: readonly T[], field: string): T {
  if (values.length === 0) throw new Error(`swarm.${field}: give at least one value to choose from`);
  return random.pick(values);
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
