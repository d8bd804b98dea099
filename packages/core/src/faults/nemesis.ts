import { episodesToSchedule, type Fault, type FaultEpisode } from './faults.ts';
import type { NodeId } from '../author/protocol.ts';
import type { Random } from '../random/random.ts';
import type { Duration, Micros } from '../time/time.ts';

/** The kinds of trouble a nemesis can cause, in Jepsen's vocabulary. */
export type NemesisKind = 'partition' | 'crash' | 'pause' | 'clock' | 'loss' | 'duplicate';

export const NEMESIS_KINDS: readonly NemesisKind[] = ['partition', 'crash', 'pause', 'clock', 'loss', 'duplicate'];

/** Partition shapes Jepsen users know. */
export type PartitionShape = 'halves' | 'isolate' | 'ring' | 'bridge' | 'oneWay';
export const PARTITION_SHAPES: readonly PartitionShape[] = ['halves', 'isolate', 'ring', 'bridge', 'oneWay'];

/** The `nemesis` block of a scenario: faults generated from the seed, within a budget. */
export interface NemesisSpec {
  /** Fault episodes to generate (the fault budget). Default 5. */
  readonly faults?: number;
  /** Which kinds. Default: partition, crash, pause. */
  readonly kinds?: readonly NemesisKind[];
  /** Which partition shapes. Default: all. */
  readonly shapes?: readonly PartitionShape[];
  /** First fault no earlier than this. Default 1s. */
  readonly from?: Duration;
  /** Everything heals at this time; the rest of the run is the quiet period. Default: 2/3 of the run. */
  readonly healAt?: Duration;
  /** Shortest and longest episode. Defaults 200ms and 5s. */
  readonly minDuration?: Duration;
  readonly maxDuration?: Duration;
  /** Largest clock jump either way. Default 500ms. */
  readonly clockJumpMax?: Duration;
  /** Largest drift either way, in ppm. Default 1000. */
  readonly driftPpmMax?: number;
  /** Loss or duplication probability during a burst. Default 0.3. */
  readonly probability?: number;
  /** Crash faults lose unsynced writes. Default false. */
  readonly loseUnsyncedWrites?: boolean;
  /**
   * Start each episode early enough to end by healAt, so it lasts its drawn length (otherwise the
   * heal cuts short every long episode that does not start near `from`). Default false.
   */
  readonly fitEpisodes?: boolean;
  /**
   * Kinds (of `kinds`) that get at least one episode: where the budget drew none of one, one more
   * episode of it follows the budget's. Drawing each episode's kind at random leaves a kind out of
   * many small budgets (one episode in six kinds is a crash), so a kind a run must see, such as
   * the crash-restart that alone runs a protocol's recovery code, is listed here. Default none.
   */
  readonly alwaysKinds?: readonly NemesisKind[];
}

export interface ResolvedNemesis {
  readonly faults: number;
  readonly kinds: readonly NemesisKind[];
  readonly shapes: readonly PartitionShape[];
  readonly from: Micros;
  readonly healAt: Micros;
  readonly minDuration: Micros;
  readonly maxDuration: Micros;
  readonly clockJumpMax: Micros;
  readonly driftPpmMax: number;
  readonly probability: number;
  readonly loseUnsyncedWrites: boolean;
  readonly fitEpisodes: boolean;
  readonly alwaysKinds: readonly NemesisKind[];
}

/** A partition of the given shape over the nodes, chosen with `random`. */
export function partitionOfShape(shape: PartitionShape, nodes: readonly NodeId[], random: Random): Fault {
  const shuffled = random.shuffle(nodes);
  switch (shape) {
    case 'halves': {
      const cut = Math.floor(nodes.length / 2);
      return {
        type: 'partition',
        groups: [sortLike(shuffled.slice(0, cut), nodes), sortLike(shuffled.slice(cut), nodes)],
      };
    }
    case 'isolate':
      return { type: 'isolate', node: shuffled[0]! };
    case 'ring':
      return { type: 'ring' };
    case 'bridge': {
      const [bridge, ...rest] = shuffled;
      const cut = Math.floor(rest.length / 2);
      return {
        type: 'bridge',
        bridge: bridge!,
        groups: [sortLike(rest.slice(0, cut), nodes), sortLike(rest.slice(cut), nodes)],
      };
    }
    case 'oneWay': {
      const cut = Math.max(1, Math.floor(nodes.length / 2));
      return { type: 'cut', from: sortLike(shuffled.slice(0, cut), nodes), to: sortLike(shuffled.slice(cut), nodes) };
    }
  }
}

function sortLike(subset: readonly NodeId[], order: readonly NodeId[]): NodeId[] {
  const set = new Set(subset);
  return order.filter((node) => set.has(node));
}

/** One random episode of the given kind. */
export function randomEpisode(
  kind: NemesisKind,
  nodes: readonly NodeId[],
  options: ResolvedNemesis,
  random: Random,
): FaultEpisode {
  let at: Micros;
  let durationMicros: Micros;
  if (options.fitEpisodes) {
    durationMicros = random.int(
      options.minDuration,
      Math.max(options.minDuration, Math.min(options.maxDuration, options.healAt - options.from)),
    );
    at = random.int(options.from, Math.max(options.from, options.healAt - durationMicros));
  } else {
    at = random.int(options.from, Math.max(options.from, options.healAt - 1));
    durationMicros = random.int(options.minDuration, Math.max(options.minDuration, options.maxDuration));
  }
  const node = random.pick(nodes);
  let fault: Fault;
  switch (kind) {
    case 'partition':
      fault = partitionOfShape(random.pick(options.shapes), nodes, random);
      break;
    case 'crash':
      fault = options.loseUnsyncedWrites ? { type: 'crash', node, loseUnsyncedWrites: true } : { type: 'crash', node };
      break;
    case 'pause':
      fault = { type: 'pause', node };
      break;
    case 'clock':
      fault = random.chance(0.5)
        ? { type: 'clockJump', node, delta: random.int(-options.clockJumpMax, options.clockJumpMax) }
        : { type: 'clockDrift', node, ppm: random.int(-options.driftPpmMax, options.driftPpmMax) };
      break;
    case 'loss':
      fault = { type: 'loss', probability: options.probability };
      break;
    case 'duplicate':
      fault = { type: 'duplicate', probability: options.probability };
      break;
  }
  return { at, durationMicros, fault };
}

/** The nemesis kind of a fault randomEpisode makes; undefined for the faults it never makes (heal, restart, ...). */
function nemesisKindOf(fault: Fault): NemesisKind | undefined {
  switch (fault.type) {
    case 'partition':
    case 'isolate':
    case 'bridge':
    case 'ring':
    case 'cut':
      return 'partition';
    case 'crash':
      return 'crash';
    case 'pause':
      return 'pause';
    case 'clockJump':
    case 'clockDrift':
      return 'clock';
    case 'loss':
      return 'loss';
    case 'duplicate':
      return 'duplicate';
    default:
      return undefined;
  }
}

/** Generates a fault schedule from a random stream: `faults` episodes, then a heal at `healAt`. */
export function generateFaultSchedule(
  nodes: readonly NodeId[],
  options: ResolvedNemesis,
  random: Random,
): Array<{ at: Micros; fault: Fault }> {
  const episodes: FaultEpisode[] = [];
  for (let i = 0; i < options.faults; i++)
    episodes.push(randomEpisode(random.pick(options.kinds), nodes, options, random));
  // Drawn after the budget's episodes, so a schedule that has every listed kind is unchanged. A
  // crash or pause over another on its node is dropped from the schedule, so a kind counts only
  // once it is in the schedule, and a dropped draw is made again.
  let schedule = episodesToSchedule(episodes, options.healAt);
  for (const kind of options.alwaysKinds) {
    const has = (faults: typeof schedule) => faults.some(({ fault }) => nemesisKindOf(fault) === kind);
    for (let attempt = 0; attempt < 32 && !has(schedule); attempt++) {
      const episode = randomEpisode(kind, nodes, options, random);
      const candidate = episodesToSchedule([...episodes, episode], options.healAt);
      if (!has(candidate)) continue;
      episodes.push(episode);
      schedule = candidate;
    }
  }
  return schedule;
}
