import { Immer } from 'immer';
import type { AnyProtocol, ClientRequest, NodeId, Outcome } from '../author/protocol.ts';
import { describeFault, type Fault } from '../faults/faults.ts';
import { createRandom } from '../random/random.ts';
import { resolveScenario } from '../scenario/resolve.ts';
import type { ResolveOptions, ResolvedScenario } from '../scenario/schema.ts';
import type { Micros } from '../time/time.ts';
import type { EndReason, RunStats } from '../trace/format.ts';
import { traceHeader } from '../trace/header.ts';
import { TraceRecorder } from '../trace/recorder.ts';
import { diffView, normalizeViewAfter } from '../trace/view-diff.ts';
import { Clients, type ClientProcess, type PendingRequest } from './clients.ts';
import { NodeClock } from './clock.ts';
import { CoverageCounters } from './coverage-counters.ts';
import { NodeDisk } from './disk.ts';
import { NodeFaults } from './node-faults.ts';
import {
  CLIENT_NEXT,
  CLIENT_TIMEOUT,
  DEADLINE,
  DELIVER,
  DEPART,
  FAULT,
  LANES,
  REQUEST,
  RESPONSE,
  TIMER,
} from './event-kinds.ts';
import { HistoryLog } from './history-log.ts';
import { KernelEvents } from './kernel-events.ts';
import { InvariantMonitor, type InvariantTracker } from './monitor.ts';
import { Network } from './network.ts';
import { createNodeContext, StepScope } from './node-context.ts';
import { NodeRuntime, positionOf } from './node-runtime.ts';
import type { PendingTimer } from './node-timers.ts';
import { StorageKeys } from './storage-keys.ts';
import { NO_SYNC, NodeStorage, RecentlyImmutable } from './storage.ts';
import { Timers } from './timers.ts';
import { TraceLines } from './trace-lines.ts';
import { KernelWorldView } from './world-view.ts';

import type { RunOptions, RunResult } from './run-types.ts';

export type { RunOptions, RunResult, StateMode } from './run-types.ts';

const EMPTY_RESULT: unknown[] = [];

/**
 * The deterministic kernel: one loop over a priority queue of events ordered by (time, seq).
 * Each event goes to one handler; its effects (sends, timers, storage writes, responses) are
 * applied, traced, and invariants are checked. Nothing here reads wall time or global randomness:
 * the same scenario and seed give the same trace bytes, every time, everywhere.
 *
 * The loop owns the order of things; the parts do the work: the event queue (KernelEvents), the
 * network, the nodes' timers, clocks and storage, the clients, the invariant monitor and the trace.
 * The parts are handed what they need and never call back into the loop.
 */
export class Simulation {
  readonly scenario: ResolvedScenario;
  readonly protocol: AnyProtocol;
  private readonly events = new KernelEvents(LANES);
  /** Set by a handler that keeps its event's slot (deferred while its node is paused). */
  private keepSlot = false;
  private readonly nodes: NodeRuntime[];
  private readonly nodeIndex: Map<NodeId, number>;
  /** The scenario's node ids, by index. */
  private readonly nodeIds: readonly NodeId[];
  private readonly network: Network;
  private readonly trace: TraceRecorder;
  private readonly lines: TraceLines;
  private readonly timers: Timers;
  private readonly clients: Clients;
  private readonly monitor: InvariantMonitor;
  private readonly nodeFaults: NodeFaults;
  /** The time, the stepping node and its outbox, shared with the nodes' contexts. */
  private readonly scope = new StepScope();
  /** This run's immer, which does not freeze what it produces (see the constructor). */
  private readonly immer: Immer;
  private readonly immutable: boolean;
  private now: Micros = 0;
  private nextMessageId = 1;
  private readonly stats: RunStats = {
    events: 0,
    messagesSent: 0,
    messagesDelivered: 0,
    messagesDropped: 0,
    messagesDuplicated: 0,
    dropsByReason: {},
    timersFired: 0,
    faults: 0,
    operations: 0,
    operationsOk: 0,
    operationsFailed: 0,
    operationsUnknown: 0,
    violations: 0,
  };
  private readonly history: HistoryLog;
  /** Nodes that are down, in the order they crashed. */
  private readonly crashedNodes: NodeId[] = [];
  /** What invariants see; the loop keeps its time and stepped node current. */
  private readonly world: KernelWorldView;
  private endReason: EndReason | undefined;
  private error: string | undefined;
  private readonly maxEvents: number;
  private readonly messageBudget: number;
  /**
   * The loop's one check of its limits: the lower of `maxEvents` and the event budget, and 0 once
   * the run sent more than its message budget (checked where messages are counted), so the loop
   * compares one number per event and sorts out which limit it met only when it meets one.
   */
  private eventLimit: number;
  private readonly traceOn: boolean;
  /** Undefined unless the run counts coverage. */
  private readonly coverage: CoverageCounters | undefined;
  private started = false;

  constructor(scenario: ResolvedScenario, options: RunOptions = {}) {
    this.scenario = scenario;
    this.protocol = scenario.protocol;
    this.immutable = (options.stateMode ?? 'immutable') === 'immutable';
    // Freezing every produced state costs time and catches nothing a draft would not: mutations
    // outside handlers are impossible in immutable mode because drafts are revoked.
    this.immer = new Immer({ autoFreeze: false });
    this.maxEvents = options.maxEvents ?? Number.MAX_SAFE_INTEGER;
    this.messageBudget = scenario.budget.messages;
    this.eventLimit = Math.min(this.maxEvents, scenario.budget.events);
    this.trace = new TraceRecorder(options.trace ?? 'memory', options.onTraceLine, options.onTraceChunk);
    this.traceOn = this.trace.enabled;
    this.coverage = options.coverage ? new CoverageCounters(scenario.protocol, scenario.nodes) : undefined;
    this.lines = new TraceLines(this.trace, scenario.nodes);
    this.timers = new Timers(this.events, options.timers !== 'eager');
    this.nodeIndex = new Map(scenario.nodes.map((node, i) => [node, i]));
    this.nodeIds = scenario.nodes;
    this.network = new Network(scenario.nodes, scenario.network, createRandom(scenario.seed, 'network'));
    const clientIds: string[] = [];
    this.history = new HistoryLog(scenario.nodes, clientIds);
    this.clients = new Clients(scenario, this.events, this.network, this.history, clientIds, this.stats, this.trace);
    // What the nodes' storages share belongs to the run, like everything else of it.
    const keys = new StorageKeys();
    const recent = new RecentlyImmutable();
    this.nodes = scenario.nodes.map((id, index) => {
      const clock = scenario.clocks[index]!;
      return new NodeRuntime(
        id,
        index,
        new NodeClock(clock[1], clock[2]),
        new NodeStorage(keys, recent),
        createRandom(scenario.seed, `node:${id}`),
      );
    });
    const parts = {
      scenario,
      nodeIndex: this.nodeIndex,
      scope: this.scope,
      timers: this.timers,
      clients: this.clients,
      trace: this.trace,
      bugs: new Set(scenario.bugs),
      immutable: this.immutable,
    };
    for (const node of this.nodes) node.context = createNodeContext(node, parts);
    scenario.storage?.syncLatency.forEach((latency, index) => {
      if (latency === null) return;
      const node = this.nodes[index]!;
      node.disk = new NodeDisk(latency, createRandom(scenario.seed, `disk:${node.id}`));
      node.storage.timeSyncs();
    });
    this.world = new KernelWorldView(
      this.nodes,
      this.nodeIndex,
      this.protocol,
      scenario,
      this.crashedNodes,
      this.history,
    );
    this.monitor = new InvariantMonitor(scenario, this.world, this.stats, this.trace);
    this.nodeFaults = new NodeFaults(
      this.nodes,
      scenario.nodes,
      this.nodeIndex,
      this.crashedNodes,
      this.events,
      this.timers,
      this.trace,
    );
  }

  /** Validates and resolves a scenario, then builds its simulation. */
  static fromScenario(scenario: unknown, resolve: ResolveOptions = {}, options: RunOptions = {}): Simulation {
    return new Simulation(resolveScenario(scenario, resolve), options);
  }

  get time(): Micros {
    return this.now;
  }

  /** The live state of a node (undefined while crashed). Do not mutate it. */
  stateOf(node: NodeId): unknown {
    const runtime = this.nodes[this.indexOfNode(node)];
    return runtime?.up ? runtime.state : undefined;
  }

  /** Runs to the end (the scenario's `until`, the first violation, or an idle queue). */
  run(): RunResult {
    this.start();
    const until = this.scenario.until;
    const events = this.events;
    const stats = this.stats;
    const timers = this.timers;
    while (this.endReason === undefined) {
      const slot = events.peek();
      if (slot < 0) {
        this.finish('idle', until);
        break;
      }
      const time = events.time[slot]!;
      if (time > until) {
        this.finish('until', until);
        break;
      }
      if (stats.events >= this.eventLimit) {
        if (stats.events >= this.maxEvents) this.finish('until', this.now);
        else this.budgetExceeded();
        break;
      }
      events.takePeeked();
      const kind = events.kind[slot]!;
      if (kind === TIMER && !timers.due(slot)) continue;
      this.setTime(time);
      stats.events++;
      this.keepSlot = false;
      this.dispatch(slot, kind);
      if (!this.keepSlot) events.release(slot);
    }
    return this.result();
  }

  private setTime(time: Micros): void {
    this.now = time;
    this.scope.now = time;
    this.world.time = time;
  }

  private start(): void {
    if (this.started) throw new Error('Simulation.run() may be called only once; build a new Simulation to run again');
    this.started = true;
    if (this.traceOn) this.trace.writeHeader(traceHeader(this.scenario));
    for (const [index, { at, fault }] of this.scenario.faults.entries()) this.schedule(at, FAULT, -1, fault, index);
    for (const tracker of this.monitor.deadlines) this.schedule(tracker.deadline, DEADLINE, -1, tracker, undefined);
    this.clients.start();
    for (const node of this.nodes) this.initNode(node, false);
    this.monitor.changed();
    this.checkInvariants();
  }

  private schedule(time: Micros, kind: number, node: number, a: unknown, b: unknown): void {
    const events = this.events;
    events.schedule(events.create(time, kind, node, a, b, -1, 0, false));
  }

  /** Keeps the event being dispatched for later: its node is paused. */
  private defer(node: NodeRuntime, slot: number): void {
    node.deferred.push(slot);
    this.keepSlot = true;
  }

  // ---------------------------------------------------------------- dispatch

  private dispatch(slot: number, kind: number): void {
    const events = this.events;
    switch (kind) {
      case DELIVER:
        return this.deliver(slot);
      case TIMER:
        return this.fireTimer(slot);
      case FAULT:
        return this.applyFault(events.a[slot] as Fault);
      case CLIENT_NEXT: {
        const error = this.clients.next(events.a[slot] as ClientProcess, this.now);
        if (error !== undefined) this.protocolError(undefined, new Error(error));
        return;
      }
      case REQUEST:
        return this.deliverRequest(slot);
      case RESPONSE:
        if (this.clients.complete(events.a[slot] as PendingRequest, events.b[slot] as Outcome, this.now))
          this.afterClientChange();
        return;
      case CLIENT_TIMEOUT:
        if (this.clients.timeout(events.a[slot] as PendingRequest, events.b[slot] as ClientProcess, this.now))
          this.afterClientChange();
        return;
      case DEADLINE:
        this.monitor.deadline(events.a[slot] as InvariantTracker, this.now);
        if (this.monitor.stopped) this.finish('violation', this.now);
        return;
      case DEPART:
        return this.depart(slot);
    }
  }

  private deliver(slot: number): void {
    const events = this.events;
    const to = events.node[slot]!;
    const fromIndex = events.from[slot]!;
    const node = this.nodes[to]!;
    if (!node.up) return this.drop(events.id[slot]!, fromIndex, to, events.dup[slot] === 1, 'crashed');
    if (node.paused) return this.defer(node, slot);
    // A partition that formed while the message was in flight drops it on arrival.
    if (this.network.isBlocked(fromIndex, to))
      return this.drop(events.id[slot]!, fromIndex, to, events.dup[slot] === 1, 'partition');
    this.stats.messagesDelivered++;
    if (this.traceOn) this.lines.deliver(this.now, events.id[slot]!, fromIndex, to, events.dup[slot] === 1);
    if (this.coverage) this.coverage.deliver(events.a[slot]);
    this.step(node, DELIVER, this.nodes[fromIndex]!.id, events.a[slot]);
  }

  private drop(id: number, from: number, to: number, duplicate: boolean, reason: string): void {
    this.stats.messagesDropped++;
    this.stats.dropsByReason[reason] = (this.stats.dropsByReason[reason] ?? 0) + 1;
    if (this.traceOn) this.lines.drop(this.now, id, from, to, reason, duplicate);
  }

  private fireTimer(slot: number): void {
    const events = this.events;
    const node = this.nodes[events.node[slot]!]!;
    const name = events.a[slot] as string;
    const timer = events.b[slot] as PendingTimer;
    if (node.paused) {
      this.timers.parked(timer);
      return this.defer(node, slot);
    }
    node.timers.remove(timer);
    this.stats.timersFired++;
    if (this.traceOn) this.lines.timer(this.now, node.index, name);
    this.step(node, TIMER, name, undefined);
  }

  private deliverRequest(slot: number): void {
    const request = this.events.a[slot] as PendingRequest;
    const node = this.nodes[request.node]!;
    if (request.done || !node.up) return; // the client gave up, or nobody is there; the client times out
    if (node.paused) return this.defer(node, slot);
    if (this.traceOn)
      this.trace.write({ t: this.now, k: 'request', req: request.id, client: request.client.id, node: node.id });
    const protocol = this.protocol;
    if (!protocol.onRequest) {
      this.clients.respond(
        node.index,
        request.id,
        { type: 'fail', error: `${protocol.name} takes no client requests` },
        this.now,
      );
      return;
    }
    const clientRequest: ClientRequest = {
      id: request.id,
      client: request.client.id,
      seq: request.seq,
      op: request.op,
    };
    this.step(node, REQUEST, clientRequest, undefined);
  }

  // ---------------------------------------------------------------- steps

  /**
   * Runs one handler on a node: state update, then storage-before-sends, trace, invariants. The
   * handler is named by the event kind (DELIVER: a is the sender, b the message; TIMER: a is the
   * timer's name; REQUEST: a is the client request), so the hot path allocates no closure.
   */
  private step(node: NodeRuntime, kind: number, a: unknown, b: unknown): void {
    const scope = this.scope;
    scope.current = node;
    try {
      if (this.immutable) this.produceStep(node, kind, a, b);
      else this.handle(node.state, node, kind, a, b);
    } catch (error) {
      scope.current = undefined;
      scope.clearOutbox();
      return this.protocolError(node, error);
    }
    scope.current = undefined;
    this.afterStep(node);
  }

  /**
   * The immutable mode's step: the handler runs on an immer draft. Kept apart from `step` because
   * a function whose arguments a closure captures allocates a context for them on every call, and
   * `step` also runs every step of the mutable mode, which needs no closure.
   */
  private produceStep(node: NodeRuntime, kind: number, a: unknown, b: unknown): void {
    node.state = this.immer.produce(node.state, (draft: unknown) => this.handle(draft, node, kind, a, b));
  }

  private handle(state: unknown, node: NodeRuntime, kind: number, a: unknown, b: unknown): void {
    const protocol = this.protocol;
    const ctx = node.context;
    if (kind === DELIVER) protocol.onMessage(state as never, a as NodeId, b as never, ctx);
    else if (kind === TIMER) protocol.onTimer(state as never, a as string, ctx);
    else protocol.onRequest!(state as never, a as ClientRequest as never, ctx);
  }

  private afterStep(node: NodeRuntime): void {
    // Storage writes are already applied (they happen in place during the handler); only now do
    // the step's messages leave, so a message never reveals a write that a crash could undo
    // unless the protocol skipped its sync. With a sync latency they leave when the sync completes.
    if (node.disk !== undefined) this.syncThenSend(node);
    else if (this.scope.outboxCount > 0) this.flushOutbox(node);
    if (this.traceOn) this.recordSummary(node);
    if (this.coverage && node.up) this.coverage.stepped(node.index, node.state);
    // When one memory answers for every step invariant, it observes the step straight from here
    // (InvariantMonitor.steppedQuiet) and the checks run only when it is not quiet. A step after
    // the run's end may be observed with no check to follow: a memory only reads the world.
    const monitor = this.monitor;
    const world = this.world;
    world.steppedRuntime = node;
    if (!monitor.steppedQuiet(node.id, node.index) && monitor.watchesSteps) this.checkInvariants();
    world.steppedRuntime = undefined;
  }

  private flushOutbox(node: NodeRuntime): void {
    const scope = this.scope;
    const to = scope.outboxTo;
    const msg = scope.outboxMsg;
    const count = scope.outboxCount;
    scope.outboxCount = 0;
    scope.outboxBeforeSyncCount = 0;
    for (let i = 0; i < count; i++) {
      this.transmit(node, to[i]!, msg[i]);
      msg[i] = undefined;
    }
  }

  /**
   * A step on a node whose syncs take time: a sync that found new writes starts on the disk; if
   * the step synced at all, its messages wait until every write sealed so far is on disk (an
   * acknowledgement must not leave before what it acknowledges is durable). A step that did not
   * sync sends at once, as a heartbeat does, and so does a message sent with `beforeSync`.
   */
  private syncThenSend(node: NodeRuntime): void {
    const storage = node.storage;
    const request = storage.takeSyncRequest();
    let departAt = this.now;
    if (request !== NO_SYNC) {
      if (request >= 0) storage.seal(request, node.disk!.sync(this.now), this.now);
      departAt = storage.durableAt(this.now);
    }
    if (this.scope.outboxCount === 0) return;
    if (departAt === this.now) return this.flushOutbox(node);
    const scope = this.scope;
    const events = this.events;
    const count = scope.outboxCount;
    const early = scope.outboxBeforeSyncCount;
    scope.outboxCount = 0;
    scope.outboxBeforeSyncCount = 0;
    for (let i = 0; i < count; i++) {
      if (early > 0 && scope.outboxBeforeSync[i]) {
        this.transmit(node, scope.outboxTo[i]!, scope.outboxMsg[i]);
        scope.outboxMsg[i] = undefined;
        continue;
      }
      events.schedule(
        events.create(
          departAt,
          DEPART,
          node.index,
          scope.outboxMsg[i],
          scope.outboxTo[i],
          node.index,
          node.crashes,
          false,
        ),
      );
      scope.outboxMsg[i] = undefined;
    }
  }

  /** A message held for its step's sync leaves now, unless its sender crashed in the meantime. */
  private depart(slot: number): void {
    const events = this.events;
    const node = this.nodes[events.node[slot]!]!;
    if (!node.up || node.crashes !== events.id[slot]) {
      if (this.traceOn)
        this.trace.write({
          t: this.now,
          k: 'note',
          node: node.id,
          text: `a message to ${String(events.b[slot])} waiting for a sync was lost in a crash`,
        });
      return;
    }
    if (node.paused) return this.defer(node, slot);
    this.transmit(node, events.b[slot] as NodeId, events.a[slot]);
  }

  private transmit(node: NodeRuntime, toId: NodeId, msg: unknown): void {
    const to = this.indexOfNode(toId);
    if (to < 0) return this.protocolError(node, new Error(`send to unknown node '${toId}'`));
    const id = this.nextMessageId++;
    if (++this.stats.messagesSent > this.messageBudget) this.eventLimit = 0;
    if (this.coverage) this.coverage.send(msg);
    if (this.traceOn) this.lines.send(this.now, id, node.index, to, this.protocol.describeMessage(msg), msg);
    const network = this.network;
    // A message to oneself never crosses the network (SendOptions): it arrives as it leaves.
    const deliverAt =
      to === node.index
        ? this.now
        : network.route(node.index, to, this.now, network.kindLatency !== undefined ? messageKind(msg) : undefined);
    if (deliverAt < 0) {
      this.drop(id, node.index, to, false, network.dropReason);
      return;
    }
    const events = this.events;
    events.schedule(events.create(deliverAt, DELIVER, to, msg, undefined, node.index, id, false));
    if (to !== node.index && network.duplicateAt >= 0) {
      this.stats.messagesDuplicated++;
      events.schedule(events.create(network.duplicateAt, DELIVER, to, msg, undefined, node.index, id, true));
    }
  }

  private indexOfNode(id: NodeId): number {
    return positionOf(this.nodeIds, this.nodeIndex, id);
  }

  private recordSummary(node: NodeRuntime): void {
    if (!node.up) return;
    // In the immutable mode an unchanged state is the same object (immer returns it as is), and a
    // summary is a pure function of the state: nothing to summarize.
    if (this.immutable && node.state === node.summarizedState) return;
    node.summarizedState = node.state;
    node.lastSummary = this.lines.state(
      this.now,
      node.index,
      this.protocol.summarize(node.state),
      node.lastSummary,
      this.scenario.traceFullState,
      node.state,
    );
    if (this.protocol.view !== undefined) this.recordView(node);
  }

  /**
   * A `view` line when the node's view changed: only what changed (see ViewDiff), so a trace
   * carries what the visualizer draws without repeating a log in every line.
   */
  private recordView(node: NodeRuntime): void {
    const view = this.protocol.view!(node.state, node.id);
    const diff = diffView(node.lastView, view);
    if (diff === undefined) return;
    // A view built from immutable state cannot change under us; in the mutable mode a protocol's
    // view may share arrays with its state, which the next step changes in place, so keep a copy
    // (of what changed: the rest is in the last copy).
    node.lastView = this.immutable ? view : normalizeViewAfter(node.lastView, view, diff);
    this.trace.write({ t: this.now, k: 'view', node: node.id, ...diff });
  }

  private protocolError(node: NodeRuntime | undefined, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.error = `${node ? `${node.id}: ` : ''}${message}`;
    if (this.traceOn)
      this.trace.write(
        node ? { t: this.now, k: 'error', node: node.id, message } : { t: this.now, k: 'error', message },
      );
    this.finish('error', this.now);
  }

  private initNode(node: NodeRuntime, restart: boolean): void {
    if (this.traceOn)
      this.trace.write(
        restart ? { t: this.now, k: 'init', node: node.id, restart: true } : { t: this.now, k: 'init', node: node.id },
      );
    const scope = this.scope;
    scope.current = node;
    try {
      const state = this.protocol.init(node.context);
      node.state = this.immutable ? this.immer.produce(state, () => undefined) : state;
    } catch (error) {
      scope.current = undefined;
      scope.clearOutbox();
      return this.protocolError(node, error);
    }
    scope.current = undefined;
    node.lastSummary = undefined;
    node.summarizedState = undefined;
    node.lastView = undefined;
    if (node.disk !== undefined) this.syncThenSend(node);
    else if (scope.outboxCount > 0) this.flushOutbox(node);
    if (this.traceOn) this.recordSummary(node);
    if (this.coverage) this.coverage.stepped(node.index, node.state);
  }

  // ---------------------------------------------------------------- faults

  private applyFault(fault: Fault): void {
    this.stats.faults++;
    if (this.traceOn) this.trace.write({ t: this.now, k: 'fault', fault, desc: describeFault(fault) });
    if (this.coverage) this.coverage.fault(fault);
    if (!this.network.apply(fault)) {
      const restarted = this.nodeFaults.apply(fault, this.now);
      if (this.coverage && fault.type === 'crash') this.coverage.crashed(this.indexOfNode(fault.node));
      if (restarted !== undefined) this.initNode(restarted, true);
    }
    this.monitor.changed();
    if (this.monitor.watchesSteps) this.checkInvariants();
  }

  // ---------------------------------------------------------------- invariants and the end

  /** A request completed or timed out: the history grew. */
  private afterClientChange(): void {
    if (this.monitor.watchesSteps) this.checkInvariants();
  }

  private checkInvariants(): void {
    if (this.endReason !== undefined) return;
    this.monitor.check(this.now);
    if (this.monitor.stopped) this.finish('violation', this.now);
  }

  /** More events or sends than the budget allows: a livelock (or a storm), reported with the trace so far. */
  private budgetExceeded(): void {
    const { events, messages } = this.scenario.budget;
    const what =
      this.stats.messagesSent > messages
        ? `sent more than its budget of ${messages} messages`
        : `used its budget of ${events} events`;
    this.monitor.budgetExceeded(
      `the run ${what} by ${this.now}us of ${this.scenario.until}us: a livelock or a message storm (raise the scenario's budget if the run is sound)`,
      this.now,
    );
    this.finish('livelock', this.now);
  }

  private finish(reason: EndReason, time: Micros): void {
    if (this.endReason !== undefined) return;
    this.setTime(Math.max(this.now, time));
    if (reason === 'until' || reason === 'idle') {
      this.monitor.finalChecks(this.now);
      // A final check that stops the run ends it as a violation; its end line is written there.
      if (this.monitor.stopped) this.finish('violation', this.now);
    }
    if (this.endReason === undefined) this.endReason = reason;
    if (this.traceOn) this.trace.write({ t: this.now, k: 'end', reason: this.endReason, stats: this.stats });
  }

  private result(): RunResult {
    const recorder = this.trace;
    const history = this.history;
    return {
      scenario: this.scenario.name,
      protocol: this.protocol.name,
      seed: this.scenario.seed,
      hash: this.trace.hash(),
      endTime: this.now,
      endReason: this.endReason!,
      stats: this.stats,
      violations: this.monitor.violations,
      reached: this.monitor.reached(),
      get history() {
        return history.entries();
      },
      summaries: this.nodes.map(
        (node) => [node.id, node.up ? this.protocol.summarize(node.state) : undefined] as const,
      ),
      ...(this.error !== undefined ? { error: this.error } : {}),
      get trace() {
        return recorder.mode === 'memory' ? recorder.lines : (EMPTY_RESULT as string[]);
      },
      get traceText() {
        return recorder.text();
      },
      faultsEndAt: this.scenario.faultsEndAt,
      ...(this.coverage ? { coverage: this.coverage.counts(this.monitor.reached()) } : {}),
    };
  }
}

/** Resolves and runs a scenario in one call. */
export function runScenario(scenario: unknown, resolve: ResolveOptions = {}, options: RunOptions = {}): RunResult {
  return Simulation.fromScenario(scenario, resolve, options).run();
}

/** A message's kind for per-kind latency: its `type` field when that is a string. */
function messageKind(msg: unknown): string | undefined {
  const type = msg !== null && typeof msg === 'object' ? (msg as { readonly type?: unknown }).type : undefined;
  return typeof type === 'string' ? type : undefined;
}
