import type { Draft } from 'immer';
import type { Random } from '../random/random.ts';
import type { DurableStorage } from './storage.ts';
import type { Micros } from '../time/time.ts';
import type { Invariant } from './invariant.ts';
import type { WorkloadFactory, Operation } from './workload.ts';
import type { NodeView } from './view.ts';
import type { ProtocolCoverage } from './coverage.ts';

export type NodeId = string;

/** What a node reports about itself for traces, checkers and the visualizer. Keep it small and flat. */
export interface NodeSummary {
  /** The node's role as people say it: 'leader', 'follower', 'coordinator', 'healthy'... The visualizer colours by it. */
  readonly role: string;
  readonly [field: string]: unknown;
}

/** A client's request as a node receives it. */
export interface ClientRequest<Op extends Operation = Operation> {
  /** Unique per run; pass it back to `ctx.respond`. An opaque handle: read `client` and `seq`, never parse it. */
  readonly id: string;
  /** The client that sent it. */
  readonly client: string;
  /**
   * The client's sequence number for this request (1, 2, ...): a client sends one request at a
   * time, so (client, seq) identifies it and orders the client's requests, as Raft's client
   * sessions need (dissertation §6.3).
   */
  readonly seq: number;
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

/**
 * A timer's name as handlers use it: one of the protocol's declared timers, alone ('election') or
 * with a key after a colon for one timer per item ('vote:tx3'). A misspelt name does not compile.
 */
export type TimerName<Timer extends string = string> = Timer | `${Timer}:${string}`;

/** Everything a handler may do to the world. Handlers must not reach the world any other way. */
export interface NodeContext<
  Msg = unknown,
  Result = unknown,
  Config = unknown,
  Timer extends string = string,
  Bug extends string = string,
> {
  readonly self: NodeId;
  /** Every other node, in the scenario's order (stable across runs). */
  readonly peers: readonly NodeId[];
  /** All nodes including this one, in the scenario's order. */
  readonly nodes: readonly NodeId[];
  /** A node's position in `nodes` (O(1)), or -1 for an unknown id. */
  indexOf(node: NodeId): number;
  /** This node's local clock: offset, drift and jumps included. Never global time. */
  now(): Micros;
  /**
   * Sends `msg` after the handler returns. With a storage sync latency, a message of a step that
   * synced leaves when that sync completes, unless `options.beforeSync` says it reveals none of the
   * step's writes. A message to this node itself does not cross the network: it is delivered to
   * this node, with no latency, loss or partition, when it leaves (so after the step's sync: etcd's
   * MsgStorageAppendResp, the local notice that a write is on disk).
   */
  send(to: NodeId, msg: Msg, options?: SendOptions): void;
  /** Sends to every peer, in peer order. */
  broadcast(msg: Msg): void;
  /** Fires `onTimer(name)` after `after` microseconds of this node's local clock. Re-setting a name replaces it. */
  setTimer(name: TimerName<Timer>, after: Micros): void;
  cancelTimer(name: TimerName<Timer>): void;
  hasTimer(name: TimerName<Timer>): boolean;
  /** This node's own seeded stream. */
  readonly random: Random;
  /** Survives a crash once synced. */
  readonly storage: DurableStorage;
  respond(requestId: string, outcome: Outcome<Result>): void;
  /** A note that shows up in the trace and the visualizer. */
  annotate(text: string, data?: unknown): void;
  /** Bug switches enabled for this run; protocols test `ctx.bugs.has('name')` (a declared name). */
  readonly bugs: ReadonlySet<Bug>;
  /** The protocol's config for this run (defaults merged with the scenario's overrides). */
  readonly config: Config;
}

/** How a message leaves its step. */
export interface SendOptions {
  /**
   * The message vouches for none of the step's storage writes, so it may leave before the step's
   * sync completes (Raft dissertation §10.2.1: a leader sends AppendEntries for entries it is
   * still writing to its own disk). Without a sync latency every message leaves at once anyway.
   */
  readonly beforeSync?: boolean;
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
  Timer extends string = string,
  Bug extends string = string,
> {
  readonly name: string;
  readonly description?: string;
  readonly defaults: Config;
  /**
   * Every timer the protocol sets, declared once: `ctx.setTimer` accepts these names (alone or as
   * `name:key`), so a misspelt timer does not compile, and tools can list them.
   */
  readonly timers: readonly Timer[];
  /** Builds the node's state at start, and again after every restart: read ctx.storage to recover, ctx.config for settings. */
  init(ctx: NodeContext<Msg, Result, Config, Timer, Bug>): State;
  onMessage(state: Draft<State>, from: NodeId, msg: Msg, ctx: NodeContext<Msg, Result, Config, Timer, Bug>): void;
  onTimer(state: Draft<State>, timer: TimerName<Timer>, ctx: NodeContext<Msg, Result, Config, Timer, Bug>): void;
  onRequest?(state: Draft<State>, request: ClientRequest<Op>, ctx: NodeContext<Msg, Result, Config, Timer, Bug>): void;
  /** A few flat fields for the trace's state lines: role, term, ... The CLI's run shape reads `role`. */
  summarize(state: State): NodeSummary;
  /**
   * What the visualizer and the CLI draw for a node: its role, badges (term, ballot, epoch), its
   * logs with marks (committed, applied, high watermark), named fields, tables and edges to other
   * nodes (votes for, follows, suspects). Pure, like `summarize`; see NodeView.
   */
  view?(state: State, node: NodeId): NodeView;
  /** One line for traces and the visualizer: 'AppendEntries t=3 prev=7/2 n=1'. */
  describeMessage(msg: Msg): string;
  /** Checks a resolved config; returns problems as `field: what is wrong and how to fix it`. */
  validateConfig?(config: Config, nodes: readonly NodeId[]): string[];
  readonly invariants?: readonly Invariant<State>[];
  readonly workloads?: Readonly<Record<string, WorkloadFactory<Op>>>;
  /** The protocol's bug switches by name: `ctx.bugs.has(name)` accepts only these names. */
  readonly bugs?: Readonly<Record<Bug, BugSwitch>>;
  /** What a sweep should reach: roles, message kinds and bug-relevant states (see ProtocolCoverage). */
  readonly coverage?: ProtocolCoverage<State>;
}

/** Any protocol, for registries and code that does not care about its types. */
export type AnyProtocol = Protocol<any, any, any, any, any, any, any>;

/**
 * Helps TypeScript check a protocol's object literal against its types. Give the types in order:
 * state, message, operation, result, config, timer names, bug names. Timer and bug names are best
 * derived from the declarations: `type Timer = (typeof timers)[number]`, `type Bug = keyof typeof bugs`.
 */
export function defineProtocol<
  State,
  Msg,
  Op extends Operation,
  Result,
  Config,
  Timer extends string = string,
  Bug extends string = string,
>(
  protocol: Protocol<State, Msg, Op, Result, Config, Timer, Bug>,
): Protocol<State, Msg, Op, Result, Config, Timer, Bug> {
  return protocol;
}
