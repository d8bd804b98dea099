import type { History } from './history.ts';
import type { NodeId, NodeSummary } from './protocol.ts';
import type { Micros } from './time.ts';

/**
 * What an invariant sees: every node's current state (undefined while crashed), the history so
 * far, and when the faults ended. It reads; it never changes anything.
 */
export interface WorldView<State = unknown> {
  /** Global time. */
  readonly time: Micros;
  readonly nodes: readonly NodeId[];
  /** The node's state, or undefined while it is crashed. */
  state(node: NodeId): State | undefined;
  summary(node: NodeId): NodeSummary | undefined;
  isUp(node: NodeId): boolean;
  isPaused(node: NodeId): boolean;
  /** Global time the node last started or restarted (0 for the initial start); undefined while crashed. */
  upSince(node: NodeId): Micros | undefined;
  /** Global time the node crashed; undefined while it is up. */
  downSince(node: NodeId): Micros | undefined;
  /**
   * The node whose handler just ran, or undefined after a fault, a client event or the start.
   * Lets a check of a property that only a node's own step can break look at that node alone,
   * and rescan everything otherwise: what keeps invariants cheap on clusters of a thousand nodes.
   */
  readonly stepped: NodeId | undefined;
  /**
   * Counts the moments at which node states may have changed: the start, every step and every
   * fault. The same value means no state changed since; one more with `stepped` set means only
   * that node's state changed. Invariants that keep memory across checks use it to update that
   * memory once per change, from the stepped node alone when they can.
   */
  readonly stateVersion: number;
  /** Nodes that are down right now, in the order they crashed (kept by the kernel, O(1) to read). */
  readonly crashed: readonly NodeId[];
  readonly history: History;
  /** When the last scheduled fault happened (0 with none): `eventually` deadlines count from here. */
  readonly faultsEndAt: Micros;
  /** The protocol config in force. */
  readonly config: unknown;
}

/**
 * `true` when the property holds, `false` or a string (what is wrong, for the trace and the
 * visualizer) when it does not.
 */
export type InvariantResult = boolean | string;

/**
 * A named property of a run:
 * - `always`: checked after every step; the first failure is a violation.
 * - `eventually`: must hold at some step between the end of the faults and `within` after it.
 * - `sometimes`: must hold at least once during the run: proof the scenario reached the state it
 *   was meant to test, so a suite cannot pass by testing nothing.
 */
export interface Invariant<State = unknown> {
  readonly name: string;
  readonly kind: 'always' | 'eventually' | 'sometimes';
  readonly description?: string;
  check(world: WorldView<State>): InvariantResult;
  /** For `eventually`: the deadline after the last fault, in microseconds. Default: the end of the run. */
  readonly withinMicros?: Micros;
  /**
   * For `eventually`: the property must not only be reached but still hold at the deadline
   * (◇□ rather than ◇): "the detector settles", not "the detector was right for one instant".
   */
  readonly stable?: boolean;
  /**
   * For `always`: also check at the end of the run only (not after every step), for properties
   * over the whole history such as linearizability, which are too costly to check step by step.
   */
  readonly atEnd?: boolean;
  /**
   * For step invariants that share their work (one pass over the states that finds the violations
   * of several properties): a test that no violation is waiting. Invariants that stand next to each
   * other in a scenario's list with the same `quiet` function are asked together. After each step
   * the kernel calls `quiet` once for them all; when it returns true it skips their checks, as each
   * would have returned true; otherwise it calls each check as usual. It must be sound: true only
   * when every one of them holds now. It is called as a plain function, without `this`. A quiet
   * test that throws counts as "not quiet", and what the checks then return is all the kernel
   * reports: work they share must fail for them too (not be remembered as done), or the error is
   * lost.
   */
  quiet?(world: WorldView<State>): boolean;
}

export function always<State>(
  name: string,
  check: (world: WorldView<State>) => InvariantResult,
  description?: string,
): Invariant<State> {
  return { name, kind: 'always', check, description };
}

export function eventually<State>(
  name: string,
  check: (world: WorldView<State>) => InvariantResult,
  options: { withinMicros?: Micros; stable?: boolean; description?: string } = {},
): Invariant<State> {
  return { name, kind: 'eventually', check, ...options };
}

export function sometimes<State>(
  name: string,
  check: (world: WorldView<State>) => InvariantResult,
  description?: string,
): Invariant<State> {
  return { name, kind: 'sometimes', check, description };
}

/** An `always` property over the finished run (the whole history, the final states). */
export function atEnd<State>(
  name: string,
  check: (world: WorldView<State>) => InvariantResult,
  description?: string,
): Invariant<State> {
  return { name, kind: 'always', check, description, atEnd: true };
}

/** A violation as recorded in the trace and the run result. */
export interface Violation {
  readonly invariant: string;
  readonly kind: Invariant['kind'];
  readonly time: Micros;
  readonly message: string;
  /** The trace event index at which it was found. */
  readonly step: number;
}
