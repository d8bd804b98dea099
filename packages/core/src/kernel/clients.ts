import type { NodeId, Outcome } from '../author/protocol.ts';
import type { ClientView, Operation, Workload } from '../author/workload.ts';
import { createRandom, type Random } from '../random/random.ts';
import type { ResolvedScenario, ResolvedWorkload } from '../scenario/schema.ts';
import type { RunStats, TraceEvent } from '../trace/format.ts';
import type { TraceRecorder } from '../trace/recorder.ts';
import type { Micros } from '../time/time.ts';
import { CLIENT_NEXT, CLIENT_TIMEOUT, REQUEST, RESPONSE, THINK_LANE, TIMEOUT_LANE } from './event-kinds.ts';
import type { HistoryLog } from './history-log.ts';
import { intern } from './intern.ts';
import type { KernelEvents } from './kernel-events.ts';
import type { Network } from './network.ts';
import { positionOf } from './node-runtime.ts';

export interface PendingRequest {
  readonly id: string;
  readonly client: ClientProcess;
  /** The client's sequence number for it. */
  readonly seq: number;
  readonly op: Operation;
  readonly node: number;
  /** The operation's number in the history log, for its completion. */
  readonly operation: number;
  done: boolean;
}

export interface ClientProcess {
  readonly id: string;
  readonly index: number;
  process: number;
  invoked: number;
  node: number;
  readonly random: Random;
  lastOutcome: Outcome | undefined;
  done: boolean;
  /** Its request still waiting for an answer: a client has at most one, since it waits for each. */
  pending: PendingRequest | undefined;
}

/**
 * The workload's client processes: each asks the workload for its next operation, sends it to a
 * node, waits for the answer or its timeout, records invoke and completion in the history, thinks,
 * and goes again. Requests reach nodes as REQUEST events; the loop hands them to the protocol.
 */
export class Clients {
  private readonly clients: ClientProcess[] = [];
  private workload: Workload | undefined;
  private readonly spec: ResolvedWorkload | undefined;
  private readonly nodes: readonly NodeId[];
  private readonly nodeIndex: ReadonlyMap<NodeId, number>;

  constructor(
    private readonly scenario: ResolvedScenario,
    private readonly events: KernelEvents,
    private readonly network: Network,
    private readonly history: HistoryLog,
    /** The clients' ids by position, as the history log names them; filled by `start`. */
    private readonly clientIds: string[],
    private readonly stats: RunStats,
    private readonly trace: TraceRecorder,
  ) {
    this.spec = scenario.workload;
    this.nodes = scenario.nodes;
    this.nodeIndex = new Map(scenario.nodes.map((node, i) => [node, i]));
  }

  /** Makes the workload and its clients, and queues each client's first operation. */
  start(): void {
    const spec = this.spec;
    if (spec === undefined) return;
    const protocol = this.scenario.protocol;
    const factory = protocol.workloads?.[spec.name];
    if (!factory) throw new Error(`protocol '${protocol.name}' has no workload '${spec.name}'`);
    this.workload = factory(spec.options, { nodes: this.nodes, clients: spec.clients }) as Workload;
    for (let index = 0; index < spec.clients; index++) {
      const client: ClientProcess = {
        id: intern(`c${index + 1}`),
        index,
        process: index,
        invoked: 0,
        node: index % this.nodes.length,
        random: createRandom(this.scenario.seed, `client:c${index + 1}`),
        lastOutcome: undefined,
        done: false,
        pending: undefined,
      };
      this.clients.push(client);
      this.clientIds.push(client.id);
      const events = this.events;
      events.schedule(events.create(spec.startAt, CLIENT_NEXT, -1, client, undefined, -1, 0, false));
    }
  }

  /**
   * The client's next operation, if it has one: invoked, traced and sent (a REQUEST event after
   * the client latency, and the client's timeout). Returns an error message when the workload
   * chose a node that does not exist.
   */
  next(client: ClientProcess, now: Micros): string | undefined {
    const spec = this.spec!;
    if (client.done) return undefined;
    if (now >= spec.stopAt || client.invoked >= spec.opsPerClient) {
      client.done = true;
      return undefined;
    }
    const view = this.view(client, now);
    const workload = this.workload!;
    const op = workload.nextOp(view);
    if (op === null) {
      client.done = true;
      return undefined;
    }
    const current = this.nodes[client.node]!;
    const chosen = workload.chooseNode ? workload.chooseNode(view, op, current) : current;
    const nodeIndex = positionOf(this.nodes, this.nodeIndex, chosen);
    if (nodeIndex < 0) return `workload chose unknown node '${chosen}'`;
    client.node = nodeIndex;
    client.invoked++;
    const operation = this.history.invoke(client.process, op.f, op.key, op.value, now, client.index, nodeIndex);
    const request: PendingRequest = {
      id: `${client.id}:${client.invoked}`,
      client,
      seq: client.invoked,
      op,
      node: nodeIndex,
      operation,
      done: false,
    };
    client.pending = request;
    this.stats.operations++;
    if (this.trace.enabled)
      this.trace.write({
        t: now,
        k: 'invoke',
        req: request.id,
        client: client.id,
        process: client.process,
        node: chosen,
        op,
      });
    const events = this.events;
    events.schedule(
      events.create(now + this.network.clientLatency(), REQUEST, nodeIndex, request, undefined, -1, 0, false),
    );
    events.scheduleInLane(
      events.create(now + spec.timeout, CLIENT_TIMEOUT, -1, request, client, -1, 0, false),
      TIMEOUT_LANE,
    );
    return undefined;
  }

  private view(client: ClientProcess, now: Micros): ClientView {
    return {
      client: client.id,
      index: client.index,
      process: client.process,
      now,
      invoked: client.invoked,
      random: client.random,
      lastOutcome: client.lastOutcome,
    };
  }

  /** A node's answer to a request: it reaches the client after the client latency (a RESPONSE event). */
  respond(node: number, requestId: string, outcome: Outcome, now: Micros): void {
    const request = this.pendingRequest(requestId);
    // A late answer (the client gave up already) or a second answer is normal in a real system;
    // the client simply never hears it, and the history keeps the client's view.
    if (!request) {
      if (this.wasIssued(requestId)) return;
      throw new Error(`respond('${requestId}'): no such request (a request id must come from onRequest)`);
    }
    if (outcome.type !== 'ok' && outcome.type !== 'fail' && outcome.type !== 'unknown') {
      throw new Error(
        `respond('${requestId}'): outcome type must be 'ok', 'fail' or 'unknown', got ${JSON.stringify((outcome as { type: unknown }).type)}`,
      );
    }
    const events = this.events;
    events.schedule(events.create(now + this.network.clientLatency(), RESPONSE, node, request, outcome, -1, 0, false));
  }

  /**
   * The pending request with this id, if any. Ids are `c<k>:<n>` (client k's n-th request), and a
   * client waits for each request before its next, so the id names the one place to look.
   */
  private pendingRequest(requestId: string): PendingRequest | undefined {
    const pending = this.clientOfRequest(requestId)?.pending;
    return pending !== undefined && pending.id === requestId ? pending : undefined;
  }

  /** Whether a request id was issued by a client, though it is no longer pending. */
  private wasIssued(requestId: string): boolean {
    const client = this.clientOfRequest(requestId);
    const n = Number(requestId.slice(requestId.indexOf(':') + 1));
    return client !== undefined && Number.isInteger(n) && n >= 1 && n <= client.invoked;
  }

  /** The client a request id `c<k>:<n>` names, read character by character: it runs for every answer. */
  private clientOfRequest(requestId: string): ClientProcess | undefined {
    if (typeof requestId !== 'string' || requestId.charCodeAt(0) !== 99 /* c */) return undefined;
    let k = 0;
    let i = 1;
    for (; i < requestId.length; i++) {
      const digit = requestId.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) break;
      k = k * 10 + digit;
    }
    return i > 1 && requestId.charCodeAt(i) === 58 /* : */ ? this.clients[k - 1] : undefined;
  }

  /** An answer reaching its client. Returns whether it completed the request (not late, not a duplicate). */
  complete(request: PendingRequest, outcome: Outcome, now: Micros): boolean {
    if (request.done) return false; // timed out already, or a duplicate response
    const type = outcome.type === 'unknown' ? 'info' : outcome.type;
    this.finish(request, type, outcome, now);
    if (outcome.type === 'fail') {
      request.client.node =
        outcome.redirect !== undefined && this.nodeIndex.has(outcome.redirect)
          ? this.nodeIndex.get(outcome.redirect)!
          : request.client.random.int(0, this.nodes.length - 1);
    }
    return true;
  }

  /** A client's timeout for a request. Returns whether the request was still waiting (and is now unknown). */
  timeout(request: PendingRequest, client: ClientProcess, now: Micros): boolean {
    // A request not yet done is its client's pending one (a client waits for each request before its
    // next), so the client answers, not the request: most timeouts find their request answered long
    // ago, and the client is the object already at hand.
    if (client.pending !== request) return false;
    this.finish(request, 'info', { type: 'unknown', error: 'timeout' }, now);
    // A client that timed out tries a different node next, as real client libraries do.
    client.node = client.random.int(0, this.nodes.length - 1);
    return true;
  }

  private finish(request: PendingRequest, type: 'ok' | 'fail' | 'info', outcome: Outcome, now: Micros): void {
    request.done = true;
    const client = request.client;
    if (client.pending === request) client.pending = undefined;
    const value = outcome.type === 'ok' ? outcome.value : undefined;
    const error = outcome.type !== 'ok' ? outcome.error : undefined;
    this.history.complete(request.operation, client.process, type, type === 'ok' ? value : error, now, request.node);
    if (type === 'ok') this.stats.operationsOk++;
    else if (type === 'fail') this.stats.operationsFailed++;
    else this.stats.operationsUnknown++;
    if (this.trace.enabled) {
      const event: TraceEvent = {
        t: now,
        k: 'complete',
        req: request.id,
        client: client.id,
        process: client.process,
        type,
        node: this.nodes[request.node]!,
      };
      if (value !== undefined) event.value = value;
      if (error !== undefined) event.error = error;
      this.trace.write(event);
    }
    // After an unknown outcome the process may still be "in" its operation forever; Jepsen gives the
    // client a fresh process number so no process ever has two operations pending.
    if (type === 'info') client.process += this.clients.length;
    client.lastOutcome = outcome;
    const events = this.events;
    events.scheduleInLane(
      events.create(now + this.spec!.thinkTime, CLIENT_NEXT, -1, client, undefined, -1, 0, false),
      THINK_LANE,
    );
  }
}
