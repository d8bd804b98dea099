import type { History } from './history.ts';
import type { NodeId, NodeSummary } from './protocol.ts';
import type { Micros } from '../time/time.ts';

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
   * When every write the node has synced so far is on disk: the current time when no sync is in
   * progress, and always without a storage sync latency; undefined while the node is down. A
   * crash that loses unsynced writes keeps exactly the writes whose sync completed before it.
   */
  durableAt(node: NodeId): Micros | undefined;
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
 * visualizer) when it does not, or an InvariantFailure: what is wrong and the nodes involved.
 */
export type InvariantResult = boolean | string | InvariantFailure;

/**
 * A failed check's report: the message, and the nodes the broken property involves (the leader
 * that lacks an entry and the node that committed it, say). The kernel writes the nodes on the
 * trace's violation line, so a viewer marks them from data rather than from the message's words.
 */
export interface InvariantFailure {
  readonly message: string;
  readonly nodes?: readonly NodeId[];
}

/** What is wrong, naming the nodes involved (see InvariantFailure). */
export function failure(message: string, nodes: readonly NodeId[]): InvariantFailure {
  return { message, nodes };
}

/**
 * What changed since a memory last looked at the world: the one node whose handler ran, or
 * `undefined` when anything may have changed (the start, a fault, a restart, or several steps
 * since the memory last looked). Only a memory sees it: invariants read whole states. It is valid
 * during the `observe` it is passed to: the kernel fills in the same object for the next one.
 */
export interface WorldChange {
  readonly node: NodeId | undefined;
  /** The stepped node's position in `WorldView.nodes` (undefined with `node`), so a memory kept by position needs no lookup. */
  readonly position?: number | undefined;
}

/**
 * Memory that invariants keep across the steps of one run: "a term has at most one leader" must
 * remember the leader after it crashed. The kernel creates one per run (so runs never share
 * memory, and nothing lives in module state), brings it up to date once for each change of the
 * world before the first check that reads it, and hands it to every invariant that names it.
 *
 * `observe` may also answer for its `always` invariants: returning true says that none of them
 * can be violated now, and the kernel skips their checks this time (a memory that finds violations
 * as it updates knows that cheaply). It must be sound: true only when each of those checks would
 * return true. `eventually` and `sometimes` invariants that read the memory are always asked.
 */
export interface InvariantMemory<State = unknown, Memory = unknown> {
  readonly name: string;
  /** A fresh memory for one run, created before the first check. */
  create(world: WorldView<State>): Memory;
  /** Brings the memory up to date with the world; true when none of its invariants can be violated now. */
  observe(memory: Memory, world: WorldView<State>, change: WorldChange): boolean | void;
}

/**
 * A named property of a run, checked by the kernel as a monitor:
 * - `always`: checked after every step; the first failure is a violation (`atEnd`: only over the
 *   finished run, for whole-history properties such as linearizability).
 * - `eventually`: must hold at some step between the end of the faults and `within` after it.
 * - `sometimes`: must hold at least once during the run: proof the scenario reached the state it
 *   was meant to test, so a suite cannot pass by testing nothing.
 * A check reads the world (and its memory, when it names one) and returns true, or false or a
 * message saying what is wrong.
 */
export interface Invariant<State = unknown, Memory = any> {
  readonly name: string;
  readonly kind: 'always' | 'eventually' | 'sometimes';
  readonly description?: string;
  /** Called with the run memory when the invariant names one (see `memory`). */
  check(world: WorldView<State>, memory?: Memory): InvariantResult;
  /** The run memory this check reads; the kernel creates it per run and keeps it current. */
  readonly memory?: InvariantMemory<State, Memory>;
  /** For `eventually`: the deadline after the last fault, in microseconds. Default: the end of the run. */
  readonly withinMicros?: Micros;
  /**
   * For `eventually`: the property must not only be reached but still hold at the deadline
   * (◇□ rather than ◇): "the detector settles", not "the detector was right for one instant".
   */
  readonly stable?: boolean;
  /** For `always`: check at the end of the run only (see `atEnd`). */
  readonly atEnd?: boolean;
}

type Check<State, Memory> = (world: WorldView<State>, memory: Memory) => InvariantResult;

/** Options of a step invariant: what it is about, and the run memory it reads. */
export interface InvariantOptions<State, Memory> {
  readonly description?: string;
  readonly memory?: InvariantMemory<State, Memory>;
}

function options<State, Memory>(
  extra: string | InvariantOptions<State, Memory> | undefined,
): InvariantOptions<State, Memory> {
  if (extra === undefined) return {};
  return typeof extra === 'string' ? { description: extra } : extra;
}

export function always<State, Memory = undefined>(
  name: string,
  check: Check<State, Memory>,
  extra?: string | InvariantOptions<State, Memory>,
): Invariant<State, Memory> {
  return { name, kind: 'always', check, ...options(extra) };
}

export function eventually<State, Memory = undefined>(
  name: string,
  check: Check<State, Memory>,
  extra: InvariantOptions<State, Memory> & { withinMicros?: Micros; stable?: boolean } = {},
): Invariant<State, Memory> {
  return { name, kind: 'eventually', check, ...extra };
}

export function sometimes<State, Memory = undefined>(
  name: string,
  check: Check<State, Memory>,
  extra?: string | InvariantOptions<State, Memory>,
): Invariant<State, Memory> {
  return { name, kind: 'sometimes', check, ...options(extra) };
}

/** An `always` property over the finished run (the whole history, the final states). */
export function atEnd<State, Memory = undefined>(
  name: string,
  check: Check<State, Memory>,
  extra?: string | InvariantOptions<State, Memory>,
): Invariant<State, Memory> {
  return { name, kind: 'always', check, atEnd: true, ...options(extra) };
}

/** Declares a run memory shared by invariants (see InvariantMemory). */
export function defineMemory<State, Memory>(memory: InvariantMemory<State, Memory>): InvariantMemory<State, Memory> {
  return memory;
}

/** A violation as recorded in the trace and the run result. */
export interface Violation {
  readonly invariant: string;
  readonly kind: Invariant['kind'];
  readonly time: Micros;
  readonly message: string;
  /** The nodes the broken property involves, when the invariant names them (see InvariantFailure). */
  readonly nodes?: readonly NodeId[];
  /** The trace event index at which it was found. */
  readonly step: number;
}
