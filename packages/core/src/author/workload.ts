import type { NodeId, Outcome } from './protocol.ts';
import type { Random } from '../random/random.ts';
import type { Micros } from '../time/time.ts';

/**
 * What a client asks for, in the shape Jepsen histories use: a function name, an optional key and
 * an optional value. Protocols may add fields; checkers read only these.
 */
export interface Operation {
  readonly f: string;
  readonly key?: string;
  readonly value?: unknown;
}

/** What a workload sees when it picks a client's next operation. */
export interface ClientView {
  readonly client: string;
  /** 0-based index of the client. */
  readonly index: number;
  /** The client's Jepsen process number (a new one after every unknown outcome). */
  readonly process: number;
  /** Global time. Clients are outside the cluster and read the true time. */
  readonly now: Micros;
  /** How many operations this client has invoked so far. */
  readonly invoked: number;
  readonly random: Random;
  /** The outcome of this client's previous operation, if any. */
  readonly lastOutcome: Outcome | undefined;
}

/** Generates operations for client processes. One instance per run; it may keep its own state. */
export interface Workload<Op extends Operation = Operation> {
  /** The next operation for this client, or null when the client is done. */
  nextOp(client: ClientView): Op | null;
  /**
   * Which node the client sends to. Default: the client's current node, which starts as node
   * (index mod n) and follows a `fail` outcome's redirect hint, or moves to a random node after a
   * failure without a hint or a timeout.
   */
  chooseNode?(client: ClientView, op: Op, current: NodeId): NodeId;
}

/** The `workload` block of a scenario. */
export interface WorkloadSpec {
  /** A workload the protocol exports (`protocol.workloads[name]`). */
  readonly name: string;
  /** Number of client processes. Default 3. */
  readonly clients?: number;
  /** Time each client waits after a completion before its next operation. Default 10ms. */
  readonly thinkTime?: import('../time/time.ts').Duration;
  /** A client gives up on a request after this long and records `info` (unknown). Default 1s. */
  readonly timeout?: import('../time/time.ts').Duration;
  /** When clients start. Default 0. */
  readonly startAt?: import('../time/time.ts').Duration;
  /** No operation is invoked at or after this time, so a quiet period can follow. Default: the end of the run. */
  readonly stopAt?: import('../time/time.ts').Duration;
  /** Total operations per client. Default unlimited. */
  readonly opsPerClient?: number;
  /** Options passed to the workload factory. */
  readonly options?: Readonly<Record<string, unknown>>;
}

export type WorkloadFactory<Op extends Operation = Operation> = (
  options: Readonly<Record<string, unknown>>,
  context: { readonly nodes: readonly NodeId[]; readonly clients: number },
) => Workload<Op>;
