import { produce, setAutoFreeze } from 'immer';
import { NodeClock } from './clock.ts';
import { describeFault, type Fault } from './faults.ts';
import type { HistoryEntry } from './history.ts';
import { HistoryLog } from './history-log.ts';
import { intern } from './intern.ts';
import type { Invariant, Violation, WorldView } from './invariant.ts';
import { InvariantMemories, type MonitoredInvariant } from './invariant-memories.ts';
import { KernelEvents } from './kernel-events.ts';
import { Network } from './network.ts';
import type { AnyProtocol, ClientRequest, NodeContext, NodeId, NodeSummary, Outcome } from './protocol.ts';
import { createRandom, type Random } from './random.ts';
import { resolveScenario, type ResolveOptions, type ResolvedScenario } from './scenario.ts';
import { NodeStorage } from './storage.ts';
import type { Micros } from './time.ts';
import {
  TraceRecorder,
  utf8,
  TRACE_FORMAT,
  TRACE_VERSION,
  type EndReason,
  type RunStats,
  type TraceEvent,
  type TraceHeader,
  type TraceMode,
} from './trace.ts';
import type { ClientView, Operation, Workload } from './workload.ts';

/** How handlers see state: immer drafts (snapshots, diffs, forks) or the state itself (fastest). */
export type StateMode = 'immutable' | 'mutable';

export interface RunOptions {
  /** Default 'memory'. */
  readonly trace?: TraceMode;
  /** Receives each trace line as a string as it is written. Decoding every line costs time: to stream to a file, prefer `onTraceChunk`. */
  readonly onTraceLine?: (line: string) => void;
  /** Receives the trace as UTF-8 bytes, a chunk of whole lines at a time (the array is reused: copy or write it before returning). */
  readonly onTraceChunk?: (bytes: Uint8Array) => void;
  /** Default 'immutable'. Both modes give the same trace. */
  readonly stateMode?: StateMode;
  /** Stop after this many events even if `until` is not reached (a guard for runaway protocols). */
  readonly maxEvents?: number;
  /**
   * How a re-armed timer is queued. 'carry' (the default) moves the event already queued; 'eager'
   * queues a new event for every setTimer and leaves the old one to be skipped. Both give the same
   * trace except for the event count; 'eager' is the plain reference the tests hold 'carry' to.
   */
  readonly timers?: 'carry' | 'eager';
}

export interface RunResult {
  readonly scenario: string;
  readonly protocol: string;
  readonly seed: number;
  /** Hash of the trace bytes; undefined when tracing is off. */
  readonly hash: string | undefined;
  readonly endTime: Micros;
  readonly endReason: EndReason;
  readonly stats: RunStats;
  readonly violations: readonly Violation[];
  /** `sometimes` invariants that held at least once, and those that never did. */
  readonly reached: readonly string[];
  readonly history: readonly HistoryEntry[];
  readonly summaries: ReadonlyArray<readonly [NodeId, NodeSummary | undefined]>;
  readonly error?: string;
  /**
   * Trace lines when the trace mode is 'memory' (empty otherwise). The recorder keeps the trace as
   * joined text while the run goes on; the lines are split out when first read.
   */
  readonly trace: readonly string[];
  /** The same trace as JSON Lines text, one newline after each line ('' unless the mode is 'memory'). */
  readonly traceText: string;
  readonly faultsEndAt: Micros;
}

// The fixed pieces of the hand-written trace lines, byte-identical to JSON.stringify of the same
// event (the pinned-hash and golden tests hold them to it).
const DELIVER_ID = utf8(',"k":"deliver","id":');
const DROP_ID = utf8(',"k":"drop","id":');
const SEND_ID = utf8(',"k":"send","id":');
const TIMER_NODE = utf8(',"k":"timer","node":');
const STATE_NODE = utf8(',"k":"state","node":');
const FROM = utf8(',"from":');
const TO = utf8(',"to":');
const REASON = utf8(',"reason":');
const NAME = utf8(',"name":');
const DESC = utf8(',"desc":');
const MSG = utf8(',"msg":');
const SUMMARY = utf8(',"summary":');
const FULL_STATE = utf8(',"state":');
const DUP_CLOSE = utf8(',"dup":true}');
const CLOSE = utf8('}');

// Kernel event kinds. Plain numbers keep the hot loop free of string compares.
const DELIVER = 0;
const TIMER = 1;
const FAULT = 2;
const CLIENT_NEXT = 3;
const REQUEST = 4;
const RESPONSE = 5;
const CLIENT_TIMEOUT = 6;
const DEADLINE = 7;

// FIFO lanes of the event queue (see KernelEvents) for events a fixed delay after now: each lane's
// events come due in the order they were scheduled.
const TIMEOUT_LANE = 0;
const THINK_LANE = 1;
const LANES = 2;

interface PendingRequest {
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

interface ClientProcess {
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

interface InvariantTracker {
  readonly invariant: Invariant;
  readonly monitored: MonitoredInvariant;
  satisfied: boolean;
  deadline: Micros;
}

/**
 * A pending timer. Protocols re-arm timers constantly (a Raft follower on every AppendEntries), so
 * re-arming does not queue a new event: the event already queued (the carrier) stays, and when it
 * comes up early it moves itself to the timer's current deadline. The deadline keeps the sequence
 * number it would have had if it had been queued when set, so timers fire in exactly the order,
 * and at exactly the times, of queueing one event per setTimer; the queue just never fills with
 * stale ones.
 */
interface PendingTimer {
  /** Deadline on the node's own clock, to reschedule when the clock jumps or drifts. */
  deadlineLocal: Micros;
  /** When it fires, in global time, and its place among events at that time. */
  at: Micros;
  seq: number;
  /** Token of the queued event that carries this timer; any other event for the name is stale. */
  carrier: number;
  /** When the carrier leaves the queue; Infinity while it waits out a pause outside the queue. */
  carrierAt: Micros;
}

class NodeRuntime {
  state: unknown = undefined;
  up = true;
  paused = false;
  upSince: Micros = 0;
  downSince: Micros = 0;
  /** Event slots that arrived while paused, replayed in order on resume. */
  deferred: number[] = [];
  /** Pending timers by name, in the order they were first set. */
  readonly timers = new Map<string, PendingTimer>();
  /** The summary last traced, as its JSON bytes. */
  lastSummary: Uint8Array | undefined = undefined;
  /** The state object last summarized (immutable mode), to skip unchanged steps. */
  summarizedState: unknown = undefined;
  context!: NodeContext;
  constructor(
    readonly id: NodeId,
    readonly index: number,
    readonly clock: NodeClock,
    readonly storage: NodeStorage,
    readonly random: Random,
  ) {}
}

const EMPTY_RESULT: unknown[] = [];

/**
 * The deterministic kernel: one loop over a priority queue of events ordered by (time, seq).
 * Each event goes to one handler; its effects (sends, timers, storage writes, responses) are
 * applied, traced, and invariants are checked. Nothing here reads wall time or global randomness:
 * the same scenario and seed give the same trace bytes, every time, everywhere.
 */
export class Simulation {
  readonly scenario: ResolvedScenario;
  readonly protocol: AnyProtocol;
  private readonly events = new KernelEvents(LANES);
  /** Set by a handler that keeps its event's slot (deferred while its node is paused). */
  private keepSlot = false;
  private readonly nodes: NodeRuntime[];
  private readonly nodeIndex: Map<NodeId, number>;
  /** Node ids as JSON strings, for hand-serialized trace lines. */
  /** Each node id as JSON, in UTF-8, for the hand-written trace lines. */
  private readonly nodeBytes: Uint8Array[];
  private readonly network: Network;
  private readonly trace: TraceRecorder;
  private readonly immutable: boolean;
  private readonly bugs: ReadonlySet<string>;
  private now: Micros = 0;
  private nextMessageId = 1;
  private nextTimerToken = 1;
  /** Messages sent by the running handler, as parallel arrays (no object per message). */
  private readonly outboxTo: NodeId[] = [];
  private readonly outboxMsg: unknown[] = [];
  private outboxCount = 0;
  private currentNode: NodeRuntime | undefined;
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
  private readonly clients: ClientProcess[] = [];
  /** The clients' ids by position, as the history log names them. */
  private readonly clientIds: string[] = [];
  private workload: Workload | undefined;
  /** The step invariants, in the scenario's order, grouped by shared quiet test. */
  /** The step invariants, in the scenario's order. */
  private readonly stepInvariants: MonitoredInvariant[] = [];
  /** The run memories the invariants read, kept current by this run. */
  private readonly memories = new InvariantMemories();
  private readonly endInvariants: InvariantTracker[] = [];
  private readonly pendingLiveness: InvariantTracker[] = [];
  private readonly violations: Violation[] = [];
  /** What invariants see; the kernel keeps its time, stepped node and state version current. */
  private readonly world: KernelWorldView;
  private endReason: EndReason | undefined;
  private error: string | undefined;
  private readonly maxEvents: number;
  private readonly carryTimers: boolean;
  private readonly traceOn: boolean;
  private readonly needSummaries: boolean;
  private started = false;

  constructor(
    scenario: ResolvedScenario,
    private readonly options: RunOptions = {},
  ) {
    this.scenario = scenario;
    this.protocol = scenario.protocol;
    this.immutable = (options.stateMode ?? 'immutable') === 'immutable';
    // Freezing every produced state costs time and catches nothing a draft would not: mutations
    // outside handlers are impossible in immutable mode because drafts are revoked.
    setAutoFreeze(false);
    this.bugs = new Set(scenario.bugs);
    this.maxEvents = options.maxEvents ?? Number.MAX_SAFE_INTEGER;
    this.carryTimers = options.timers !== 'eager';
    this.trace = new TraceRecorder(options.trace ?? 'memory', options.onTraceLine, options.onTraceChunk);
    this.traceOn = this.trace.enabled;
    this.nodeIndex = new Map(scenario.nodes.map((node, i) => [node, i]));
    this.nodeBytes = scenario.nodes.map((node) => utf8(JSON.stringify(node)));
    this.network = new Network(scenario.nodes, scenario.network, createRandom(scenario.seed, 'network'));
    this.nodes = scenario.nodes.map((id, index) => {
      const clock = scenario.clocks[index]!;
      const runtime = new NodeRuntime(
        id,
        index,
        new NodeClock(clock[1], clock[2]),
        new NodeStorage(),
        createRandom(scenario.seed, `node:${id}`),
      );
      runtime.context = this.createContext(runtime);
      return runtime;
    });
    for (const invariant of scenario.invariants) {
      const monitored = this.memories.monitor(invariant);
      const tracker: InvariantTracker = { invariant, monitored, satisfied: false, deadline: Infinity };
      if (invariant.kind === 'always' && invariant.atEnd) this.endInvariants.push(tracker);
      else if (invariant.kind === 'always') this.stepInvariants.push(monitored);
      else {
        if (invariant.kind === 'eventually')
          tracker.deadline = Math.min(
            scenario.until,
            scenario.faultsEndAt + (invariant.withinMicros ?? scenario.until),
          );
        this.pendingLiveness.push(tracker);
      }
    }
    this.needSummaries = this.traceOn;
    this.history = new HistoryLog(scenario.nodes, this.clientIds);
    this.world = new KernelWorldView(
      this.nodes,
      this.nodeIndex,
      this.protocol,
      scenario,
      this.crashedNodes,
      this.history,
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
      if (this.stats.events >= this.maxEvents) {
        this.finish('until', this.now);
        break;
      }
      events.takePeeked();
      if (events.kind[slot] === TIMER && !this.timerDue(slot)) continue;
      this.now = time;
      this.world.time = time;
      this.stats.events++;
      this.keepSlot = false;
      this.dispatch(slot);
      if (!this.keepSlot) events.release(slot);
    }
    return this.result();
  }

  private start(): void {
    if (this.started) throw new Error('Simulation.run() may be called only once; build a new Simulation to run again');
    this.started = true;
    if (this.traceOn) this.trace.writeHeader(this.header());
    for (const [index, { at, fault }] of this.scenario.faults.entries()) this.schedule(at, FAULT, -1, fault, index);
    for (const tracker of this.pendingLiveness) {
      if (tracker.invariant.kind === 'eventually' && tracker.deadline < this.scenario.until)
        this.schedule(tracker.deadline, DEADLINE, -1, tracker, undefined);
    }
    if (this.scenario.workload) this.startClients();
    for (const node of this.nodes) this.initNode(node, false);
    this.memories.changed();
    this.checkInvariants();
  }

  private header(): TraceHeader {
    const s = this.scenario;
    return {
      format: TRACE_FORMAT,
      version: TRACE_VERSION,
      scenario: s.name,
      ...(s.description ? { description: s.description } : {}),
      protocol: this.protocol.name,
      seed: s.seed,
      nodes: s.nodes,
      clients: Array.from({ length: s.workload?.clients ?? 0 }, (_, i) => `c${i + 1}`),
      until: s.until,
      config: s.config,
      bugs: s.bugs,
      network: s.network,
      clocks: s.clocks,
      faults: s.faults,
      faultsEndAt: s.faultsEndAt,
      ...(s.workload ? { workload: s.workload } : {}),
      invariants: s.invariants.map((invariant) => ({ name: invariant.name, kind: invariant.kind })),
    };
  }

  private schedule(time: Micros, kind: number, node: number, a: unknown, b: unknown): void {
    const events = this.events;
    events.schedule(events.create(time, kind, node, a, b, -1, 0, false));
  }

  /** Schedules an event a fixed delay after now in its FIFO lane (see KernelEvents). */
  private scheduleInLane(time: Micros, kind: number, a: unknown, b: unknown, lane: number): void {
    const events = this.events;
    events.scheduleInLane(events.create(time, kind, -1, a, b, -1, 0, false), lane);
  }

  /** Schedules a kept event again (after a pause), keeping everything but its time and place in line. */
  private reschedule(slot: number, time: Micros): void {
    this.events.time[slot] = time;
    this.events.schedule(slot);
  }

  /** Keeps the event being dispatched for later: its node is paused. */
  private defer(node: NodeRuntime, slot: number): void {
    node.deferred.push(slot);
    this.keepSlot = true;
  }

  private record(event: TraceEvent): void {
    this.trace.write(event);
  }

  // ---------------------------------------------------------------- dispatch

  private dispatch(slot: number): void {
    const events = this.events;
    switch (events.kind[slot]) {
      case DELIVER:
        return this.deliver(slot);
      case TIMER:
        return this.fireTimer(slot);
      case FAULT:
        return this.applyFault(events.a[slot] as Fault);
      case CLIENT_NEXT:
        return this.clientNext(events.a[slot] as ClientProcess);
      case REQUEST:
        return this.deliverRequest(slot);
      case RESPONSE:
        return this.completeRequest(events.a[slot] as PendingRequest, events.b[slot] as Outcome);
      case CLIENT_TIMEOUT:
        return this.timeoutRequest(events.a[slot] as PendingRequest, events.b[slot] as ClientProcess);
      case DEADLINE:
        return this.checkDeadline(events.a[slot] as InvariantTracker);
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
    const from = this.nodes[fromIndex]!.id;
    if (this.traceOn) {
      const trace = this.trace;
      trace.begin(this.now);
      trace.bytes(DELIVER_ID);
      trace.integer(events.id[slot]!);
      this.traceLink(fromIndex, to);
      trace.bytes(events.dup[slot] === 1 ? DUP_CLOSE : CLOSE);
      trace.end();
    }
    this.step(node, DELIVER, from, events.a[slot]);
  }

  private drop(id: number, from: number, to: number, duplicate: boolean, reason: string): void {
    this.stats.messagesDropped++;
    this.stats.dropsByReason[reason] = (this.stats.dropsByReason[reason] ?? 0) + 1;
    if (this.traceOn) {
      const trace = this.trace;
      trace.begin(this.now);
      trace.bytes(DROP_ID);
      trace.integer(id);
      this.traceLink(from, to);
      trace.bytes(REASON);
      trace.string(reason);
      trace.bytes(duplicate ? DUP_CLOSE : CLOSE);
      trace.end();
    }
  }

  /**
   * Whether a TIMER event popped from the queue should fire now. A carrier that comes up before its
   * timer's current deadline moves itself there (see PendingTimer); an event whose timer was
   * cancelled, replaced or lost in a crash is stale. Neither counts as an event of the run.
   */
  private timerDue(slot: number): boolean {
    const events = this.events;
    const timer = this.nodes[events.node[slot]!]!.timers.get(events.a[slot] as string);
    if (timer === undefined || timer.carrier !== events.id[slot]) {
      events.release(slot);
      return false;
    }
    const time = events.time[slot]!;
    if (timer.at > time || (timer.at === time && timer.seq > events.seq[slot]!)) {
      events.time[slot] = timer.at;
      timer.carrierAt = timer.at;
      events.scheduleReserved(slot, timer.seq);
      return false;
    }
    return true;
  }

  private fireTimer(slot: number): void {
    const events = this.events;
    const node = this.nodes[events.node[slot]!]!;
    const name = events.a[slot] as string;
    if (node.paused) {
      node.timers.get(name)!.carrierAt = Infinity;
      return this.defer(node, slot);
    }
    node.timers.delete(name);
    this.stats.timersFired++;
    if (this.traceOn) {
      const trace = this.trace;
      trace.begin(this.now);
      trace.bytes(TIMER_NODE);
      trace.bytes(this.nodeBytes[node.index]!);
      trace.bytes(NAME);
      trace.string(name);
      trace.bytes(CLOSE);
      trace.end();
    }
    this.step(node, TIMER, name, undefined);
  }

  // ---------------------------------------------------------------- steps

  /**
   * Runs one handler on a node: state update, then storage-before-sends, trace, invariants. The
   * handler is named by the event kind (DELIVER: a is the sender, b the message; TIMER: a is the
   * timer's name; REQUEST: a is the client request), so the hot path allocates no closure.
   */
  private step(node: NodeRuntime, kind: number, a: unknown, b: unknown): void {
    this.currentNode = node;
    try {
      if (this.immutable) this.produceStep(node, kind, a, b);
      else this.handle(node.state, node.context, kind, a, b);
    } catch (error) {
      this.currentNode = undefined;
      this.clearOutbox();
      return this.protocolError(node, error);
    }
    this.currentNode = undefined;
    this.afterStep(node);
  }

  /**
   * The immutable mode's step: the handler runs on an immer draft. Kept apart from `step` because
   * a function whose arguments a closure captures allocates a context for them on every call, even
   * when the closure is never made: in `step` that was 64 bytes a step in the mutable mode too.
   */
  private produceStep(node: NodeRuntime, kind: number, a: unknown, b: unknown): void {
    node.state = produce(node.state, (draft: unknown) => this.handle(draft, node.context, kind, a, b));
  }

  private handle(state: unknown, ctx: NodeContext, kind: number, a: unknown, b: unknown): void {
    const protocol = this.protocol;
    if (kind === DELIVER) protocol.onMessage(state as never, a as NodeId, b as never, ctx);
    else if (kind === TIMER) protocol.onTimer(state as never, a as string, ctx);
    else protocol.onRequest!(state as never, a as ClientRequest as never, ctx);
  }

  private afterStep(node: NodeRuntime): void {
    // Storage writes are already applied (they happen in place during the handler); only now do
    // the step's messages leave, so a message never reveals a write that a crash could undo
    // unless the protocol skipped its sync.
    if (this.outboxCount > 0) this.flushOutbox(node);
    if (this.needSummaries) this.recordSummary(node);
    this.memories.stepped(node.id);
    if (this.stepInvariants.length > 0 || this.pendingLiveness.length > 0) {
      const world = this.world;
      world.steppedRuntime = node;
      this.checkInvariants();
      world.steppedRuntime = undefined;
    }
  }

  private flushOutbox(node: NodeRuntime): void {
    const to = this.outboxTo;
    const msg = this.outboxMsg;
    const count = this.outboxCount;
    this.outboxCount = 0;
    for (let i = 0; i < count; i++) {
      this.transmit(node, to[i]!, msg[i]);
      msg[i] = undefined;
    }
  }

  private clearOutbox(): void {
    for (let i = 0; i < this.outboxCount; i++) this.outboxMsg[i] = undefined;
    this.outboxCount = 0;
  }

  private enqueue(to: NodeId, msg: unknown): void {
    const n = this.outboxCount++;
    this.outboxTo[n] = to;
    this.outboxMsg[n] = msg;
  }

  private transmit(node: NodeRuntime, toId: NodeId, msg: unknown): void {
    const to = this.indexOfNode(toId);
    if (to < 0) return this.protocolError(node, new Error(`send to unknown node '${toId}'`));
    const id = this.nextMessageId++;
    this.stats.messagesSent++;
    if (this.traceOn) {
      const trace = this.trace;
      trace.begin(this.now);
      trace.bytes(SEND_ID);
      trace.integer(id);
      this.traceLink(node.index, to);
      trace.bytes(DESC);
      trace.value(this.protocol.describeMessage(msg));
      trace.bytes(MSG);
      trace.value(msg);
      trace.bytes(CLOSE);
      trace.end();
    }
    const network = this.network;
    const deliverAt = network.route(node.index, to, this.now);
    if (deliverAt < 0) {
      this.drop(id, node.index, to, false, network.dropReason);
      return;
    }
    const events = this.events;
    events.schedule(events.create(deliverAt, DELIVER, to, msg, undefined, node.index, id, false));
    if (network.duplicateAt >= 0) {
      this.stats.messagesDuplicated++;
      events.schedule(events.create(network.duplicateAt, DELIVER, to, msg, undefined, node.index, id, true));
    }
  }

  private indexOfNode(id: NodeId): number {
    return positionOf(this.scenario.nodes, this.nodeIndex, id);
  }

  /** `,"from":<node>,"to":<node>`, shared by the message lines. */
  private traceLink(from: number, to: number): void {
    const trace = this.trace;
    trace.bytes(FROM);
    trace.bytes(this.nodeBytes[from]!);
    trace.bytes(TO);
    trace.bytes(this.nodeBytes[to]!);
  }

  private recordSummary(node: NodeRuntime): void {
    if (!node.up) return;
    // In the immutable mode an unchanged state is the same object (immer returns it as is), and a
    // summary is a pure function of the state: nothing to summarize.
    if (this.immutable && node.state === node.summarizedState) return;
    node.summarizedState = node.state;
    const summary = this.protocol.summarize(node.state);
    // The line is written, then dropped if its summary's bytes are the ones last written for this node.
    const trace = this.trace;
    trace.begin(this.now);
    trace.bytes(STATE_NODE);
    trace.bytes(this.nodeBytes[node.index]!);
    trace.bytes(SUMMARY);
    const from = trace.lineOffset();
    trace.value(summary);
    if (trace.sameSince(from, node.lastSummary)) {
      trace.abandonLine();
      return;
    }
    node.lastSummary = trace.copySince(from);
    if (this.scenario.traceFullState) {
      trace.bytes(FULL_STATE);
      trace.value(node.state);
    }
    trace.bytes(CLOSE);
    trace.end();
  }

  private protocolError(node: NodeRuntime | undefined, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.error = `${node ? `${node.id}: ` : ''}${message}`;
    if (this.traceOn)
      this.record(node ? { t: this.now, k: 'error', node: node.id, message } : { t: this.now, k: 'error', message });
    this.finish('error', this.now);
  }

  private initNode(node: NodeRuntime, restart: boolean): void {
    if (this.traceOn)
      this.record(
        restart ? { t: this.now, k: 'init', node: node.id, restart: true } : { t: this.now, k: 'init', node: node.id },
      );
    this.currentNode = node;
    try {
      const state = this.protocol.init(node.context);
      node.state = this.immutable ? produce(state, () => undefined) : state;
    } catch (error) {
      this.currentNode = undefined;
      this.clearOutbox();
      return this.protocolError(node, error);
    }
    this.currentNode = undefined;
    node.lastSummary = undefined;
    node.summarizedState = undefined;
    if (this.outboxCount > 0) this.flushOutbox(node);
    if (this.needSummaries) this.recordSummary(node);
  }

  // ---------------------------------------------------------------- the node's view

  private createContext(node: NodeRuntime): NodeContext {
    const kernel = this;
    const peers = this.scenario.nodes.filter((id) => id !== node.id);
    const assertInStep = (what: string) => {
      if (kernel.currentNode !== node) {
        throw new Error(
          `${node.id}: ctx.${what} was called outside this node's handler; handlers may act only while they run`,
        );
      }
    };
    return {
      self: node.id,
      peers,
      nodes: this.scenario.nodes,
      indexOf: (id) => kernel.indexOfNode(id),
      now: () => node.clock.localAt(kernel.now),
      send(to, msg) {
        assertInStep('send');
        kernel.enqueue(to, kernel.immutable ? detach(msg) : msg);
      },
      broadcast(msg) {
        assertInStep('broadcast');
        const detached = kernel.immutable ? detach(msg) : msg;
        for (const peer of peers) kernel.enqueue(peer, detached);
      },
      setTimer(name, after) {
        assertInStep('setTimer');
        if (!(after >= 0) || !Number.isFinite(after))
          throw new Error(`setTimer('${name}', ${after}): the delay must be a non-negative number of microseconds`);
        kernel.setTimer(node, name, node.clock.localAt(kernel.now) + Math.round(after));
      },
      cancelTimer(name) {
        node.timers.delete(name);
      },
      hasTimer: (name) => node.timers.has(name),
      random: node.random,
      storage: node.storage,
      respond(requestId, outcome) {
        assertInStep('respond');
        kernel.respond(node, requestId, outcome);
      },
      annotate(text, data) {
        if (kernel.traceOn)
          kernel.record(
            data === undefined
              ? { t: kernel.now, k: 'note', node: node.id, text }
              : { t: kernel.now, k: 'note', node: node.id, text, data: detach(data) },
          );
      },
      bugs: this.bugs,
      config: this.scenario.config,
    };
  }

  private setTimer(node: NodeRuntime, name: string, deadlineLocal: Micros): void {
    const at = node.clock.globalWhenLocalReaches(deadlineLocal, this.now);
    const seq = this.events.reserveSeq();
    const timer = node.timers.get(name);
    if (timer !== undefined && timer.carrierAt <= at && this.carryTimers) {
      // Its carrier comes up no later than the new deadline and will move itself there.
      timer.deadlineLocal = deadlineLocal;
      timer.at = at;
      timer.seq = seq;
      return;
    }
    const carrier = this.nextTimerToken++;
    if (timer === undefined) node.timers.set(name, { deadlineLocal, at, seq, carrier, carrierAt: at });
    else {
      // Field by field: Object.assign of a fresh object is a builtin call and an allocation.
      timer.deadlineLocal = deadlineLocal;
      timer.at = at;
      timer.seq = seq;
      timer.carrier = carrier;
      timer.carrierAt = at;
    }
    const events = this.events;
    events.scheduleReserved(events.create(at, TIMER, node.index, name, undefined, -1, carrier, false), seq);
  }

  /** After a clock jump or drift change, every pending timer fires when the new clock reaches its deadline. */
  private rescheduleTimers(node: NodeRuntime): void {
    for (const [name, timer] of [...node.timers]) this.setTimer(node, name, timer.deadlineLocal);
  }

  // ---------------------------------------------------------------- faults

  private applyFault(fault: Fault): void {
    this.stats.faults++;
    if (this.traceOn) this.record({ t: this.now, k: 'fault', fault, desc: describeFault(fault) });
    if (this.network.apply(fault)) {
      this.afterFault();
      return;
    }
    switch (fault.type) {
      case 'crash': {
        const node = this.node(fault.node);
        node.up = false;
        node.downSince = this.now;
        this.crashedNodes.push(node.id);
        node.paused = false;
        // What waited for the node is lost with it.
        for (const slot of node.deferred) this.events.release(slot);
        node.deferred = [];
        node.state = undefined;
        node.timers.clear();
        const lost = node.storage.crash(fault.loseUnsyncedWrites === true);
        if (lost > 0 && this.traceOn)
          this.record({ t: this.now, k: 'note', node: node.id, text: `crash lost ${lost} unsynced storage writes` });
        break;
      }
      case 'restart': {
        const node = this.node(fault.node);
        node.up = true;
        node.upSince = this.now;
        this.crashedNodes.splice(this.crashedNodes.indexOf(node.id), 1);
        this.initNode(node, true);
        break;
      }
      case 'pause':
        this.node(fault.node).paused = true;
        break;
      case 'resume': {
        const node = this.node(fault.node);
        node.paused = false;
        // Everything that waited runs now, in the order it arrived: the post-GC burst.
        const deferred = node.deferred;
        node.deferred = [];
        for (const slot of deferred) this.reschedule(slot, this.now);
        break;
      }
      case 'clockJump': {
        const node = this.node(fault.node);
        node.clock.jump(this.now, fault.delta as Micros);
        this.traceClock(node);
        this.rescheduleTimers(node);
        break;
      }
      case 'clockDrift': {
        const node = this.node(fault.node);
        node.clock.setDrift(this.now, fault.ppm);
        this.traceClock(node);
        this.rescheduleTimers(node);
        break;
      }
      default:
        throw new Error(`unhandled fault ${JSON.stringify(fault)}`);
    }
    this.afterFault();
  }

  private afterFault(): void {
    this.memories.changed();
    if (this.stepInvariants.length > 0 || this.pendingLiveness.length > 0) this.checkInvariants();
  }

  private traceClock(node: NodeRuntime): void {
    if (this.traceOn)
      this.record({
        t: this.now,
        k: 'clock',
        node: node.id,
        offset: node.clock.offsetAt(this.now),
        driftPpm: node.clock.driftPpm,
      });
  }

  private node(id: NodeId): NodeRuntime {
    const index = this.indexOfNode(id);
    if (index < 0) throw new Error(`unknown node '${id}'`);
    return this.nodes[index]!;
  }

  // ---------------------------------------------------------------- clients

  private startClients(): void {
    const spec = this.scenario.workload!;
    const factory = this.protocol.workloads?.[spec.name];
    if (!factory) throw new Error(`protocol '${this.protocol.name}' has no workload '${spec.name}'`);
    this.workload = factory(spec.options, { nodes: this.scenario.nodes, clients: spec.clients }) as Workload;
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
      this.schedule(spec.startAt, CLIENT_NEXT, -1, client, undefined);
    }
  }

  private clientView(client: ClientProcess): ClientView {
    return {
      client: client.id,
      index: client.index,
      process: client.process,
      now: this.now,
      invoked: client.invoked,
      random: client.random,
      lastOutcome: client.lastOutcome,
    };
  }

  private clientNext(client: ClientProcess): void {
    const spec = this.scenario.workload!;
    if (client.done) return;
    if (this.now >= spec.stopAt || client.invoked >= spec.opsPerClient) {
      client.done = true;
      return;
    }
    const view = this.clientView(client);
    const op = this.workload!.nextOp(view);
    if (op === null) {
      client.done = true;
      return;
    }
    const current = this.nodes[client.node]!.id;
    const chosen = this.workload!.chooseNode ? this.workload!.chooseNode(view, op, current) : current;
    const nodeIndex = this.indexOfNode(chosen);
    if (nodeIndex < 0) return this.protocolError(undefined, new Error(`workload chose unknown node '${chosen}'`));
    client.node = nodeIndex;
    client.invoked++;
    const operation = this.history.invoke(client.process, op.f, op.key, op.value, this.now, client.index, nodeIndex);
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
    if (this.traceOn)
      this.record({
        t: this.now,
        k: 'invoke',
        req: request.id,
        client: client.id,
        process: client.process,
        node: chosen,
        op,
      });
    this.schedule(this.now + this.network.clientLatency(), REQUEST, nodeIndex, request, undefined);
    this.scheduleInLane(this.now + spec.timeout, CLIENT_TIMEOUT, request, client, TIMEOUT_LANE);
  }

  private deliverRequest(slot: number): void {
    const request = this.events.a[slot] as PendingRequest;
    const node = this.nodes[request.node]!;
    if (request.done || !node.up) return; // the client gave up, or nobody is there; the client times out
    if (node.paused) return this.defer(node, slot);
    if (this.traceOn)
      this.record({ t: this.now, k: 'request', req: request.id, client: request.client.id, node: node.id });
    const protocol = this.protocol;
    if (!protocol.onRequest) {
      this.respond(node, request.id, { type: 'fail', error: `${protocol.name} takes no client requests` });
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

  private respond(node: NodeRuntime, requestId: string, outcome: Outcome): void {
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
    const detached = this.immutable ? (detach(outcome) as Outcome) : outcome;
    this.schedule(this.now + this.network.clientLatency(), RESPONSE, node.index, request, detached);
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

  /** The client a request id `c<k>:<n>` names, read without slicing strings (it runs for every answer). */
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

  private completeRequest(request: PendingRequest, outcome: Outcome): void {
    if (request.done) return; // timed out already, or a duplicate response
    const type = outcome.type === 'unknown' ? 'info' : outcome.type;
    this.finishRequest(request, type, outcome);
    if (outcome.type === 'fail') {
      request.client.node =
        outcome.redirect !== undefined && this.nodeIndex.has(outcome.redirect)
          ? this.nodeIndex.get(outcome.redirect)!
          : request.client.random.int(0, this.nodes.length - 1);
    }
  }

  private timeoutRequest(request: PendingRequest, client: ClientProcess): void {
    // A request not yet done is its client's pending one (a client waits for each request before its
    // next), so the client answers, not the request: most timeouts find their request answered a
    // second ago, and reading the request itself would be a cache miss for nothing.
    if (client.pending !== request) return;
    this.finishRequest(request, 'info', { type: 'unknown', error: 'timeout' });
    // A client that timed out tries a different node next, as real client libraries do.
    client.node = client.random.int(0, this.nodes.length - 1);
  }

  private finishRequest(request: PendingRequest, type: 'ok' | 'fail' | 'info', outcome: Outcome): void {
    request.done = true;
    const client = request.client;
    if (client.pending === request) client.pending = undefined;
    const value = outcome.type === 'ok' ? outcome.value : undefined;
    const error = outcome.type !== 'ok' ? outcome.error : undefined;
    this.history.complete(
      request.operation,
      client.process,
      type,
      type === 'ok' ? value : error,
      this.now,
      request.node,
    );
    if (type === 'ok') this.stats.operationsOk++;
    else if (type === 'fail') this.stats.operationsFailed++;
    else this.stats.operationsUnknown++;
    if (this.traceOn) {
      const event: TraceEvent = {
        t: this.now,
        k: 'complete',
        req: request.id,
        client: client.id,
        process: client.process,
        type,
        node: this.nodes[request.node]!.id,
      };
      if (value !== undefined) event.value = value;
      if (error !== undefined) event.error = error;
      this.record(event);
    }
    // After an unknown outcome the process may still be "in" its operation forever; Jepsen gives the
    // client a fresh process number so no process ever has two operations pending.
    if (type === 'info') client.process += this.clients.length;
    client.lastOutcome = outcome;
    this.scheduleInLane(this.now + this.scenario.workload!.thinkTime, CLIENT_NEXT, client, undefined, THINK_LANE);
    if (this.stepInvariants.length > 0 || this.pendingLiveness.length > 0) this.checkInvariants();
  }

  // ---------------------------------------------------------------- invariants

  private checkInvariants(): void {
    if (this.endReason !== undefined) return;
    // The hot loop of a run: every step invariant after every step, in the scenario's order. A
    // memory that says none of its invariants can be violated stands in for their checks.
    const invariants = this.stepInvariants;
    const world = this.world;
    const memories = this.memories;
    for (let i = 0; i < invariants.length; i++) {
      const monitored = invariants[i]!;
      const result = memories.check(monitored, world);
      if (result === true) continue;
      this.violate(monitored.invariant, result);
      if (this.endReason !== undefined) return;
    }
    if (this.pendingLiveness.length === 0) return;
    for (let i = 0; i < this.pendingLiveness.length; i++) {
      const tracker = this.pendingLiveness[i]!;
      if (tracker.invariant.kind === 'eventually' && this.now < this.scenario.faultsEndAt) continue;
      // A stable property is judged at its deadline (or the end of the run), not when first reached.
      if (tracker.invariant.stable) continue;
      if (this.evaluate(tracker) === true) {
        tracker.satisfied = true;
        this.pendingLiveness.splice(i--, 1);
        if (this.traceOn)
          this.record({
            t: this.now,
            k: 'note',
            text: `${tracker.invariant.kind} '${tracker.invariant.name}' reached`,
          });
      }
    }
  }

  private evaluate(tracker: InvariantTracker): true | string {
    return this.memories.check(tracker.monitored, this.world);
  }

  private checkDeadline(tracker: InvariantTracker): void {
    if (tracker.satisfied) return;
    if (tracker.invariant.stable) return this.judgeStable(tracker);
    this.checkInvariants();
    if (!tracker.satisfied && this.endReason === undefined) {
      this.violate(
        tracker.invariant,
        `did not hold by ${tracker.deadline}us (${tracker.deadline - this.scenario.faultsEndAt}us after the last fault): ${this.evaluate(tracker) as string}`,
      );
    }
  }

  /** A stable `eventually` holds if it holds at its deadline. */
  private judgeStable(tracker: InvariantTracker): void {
    const index = this.pendingLiveness.indexOf(tracker);
    if (index !== -1) this.pendingLiveness.splice(index, 1);
    const result = this.evaluate(tracker);
    if (result === true) {
      tracker.satisfied = true;
      if (this.traceOn)
        this.record({ t: this.now, k: 'note', text: `eventually '${tracker.invariant.name}' holds at its deadline` });
      return;
    }
    this.violate(
      tracker.invariant,
      `does not hold at ${tracker.deadline}us, ${tracker.deadline - this.scenario.faultsEndAt}us after the last fault: ${result}`,
    );
  }

  private violate(invariant: Invariant, message: string): void {
    const violation: Violation = {
      invariant: invariant.name,
      kind: invariant.kind,
      time: this.now,
      message,
      step: this.trace.eventCount,
    };
    this.violations.push(violation);
    this.stats.violations++;
    if (this.traceOn)
      this.record({ t: this.now, k: 'violation', invariant: invariant.name, kind: invariant.kind, message });
    if (this.scenario.stopOnViolation) this.finish('violation', this.now);
  }

  // ---------------------------------------------------------------- the end

  private finish(reason: EndReason, time: Micros): void {
    if (this.endReason !== undefined) return;
    this.now = Math.max(this.now, time);
    this.world.time = this.now;
    if (reason === 'until' || reason === 'idle') {
      // End-of-run checks: whole-history properties, then liveness that never came.
      for (const tracker of this.endInvariants) {
        const result = this.evaluate(tracker);
        if (result !== true) this.violate(tracker.invariant, result);
        if (this.endReason !== undefined) break;
      }
      if (this.endReason === undefined) this.checkInvariants();
      for (const tracker of [...this.pendingLiveness]) {
        if (this.endReason !== undefined) break;
        if (tracker.invariant.stable) {
          this.judgeStable(tracker);
          continue;
        }
        const what =
          tracker.invariant.kind === 'sometimes'
            ? 'never held during the run: the scenario did not reach the state it exists to test'
            : `never held after the faults ended at ${this.scenario.faultsEndAt}us`;
        this.violate(tracker.invariant, what);
      }
    }
    if (this.endReason === undefined) this.endReason = reason;
    if (this.traceOn) this.record({ t: this.now, k: 'end', reason: this.endReason, stats: this.stats });
  }

  private result(): RunResult {
    const recorder = this.trace;
    const history = this.history;
    const reached = this.scenario.invariants
      .filter(
        (invariant) =>
          invariant.kind !== 'always' && !this.pendingLiveness.some((tracker) => tracker.invariant === invariant),
      )
      .map((invariant) => invariant.name);
    return {
      scenario: this.scenario.name,
      protocol: this.protocol.name,
      seed: this.scenario.seed,
      hash: this.trace.hash(),
      endTime: this.now,
      endReason: this.endReason!,
      stats: this.stats,
      violations: this.violations,
      reached,
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
    };
  }
}

/**
 * The invariants' view of a run. The kernel sets its time, and the runtime of the node that just
 * stepped, which invariants ask for first.
 */
class KernelWorldView implements WorldView {
  time: Micros = 0;
  /** The stepped node's runtime: invariants ask for the stepped node's state first, and find it here. */
  steppedRuntime: NodeRuntime | undefined = undefined;
  readonly nodes: readonly NodeId[];
  readonly faultsEndAt: Micros;
  readonly config: unknown;

  constructor(
    private readonly runtimes: readonly NodeRuntime[],
    private readonly nodeIndex: ReadonlyMap<NodeId, number>,
    private readonly protocol: AnyProtocol,
    scenario: ResolvedScenario,
    readonly crashed: readonly NodeId[],
    private readonly log: HistoryLog,
  ) {
    this.nodes = scenario.nodes;
    this.faultsEndAt = scenario.faultsEndAt;
    this.config = scenario.config;
  }

  /** The history so far, built into objects as far as it has grown (see HistoryLog). */
  get history(): readonly HistoryEntry[] {
    return this.log.entries();
  }

  /** Invariants ask for every node after every step, the stepped one most of all. */
  private runtimeOf(id: NodeId): NodeRuntime | undefined {
    const stepped = this.steppedRuntime;
    if (stepped !== undefined && stepped.id === id) return stepped;
    return this.runtimes[positionOf(this.nodes, this.nodeIndex, id)];
  }

  state(id: NodeId): unknown {
    const node = this.runtimeOf(id);
    return node?.up ? node.state : undefined;
  }

  summary(id: NodeId): NodeSummary | undefined {
    const node = this.runtimeOf(id);
    return node?.up ? this.protocol.summarize(node.state) : undefined;
  }

  isUp(id: NodeId): boolean {
    return this.runtimeOf(id)?.up === true;
  }

  isPaused(id: NodeId): boolean {
    return this.runtimeOf(id)?.paused === true;
  }

  upSince(id: NodeId): Micros | undefined {
    const node = this.runtimeOf(id);
    return node?.up ? node.upSince : undefined;
  }

  downSince(id: NodeId): Micros | undefined {
    const node = this.runtimeOf(id);
    return node && !node.up ? node.downSince : undefined;
  }
}

/**
 * Copies a value out of an immer draft. Messages and notes must not hold drafts: a draft is
 * revoked when its handler returns, and later mutations would leak between nodes.
 */
function detach(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  return structuredCloneSafe(value);
}

function structuredCloneSafe(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(structuredCloneSafe);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, structuredCloneSafe(v)]));
  if (value instanceof Set) return new Set([...value].map(structuredCloneSafe));
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(value)) result[key] = structuredCloneSafe((value as Record<string, unknown>)[key]);
  return result;
}

/**
 * A node's position in `ids`, or -1. A small cluster's few ids are compared directly, cheaper than
 * hashing an id per message or per invariant: the scenario's ids are the engine's unique copies
 * (see intern.ts), so each comparison is one of addresses when a protocol hands back the ids it
 * was given.
 */
function positionOf(ids: readonly NodeId[], index: ReadonlyMap<NodeId, number>, id: NodeId): number {
  if (ids.length <= 16) {
    for (let i = 0; i < ids.length; i++) if (ids[i] === id) return i;
    return -1;
  }
  return index.get(id) ?? -1;
}

/** Resolves and runs a scenario in one call. */
export function runScenario(scenario: unknown, resolve: ResolveOptions = {}, options: RunOptions = {}): RunResult {
  return Simulation.fromScenario(scenario, resolve, options).run();
}
