import {
  PARTITION_SHAPES,
  toMicros,
  type Duration,
  type Fault,
  type FaultEpisode,
  type NemesisKind,
  type NodeId,
  type PartitionShape,
} from '@dsim/core';
import fc from 'fast-check';

/**
 * Every kind of trouble the kernel can inject: the nemesis kinds, plus `slow` (every link gets a
 * high latency until the heal), which the kernel supports as a fault but the nemesis never draws.
 * `clock` draws clock jumps and clock drift.
 */
export type FaultKind = NemesisKind | 'slow';

export const FAULT_KINDS: readonly FaultKind[] = ['partition', 'crash', 'pause', 'clock', 'loss', 'duplicate', 'slow'];

export interface FaultArbitraryOptions {
  readonly nodes: readonly NodeId[];
  /** Which kinds of fault. Default: partition, crash, pause (the nemesis default). */
  readonly kinds?: readonly FaultKind[];
  /** Which partition shapes. Default: all (halves, isolate, ring, bridge, oneWay). */
  readonly shapes?: readonly PartitionShape[];
  /** The fault budget: at most this many episodes. Default 5. */
  readonly maxFaults?: number;
  /** No episode starts before this. Default: a tenth of healAt, at most 1s. */
  readonly from?: Duration;
  /** Every episode is over by this time, when a heal ends the schedule. */
  readonly healAt: Duration;
  /** Shortest and longest episode. Defaults 200ms and 5s. */
  readonly minDuration?: Duration;
  readonly maxDuration?: Duration;
  /** Largest clock jump either way. Default 500ms. */
  readonly clockJumpMax?: Duration;
  /** Largest clock drift either way, in ppm. Default 1000. */
  readonly driftPpmMax?: number;
  /** Which clock faults a `clock` episode draws: jumps, drift, or both (the default). */
  readonly clockFaults?: 'jump' | 'drift' | 'both';
  /** Crashes lose writes that were not synced. Default false. */
  readonly loseUnsyncedWrites?: boolean;
  /** Largest loss or duplication probability, in whole percent. Default 50. */
  readonly probabilityPercentMax?: number;
  /** Largest latency of a `slow` episode. Default 500ms. */
  readonly slowLatencyMax?: Duration;
  /**
   * Episode lengths per kind, overriding minDuration/maxDuration for that kind: e.g. crashes that
   * restart within an election timeout beside partitions that last seconds.
   */
  readonly durations?: Readonly<Partial<Record<FaultKind, { readonly min?: Duration; readonly max?: Duration }>>>;
  /**
   * Relative weights of the kinds (default 1 each): a nemesis that mostly crashes and now and then
   * partitions. A kind listed in `kinds` with weight 0 is never drawn.
   */
  readonly weights?: Readonly<Partial<Record<FaultKind, number>>>;
  /**
   * Draw schedule lengths across the whole 0..maxFaults range (fast-check's size 'max') instead
   * of favouring short lists: a busy nemesis. Shrinking still goes down to a single episode.
   */
  readonly dense?: boolean;
}

interface ResolvedOptions {
  readonly nodes: readonly NodeId[];
  readonly kinds: readonly FaultKind[];
  readonly shapes: readonly PartitionShape[];
  readonly maxFaults: number;
  readonly from: number;
  readonly healAt: number;
  readonly minDuration: number;
  readonly maxDuration: number;
  readonly clockJumpMax: number;
  readonly driftPpmMax: number;
  readonly clockFaults: 'jump' | 'drift' | 'both';
  readonly loseUnsyncedWrites: boolean;
  readonly probabilityPercentMax: number;
  readonly slowLatencyMax: number;
  /** Per-kind [min, max] durations and weights, when the options gave any (else undefined: the original draw). */
  readonly durations: ReadonlyMap<FaultKind, readonly [number, number]> | undefined;
  readonly weights: ReadonlyMap<FaultKind, number> | undefined;
  readonly dense: boolean;
}

/**
 * Fault schedules as shrinkable data: a list of at most `maxFaults` episodes (a fault and how long
 * it lasts). Flatten them with core's `episodesToSchedule(episodes, healAt)`, which undoes every
 * episode, drops episodes that would crash a crashed node, and ends with a heal. Because validity
 * is restored by flattening rather than demanded of the list, every list fast-check shrinks to is
 * still a valid schedule, and shrinking can remove any episode or move it earlier.
 */
export function faultEpisodes(options: FaultArbitraryOptions): fc.Arbitrary<FaultEpisode[]> {
  const resolved = resolveOptions(options);
  if (resolved.maxFaults === 0) return fc.constant([]);
  const length = resolved.dense
    ? ({ maxLength: resolved.maxFaults, size: 'max' } as const)
    : { maxLength: resolved.maxFaults };
  if (resolved.durations !== undefined || resolved.weights !== undefined)
    return fc.array(tunedEpisode(resolved), length);
  const episode = fc.record({
    at: fc.integer({ min: resolved.from, max: Math.max(resolved.from, resolved.healAt - 1) }),
    durationMicros: fc.integer({ min: resolved.minDuration, max: resolved.maxDuration }),
    fault: fc.constantFrom(...resolved.kinds).chain((kind) => faultOfKind(kind, resolved)),
  });
  return fc.array(episode, length);
}

/**
 * An episode whose length depends on its kind, with kinds drawn by weight. Only used when the
 * options ask for it, so schedules drawn without these options stay exactly as they were.
 */
function tunedEpisode(options: ResolvedOptions): fc.Arbitrary<FaultEpisode> {
  const at = fc.integer({ min: options.from, max: Math.max(options.from, options.healAt - 1) });
  const ofKind = (kind: FaultKind) => {
    const [min, max] = options.durations?.get(kind) ?? [options.minDuration, options.maxDuration];
    return fc.record({ at, durationMicros: fc.integer({ min, max }), fault: faultOfKind(kind, options) });
  };
  const kinds = options.kinds.filter((kind) => (options.weights?.get(kind) ?? 1) > 0);
  return fc.oneof(...kinds.map((kind) => ({ arbitrary: ofKind(kind), weight: options.weights?.get(kind) ?? 1 })));
}

/** One fault of a kind, over the given nodes. */
function faultOfKind(kind: FaultKind, options: ResolvedOptions): fc.Arbitrary<Fault> {
  const node = fc.constantFrom(...options.nodes);
  switch (kind) {
    case 'partition':
      return fc.constantFrom(...options.shapes).chain((shape) => partitionFault(shape, options.nodes));
    case 'crash':
      return node.map((id): Fault =>
        options.loseUnsyncedWrites
          ? { type: 'crash', node: id, loseUnsyncedWrites: true }
          : { type: 'crash', node: id },
      );
    case 'pause':
      return node.map((id): Fault => ({ type: 'pause', node: id }));
    case 'clock': {
      const jump = fc
        .record({ node, delta: fc.integer({ min: -options.clockJumpMax, max: options.clockJumpMax }) })
        .map(({ node: id, delta }): Fault => ({ type: 'clockJump', node: id, delta }));
      const drift = fc
        .record({ node, ppm: fc.integer({ min: -options.driftPpmMax, max: options.driftPpmMax }) })
        .map(({ node: id, ppm }): Fault => ({ type: 'clockDrift', node: id, ppm }));
      if (options.clockFaults === 'jump') return jump;
      if (options.clockFaults === 'drift') return drift;
      return fc.oneof(jump, drift);
    }
    case 'loss':
    case 'duplicate':
      return fc
        .integer({ min: 1, max: options.probabilityPercentMax })
        .map((percent): Fault => ({ type: kind, probability: percent / 100 }));
    case 'slow':
      return fc
        .integer({ min: 1_000, max: Math.max(1_000, options.slowLatencyMax) })
        .map((max): Fault => ({ type: 'slow', latency: { dist: 'uniform', min: Math.floor(max / 2), max } }));
  }
}

/**
 * A partition of a Jepsen shape with the sides drawn by fast-check, so shrinking can move nodes
 * between sides. Groups list nodes in cluster order, so equal partitions print the same.
 */
export function partitionFault(shape: PartitionShape, nodes: readonly NodeId[]): fc.Arbitrary<Fault> {
  const inOrder = (subset: readonly NodeId[]) => nodes.filter((node) => subset.includes(node));
  const rest = (subset: readonly NodeId[]) => nodes.filter((node) => !subset.includes(node));
  const half = Math.max(1, Math.floor(nodes.length / 2));
  switch (shape) {
    case 'halves':
      // A minority and a majority: the split that tests quorum rules.
      return fc
        .shuffledSubarray([...nodes], { minLength: half, maxLength: half })
        .map((minority): Fault => ({ type: 'partition', groups: [inOrder(minority), rest(minority)] }));
    case 'isolate':
      return fc.constantFrom(...nodes).map((node): Fault => ({ type: 'isolate', node }));
    case 'ring':
      return fc.constant<Fault>({ type: 'ring' });
    case 'bridge':
      return fc.constantFrom(...nodes).chain((bridge) => {
        const others = nodes.filter((node) => node !== bridge);
        const side = Math.max(0, Math.floor(others.length / 2));
        return fc.shuffledSubarray(others, { minLength: side, maxLength: side }).map((left): Fault => ({
          type: 'bridge',
          bridge,
          groups: [inOrder(left), others.filter((node) => !left.includes(node))],
        }));
      });
    case 'oneWay':
      return fc
        .shuffledSubarray([...nodes], { minLength: half, maxLength: half })
        .map((from): Fault => ({ type: 'cut', from: inOrder(from), to: rest(from) }));
  }
}

function resolveOptions(options: FaultArbitraryOptions): ResolvedOptions {
  const where = (field: string) => `faultEpisodes: options.${field}`;
  const micros = (value: Duration | undefined, field: string, fallback: number): number => {
    if (value === undefined) return fallback;
    try {
      return toMicros(value);
    } catch (error) {
      throw new Error(`${where(field)}: ${(error as Error).message}`);
    }
  };
  if (!Array.isArray(options.nodes) || options.nodes.length === 0)
    throw new Error(`${where('nodes')}: give at least one node id (the scenario's nodes)`);
  const kinds = options.kinds ?? ['partition', 'crash', 'pause'];
  if (kinds.length === 0) throw new Error(`${where('kinds')}: give at least one kind (${FAULT_KINDS.join(', ')})`);
  for (const kind of kinds)
    if (!FAULT_KINDS.includes(kind))
      throw new Error(`${where('kinds')}: unknown kind '${String(kind)}' (known: ${FAULT_KINDS.join(', ')})`);
  const shapes = options.shapes ?? PARTITION_SHAPES;
  if (shapes.length === 0)
    throw new Error(`${where('shapes')}: give at least one partition shape (${PARTITION_SHAPES.join(', ')})`);
  for (const shape of shapes)
    if (!PARTITION_SHAPES.includes(shape))
      throw new Error(`${where('shapes')}: unknown shape '${String(shape)}' (known: ${PARTITION_SHAPES.join(', ')})`);
  const healAt = micros(options.healAt, 'healAt', 0);
  if (healAt <= 0) throw new Error(`${where('healAt')}: must be after time 0, e.g. '20s'`);
  const from = micros(options.from, 'from', Math.min(1_000_000, Math.floor(healAt / 10)));
  if (from >= healAt) throw new Error(`${where('from')}: must be before healAt (${healAt}us)`);
  const minDuration = micros(options.minDuration, 'minDuration', 200_000);
  const maxDuration = micros(options.maxDuration, 'maxDuration', 5_000_000);
  if (minDuration < 0 || maxDuration < minDuration)
    throw new Error(`${where('maxDuration')}: must be at least minDuration (${minDuration}us), and both non-negative`);
  const maxFaults = options.maxFaults ?? 5;
  if (!Number.isInteger(maxFaults) || maxFaults < 0)
    throw new Error(`${where('maxFaults')}: must be a whole number of episodes, got ${maxFaults}`);
  const driftPpmMax = options.driftPpmMax ?? 1_000;
  if (!Number.isInteger(driftPpmMax) || driftPpmMax < 0)
    throw new Error(`${where('driftPpmMax')}: must be a non-negative whole number of ppm`);
  let durations: Map<FaultKind, readonly [number, number]> | undefined;
  if (options.durations !== undefined) {
    durations = new Map();
    for (const kind of Object.keys(options.durations).sort() as FaultKind[]) {
      if (!FAULT_KINDS.includes(kind))
        throw new Error(`${where('durations')}: unknown kind '${kind}' (known: ${FAULT_KINDS.join(', ')})`);
      const range = options.durations[kind]!;
      const min = micros(range.min, `durations.${kind}.min`, minDuration);
      const max = micros(range.max, `durations.${kind}.max`, Math.max(min, maxDuration));
      if (min < 0 || max < min)
        throw new Error(`${where(`durations.${kind}`)}: max must be at least min (${min}us), and both non-negative`);
      durations.set(kind, [min, max]);
    }
  }
  let weights: Map<FaultKind, number> | undefined;
  if (options.weights !== undefined) {
    weights = new Map();
    for (const kind of Object.keys(options.weights).sort() as FaultKind[]) {
      if (!FAULT_KINDS.includes(kind))
        throw new Error(`${where('weights')}: unknown kind '${kind}' (known: ${FAULT_KINDS.join(', ')})`);
      const weight = options.weights[kind]!;
      if (!Number.isInteger(weight) || weight < 0)
        throw new Error(`${where(`weights.${kind}`)}: must be a non-negative whole number, got ${weight}`);
      weights.set(kind, weight);
    }
    if (kinds.every((kind) => (weights!.get(kind) ?? 1) === 0))
      throw new Error(`${where('weights')}: every kind has weight 0`);
  }
  if (options.clockFaults !== undefined && !['jump', 'drift', 'both'].includes(options.clockFaults))
    throw new Error(`${where('clockFaults')}: must be 'jump', 'drift' or 'both'`);
  const probabilityPercentMax = options.probabilityPercentMax ?? 50;
  if (!Number.isInteger(probabilityPercentMax) || probabilityPercentMax < 1 || probabilityPercentMax > 100)
    throw new Error(`${where('probabilityPercentMax')}: must be a whole percent between 1 and 100`);
  return {
    nodes: options.nodes,
    kinds,
    shapes,
    maxFaults,
    from,
    healAt,
    minDuration,
    maxDuration,
    clockJumpMax: Math.abs(micros(options.clockJumpMax, 'clockJumpMax', 500_000)),
    driftPpmMax,
    clockFaults: options.clockFaults ?? 'both',
    loseUnsyncedWrites: options.loseUnsyncedWrites === true,
    probabilityPercentMax,
    slowLatencyMax: micros(options.slowLatencyMax, 'slowLatencyMax', 500_000),
    durations,
    weights,
    dense: options.dense === true,
  };
}
