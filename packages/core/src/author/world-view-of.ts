import type { History } from './history.ts';
import type { Invariant, WorldView } from './invariant.ts';
import { InvariantMemories } from '../kernel/invariant-memories.ts';
import type { NodeId, NodeSummary } from './protocol.ts';
import type { Micros } from '../time/time.ts';

export interface HandMadeWorld<State> extends WorldView<State> {
  /** Global time the invariants see; set it between checks. */
  time: Micros;
  /** Replaces a node's state (undefined: the node is down) before the next check. */
  set(node: NodeId, state: State | undefined): void;
  /** Pauses or resumes a node before the next check (a fault: the memories see the whole world change). */
  setPaused(node: NodeId, paused: boolean): void;
  /**
   * Checks an invariant as a run would: true, or what is wrong. The world keeps the run memory of
   * the invariants checked on it, so a sequence of `set` and `check` calls is one run.
   */
  check(invariant: Invariant<State, any>): true | string;
}

/**
 * A world view over hand-made states, for unit-testing invariants without running a simulation.
 * Nodes are the keys of `states`, in insertion order (so avoid ids that look like integers);
 * a node mapped to undefined is down. Invariants with a run memory see each `set` as a later change
 * in the same run, of any node. Everything a run would provide has a plain default.
 */
export function worldViewOf<State>(
  states: Readonly<Record<NodeId, State | undefined>>,
  options: {
    readonly time?: Micros;
    readonly config?: unknown;
    readonly history?: History;
    readonly faultsEndAt?: Micros;
    readonly summary?: (node: NodeId, state: State) => NodeSummary | undefined;
  } = {},
): HandMadeWorld<State> {
  const current = new Map<NodeId, State | undefined>(Object.entries(states));
  const nodes = [...current.keys()];
  const paused = new Set<NodeId>();
  const memories = new InvariantMemories();
  memories.changed();
  const world: HandMadeWorld<State> = {
    time: options.time ?? 0,
    nodes,
    state: (node) => current.get(node),
    summary: (node) => {
      const state = current.get(node);
      return state === undefined ? undefined : options.summary?.(node, state);
    },
    isUp: (node) => current.get(node) !== undefined,
    isPaused: (node) => paused.has(node),
    upSince: (node) => (current.get(node) !== undefined ? 0 : undefined),
    durableAt: (node) => (current.get(node) !== undefined ? world.time : undefined),
    downSince: (node) => (current.has(node) && current.get(node) === undefined ? 0 : undefined),
    get crashed() {
      return nodes.filter((node) => current.get(node) === undefined);
    },
    history: options.history ?? [],
    faultsEndAt: options.faultsEndAt ?? 0,
    config: options.config ?? {},
    set(node, state) {
      if (!current.has(node)) throw new Error(`worldViewOf: unknown node '${node}' (nodes are ${nodes.join(', ')})`);
      current.set(node, state);
      memories.changed();
    },
    setPaused(node, isPaused) {
      if (!current.has(node)) throw new Error(`worldViewOf: unknown node '${node}' (nodes are ${nodes.join(', ')})`);
      if (isPaused) paused.add(node);
      else paused.delete(node);
      memories.changed();
    },
    check: (invariant) => memories.check(memories.monitor(invariant), world),
  };
  return world;
}
