import type { Draft } from 'immer';
import type { Random } from './random.ts';
import type { DurableStorage } from './storage.ts';
import type { Micros } from './time.ts';
import type { Invariant } from './invariant.ts';
import type { WorkloadFactory, Operation } from './workload.ts';

export type NodeId = string;

/** What a node reports about itself for traces, checkers and the visualizer. Keep it small and flat. */
export interface NodeSummary {
  /** The node's role as people say it: 'leader', 'follower', 'coordinator', 'healthy'... The visualizer colours by it. */
  readonly role: string;
  readonly [field: string]: unknown;
}

/** A client's request as a node receives it. */
export interface ClientRequest<Op extends Operation = Operation> {
  /** Unique per run; pass it back to `ctx.respond`. */
  readonly id: string;
  readonly client: string;
  readonly op: Op;
}

/**
 * The outcome of a client request, in Jepsen's terms:
 * - `ok`: applied, with its result;
 * - `fail`: definitely not applied (a redirect hint tells the client where to go instead);
 * - `unknown`: may or may not have been applied (recorded as `info` in the history).
 */
export type Outcome<Result = unknown> =
  | { readonly type: 'ok'; readonly value?: Result }
  | { readonly type: 'fail'; readonly error?: string; readonly redirect?: NodeId }
  | { readonly type: 'unknown'; readonly error?: string };

/** Everything a handler may do to the world. Handlers must not reach the world any other way. */
export interface NodeContext<Msg = unknown, Result = unknown, Config = unknown> {
  readonly self: NodeId;
  /** Every other node, in the scenario's order (stable across runs). */
  readonly peers: readonly NodeId[];
  /** All nodes including this one, in the scenario's order. */
  readonly nodes: readonly NodeId[];
  /** A node's position in `nodes` (O(1)), or -1 for an unknown id. */
  indexOf(node: NodeId): number;
  /** This node's local clock: offset, drift and jumps included. Never global time. */
  now(): Micros;
  send(to: NodeId, msg: Msg): void;
  /** Sends to every peer, in peer order. */
  broadcast(msg: Msg): void;
  /** Fires `onTimer(name)` after `after` microseconds of this node's local clock. Re-setting a name replaces it. */
  setTimer(name: string, after: Micros): void;
  cancelTimer(name: string): void;
  hasTimer(name: string): boolean;
  /** This node's own seeded stream. */
  readonly random: Random;
  /** Survives a crash once synced. */
  readonly storage: DurableStorage;
  respond(requestId: string, outcome: Outcome<Result>): void;
  /** A note that shows up in the trace and the visualizer. */
  annotate(text: string, data?: unknown): void;
  /** Bug switches enabled for this run; protocols test `ctx.bugs.has('name')`. */
  readonly bugs: ReadonlySet<string>;
  /** The protocol's config for this run (defaults merged with the scenario's overrides). */
  readonly config: Config;
}

/** A named, documented way to break a protocol on purpose. */
export interface BugSwitch {
  /** What rule this removes, and where the rule comes from (paper section or real system). */
  readonly description: string;
  /** What goes wrong without the rule, and which invariant should catch it. */
  readonly breaks: string;
}

/**
 * A protocol: pure handlers over its own state. Handlers receive a draft (an immer draft in the
 * immutable state mode, the state itself in the mutable mode) and mutate it; they act on the
 * world only through the context. The same code gives identical runs in both modes.
 */
export interface Protocol<
  State = unknown,
  Msg = unknown,
  Op extends Operation = Operation,
  Result = unknown,
  Config = unknown,
> {
  readonly name: string;
  readonly description?: string;
  readonly defaults: Config;
  /** Builds the node's state at start, and again after every restart: read ctx.storage to recover, ctx.config for settings. */
  init(ctx: NodeContext<Msg, Result, Config>): State;
  onMessage(state: Draft<State>, from: NodeId, msg: Msg, ctx: NodeContext<Msg, Result, Config>): void;
  onTimer(state: Draft<State>, timer: string, ctx: NodeContext<Msg, Result, Config>): void;
  onRequest?(state: Draft<State>, request: ClientRequest<Op>, ctx: NodeContext<Msg, Result, Config>): void;
  summarize(state: State): NodeSummary;
  /** One line for traces and the visualizer: 'AppendEntries t=3 prev=7/2 n=1'. */
  describeMessage(msg: Msg): string;
  /** Checks a resolved config; returns problems as `field: what is wrong and how to fix it`. */
  validateConfig?(config: Config, nodes: readonly NodeId[]): string[];
  readonly invariants?: readonly Invariant<State>[];
  readonly workloads?: Readonly<Record<string, WorkloadFactory<Op>>>;
  readonly bugs?: Readonly<Record<string, BugSwitch>>;
}

/** Any protocol, for registries and code that does not care about its types. */
export type AnyProtocol = Protocol<any, any, any, any, any>;

/** Helps TypeScript infer a protocol's type parameters from its object literal. */
export function defineProtocol<State, Msg, Op extends Operation, Result, Config>(
  protocol: Protocol<State, Msg, Op, Result, Config>,
): Protocol<State, Msg, Op, Result, Config> {
  return protocol;
}
