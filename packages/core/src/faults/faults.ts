import type { LatencyDistribution } from '../kernel/latency.ts';
import type { NodeId } from '../author/protocol.ts';
import { formatMicros, type Duration, type Micros } from '../time/time.ts';

/**
 * A fault is data: the kernel applies it at a scheduled time, the trace records it, the visualizer
 * draws it, and fast-check can shrink a list of them.
 *
 * Partition faults (`partition`, `isolate`, `bridge`, `ring`, `cut`) each *replace* the current
 * partition, as a new Jepsen grudge does. `heal` restores the network the scenario defined: no
 * partition, and no loss, duplication or latency fault.
 */
export type Fault =
  /** Nodes in different groups cannot talk. Nodes not listed form one more group together. */
  | { readonly type: 'partition'; readonly groups: readonly (readonly NodeId[])[] }
  /** One node cut off from every other node, both ways. */
  | { readonly type: 'isolate'; readonly node: NodeId }
  /** Two sides that cannot talk, except through the bridge node, which talks to both. */
  | {
      readonly type: 'bridge';
      readonly bridge: NodeId;
      readonly groups: readonly [readonly NodeId[], readonly NodeId[]];
    }
  /** Jepsen's majorities ring: each node sees a majority, and no two nodes see the same majority. */
  | { readonly type: 'ring' }
  /** One-way: messages from any node in `from` to any node in `to` are dropped; the reverse direction still works. */
  | { readonly type: 'cut'; readonly from: readonly NodeId[]; readonly to: readonly NodeId[] }
  | { readonly type: 'heal' }
  /** Volatile state and timers are lost; messages to it are dropped until restart. */
  | { readonly type: 'crash'; readonly node: NodeId; readonly loseUnsyncedWrites?: boolean }
  | { readonly type: 'restart'; readonly node: NodeId }
  /** Nothing runs on the node (a GC pause, SIGSTOP); deliveries and timers wait, then run in a burst on resume. */
  | { readonly type: 'pause'; readonly node: NodeId }
  | { readonly type: 'resume'; readonly node: NodeId }
  /** The node's clock jumps forward (positive) or backward (negative). */
  | { readonly type: 'clockJump'; readonly node: NodeId; readonly delta: Duration }
  /** The node's clock runs fast (positive) or slow (negative) by this many parts per million from now on. */
  | { readonly type: 'clockDrift'; readonly node: NodeId; readonly ppm: number }
  /** Every message is lost with this probability (until heal). */
  | { readonly type: 'loss'; readonly probability: number }
  /** Every message is delivered twice with this probability (until heal). */
  | { readonly type: 'duplicate'; readonly probability: number }
  /** Every link gets this latency (until heal). */
  | { readonly type: 'slow'; readonly latency: LatencyDistribution };

export type FaultType = Fault['type'];

/** Every fault type, in the order error messages list them. */
export const FAULT_TYPES: readonly FaultType[] = [
  'partition',
  'isolate',
  'bridge',
  'ring',
  'cut',
  'heal',
  'crash',
  'restart',
  'pause',
  'resume',
  'clockJump',
  'clockDrift',
  'loss',
  'duplicate',
  'slow',
];

export interface ScheduledFault {
  /** Global time at which the fault is applied. */
  readonly at: Duration;
  readonly fault: Fault;
}

export const PARTITION_FAULTS: ReadonlySet<FaultType> = new Set(['partition', 'isolate', 'bridge', 'ring', 'cut']);
export const NETWORK_FAULTS: ReadonlySet<FaultType> = new Set([
  ...PARTITION_FAULTS,
  'heal',
  'loss',
  'duplicate',
  'slow',
]);

/** Every node a fault names, for validation. */
export function nodesNamedBy(fault: Fault): NodeId[] {
  switch (fault.type) {
    case 'partition':
      return fault.groups.flat();
    case 'bridge':
      return [fault.bridge, ...fault.groups[0], ...fault.groups[1]];
    case 'cut':
      return [...fault.from, ...fault.to];
    case 'isolate':
    case 'crash':
    case 'restart':
    case 'pause':
    case 'resume':
    case 'clockJump':
    case 'clockDrift':
      return [fault.node];
    default:
      return [];
  }
}

/**
 * The directed links (from, to) a partition fault blocks, in node order. Pure, so the visualizer
 * draws exactly what the kernel enforces.
 */
export function blockedLinks(fault: Fault, nodes: readonly NodeId[]): Array<[NodeId, NodeId]> {
  const blocked: Array<[NodeId, NodeId]> = [];
  const canTalk = connectivity(fault, nodes);
  if (!canTalk) return blocked;
  for (const from of nodes) for (const to of nodes) if (from !== to && !canTalk(from, to)) blocked.push([from, to]);
  return blocked;
}

/** A predicate telling whether `from` can reach `to` under a partition fault; undefined for other faults. */
export function connectivity(
  fault: Fault,
  nodes: readonly NodeId[],
): ((from: NodeId, to: NodeId) => boolean) | undefined {
  switch (fault.type) {
    case 'partition': {
      const groupOf = new Map<NodeId, number>();
      fault.groups.forEach((group, index) => group.forEach((node) => groupOf.set(node, index)));
      const rest = fault.groups.length;
      const group = (node: NodeId) => groupOf.get(node) ?? rest;
      return (from, to) => group(from) === group(to);
    }
    case 'isolate':
      return (from, to) => from !== fault.node && to !== fault.node;
    case 'bridge': {
      const left = new Set(fault.groups[0]);
      const right = new Set(fault.groups[1]);
      return (from, to) => {
        if (from === fault.bridge || to === fault.bridge) return true;
        return !((left.has(from) && right.has(to)) || (right.has(from) && left.has(to)));
      };
    }
    case 'ring': {
      const position = new Map(nodes.map((node, index) => [node, index]));
      const n = nodes.length;
      const majority = Math.floor(n / 2) + 1;
      // Each node sees itself and `reach` neighbours on each side: 2·reach + 1 ≥ a majority.
      const reach = Math.ceil((majority - 1) / 2);
      return (from, to) => {
        const distance = Math.abs(position.get(from)! - position.get(to)!);
        return Math.min(distance, n - distance) <= reach;
      };
    }
    case 'cut': {
      const from = new Set(fault.from);
      const to = new Set(fault.to);
      return (a, b) => !(from.has(a) && to.has(b));
    }
    default:
      return undefined;
  }
}

/** One line for people: 'partition [n1 n2] | [n3 n4 n5]'. */
export function describeFault(fault: Fault): string {
  const list = (nodes: readonly NodeId[]) => `[${nodes.join(' ')}]`;
  switch (fault.type) {
    case 'partition':
      return `partition ${fault.groups.map(list).join(' | ')}`;
    case 'isolate':
      return `isolate ${fault.node}`;
    case 'bridge':
      return `bridge ${list(fault.groups[0])} <${fault.bridge}> ${list(fault.groups[1])}`;
    case 'ring':
      return 'majorities ring';
    case 'cut':
      return `cut ${list(fault.from)} -> ${list(fault.to)} (one-way)`;
    case 'heal':
      return 'heal';
    case 'crash':
      return `crash ${fault.node}${fault.loseUnsyncedWrites ? ' (losing unsynced writes)' : ''}`;
    case 'restart':
      return `restart ${fault.node}`;
    case 'pause':
      return `pause ${fault.node}`;
    case 'resume':
      return `resume ${fault.node}`;
    case 'clockJump':
      return `clock jump ${fault.node} by ${typeof fault.delta === 'number' ? `${fault.delta >= 0 ? '+' : ''}${formatMicros(fault.delta)}` : fault.delta}`;
    case 'clockDrift':
      return `clock drift ${fault.node} ${fault.ppm}ppm`;
    case 'loss':
      return `loss ${fault.probability}`;
    case 'duplicate':
      return `duplicate ${fault.probability}`;
    case 'slow':
      return `slow network`;
  }
}

/** The fault that undoes an episode's fault, if it has one. */
export function undoFault(fault: Fault): Fault | undefined {
  if (NETWORK_FAULTS.has(fault.type) && fault.type !== 'heal') return { type: 'heal' };
  switch (fault.type) {
    case 'crash':
      return { type: 'restart', node: fault.node };
    case 'pause':
      return { type: 'resume', node: fault.node };
    case 'clockDrift':
      return { type: 'clockDrift', node: fault.node, ppm: 0 };
    default:
      return undefined;
  }
}

/**
 * A fault and how long it lasts: the shrinkable unit that property tests generate. An episode
 * becomes two scheduled faults, the fault and its undo (heal, restart, resume, drift back to 0);
 * a clock jump is instantaneous and has no undo.
 */
export interface FaultEpisode {
  readonly at: Micros;
  readonly durationMicros: Micros;
  readonly fault: Fault;
}

/**
 * Flattens episodes into a valid, time-ordered schedule that ends with a heal at `healAt`:
 * - an episode on a node that is already crashed or paused at that time is dropped (so a
 *   shrunk list never crashes a crashed node);
 * - every episode is undone no later than `healAt`;
 * - the schedule ends with a heal, so `eventually` properties can be checked in the quiet period after it.
 */
export function episodesToSchedule(
  episodes: readonly FaultEpisode[],
  healAt: Micros,
): Array<{ at: Micros; fault: Fault }> {
  const ordered = episodes
    .map((episode, index) => ({ episode, index }))
    .sort((a, b) => a.episode.at - b.episode.at || a.index - b.index);
  const busyUntil = new Map<NodeId, Micros>();
  const entries: Array<{ at: Micros; order: number; fault: Fault }> = [];
  let order = 0;
  for (const { episode } of ordered) {
    const start = Math.min(episode.at, healAt);
    const end = Math.min(episode.at + Math.max(0, episode.durationMicros), healAt);
    const fault = episode.fault;
    if (fault.type === 'crash' || fault.type === 'pause') {
      if ((busyUntil.get(fault.node) ?? -1) >= start) continue;
      busyUntil.set(fault.node, end);
    }
    entries.push({ at: start, order: order++, fault });
    const undo = undoFault(fault);
    if (undo) entries.push({ at: end, order: order++, fault: undo });
  }
  entries.push({ at: healAt, order: order++, fault: { type: 'heal' } });
  entries.sort((a, b) => a.at - b.at || a.order - b.order);
  return entries.map(({ at, fault }) => ({ at, fault }));
}
