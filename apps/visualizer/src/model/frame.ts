import {
  applyViewDiff,
  PARTITION_FAULTS,
  type Fault,
  type NodeSummary,
  type NodeView,
  type TraceEvent,
} from '@dsim/core';
import { lostEntries, type LostEntry } from './view-facts.ts';
import { KIND, type TraceModel } from './trace-model.ts';

/** What one node looks like at a point of the replay. */
export interface NodeFrame {
  /** False before its first init and after a crash until its restart. */
  up: boolean;
  started: boolean;
  paused: boolean;
  crashed: boolean;
  /** Time of the last crash, pause or (re)start. */
  since: number;
  summary: NodeSummary | undefined;
  /** Full state when the trace records it (`traceFullState`). */
  state: unknown;
  /** The protocol's view of the node (badges, logs, fields, tables, edges), folded from the trace's view lines; kept, dimmed, while crashed. */
  view: NodeView | undefined;
  /** Entries this node had under a commit, applied or high-watermark mark that later left or changed in its log. */
  lost: readonly LostEntry[];
  /** Clock: offset from global time (local − global) at `clockAt`, and drift in ppm from then on. */
  clockOffset: number;
  clockDriftPpm: number;
  clockAt: number;
  /** Index of the last event on this node, -1 when none yet. */
  lastEvent: number;
}

/** A client's operation in progress. */
export interface PendingOperation {
  readonly req: string;
  readonly invokeIndex: number;
  readonly since: number;
}

export interface ClientFrame {
  pending: PendingOperation | undefined;
  ok: number;
  fail: number;
  info: number;
}

/**
 * The world after the first `index` events: the fold of the trace up to there. Views draw only
 * from a frame and the model, so everything on screen at a time is a pure function of (trace, index).
 */
export interface Frame {
  /** Number of events applied. */
  index: number;
  /** Time of the last applied event (0 before any). */
  time: number;
  nodes: NodeFrame[];
  /** The partition in force, if any (each new partition replaces the last; heal clears it). */
  partition: Fault | undefined;
  partitionSince: number;
  /** Loss, duplication or slow-network faults in force. */
  networkFaults: Fault[];
  /** Messages sent and not yet delivered or dropped: id → deliveries/drops still to come. */
  inFlight: Map<number, number>;
  clients: ClientFrame[];
  violations: number;
  faults: number;
  ended: boolean;
}

export function initialFrame(model: TraceModel): Frame {
  const clocks = new Map<string, readonly [string, number, number]>();
  for (const entry of model.header?.clocks ?? []) clocks.set(entry[0], entry);
  return {
    index: 0,
    time: 0,
    nodes: model.nodes.map((node) => {
      const clock = clocks.get(node);
      return {
        up: false,
        started: false,
        paused: false,
        crashed: false,
        since: 0,
        summary: undefined,
        state: undefined,
        view: undefined,
        lost: [],
        clockOffset: clock ? clock[1] : 0,
        clockDriftPpm: clock ? clock[2] : 0,
        clockAt: 0,
        lastEvent: -1,
      };
    }),
    partition: undefined,
    partitionSince: 0,
    networkFaults: [],
    inFlight: new Map(),
    clients: model.clients.map(() => ({ pending: undefined, ok: 0, fail: 0, info: 0 })),
    violations: 0,
    faults: 0,
    ended: false,
  };
}

export function cloneFrame(frame: Frame): Frame {
  return {
    ...frame,
    nodes: frame.nodes.map((node) => ({ ...node })),
    networkFaults: frame.networkFaults.slice(),
    inFlight: new Map(frame.inFlight),
    clients: frame.clients.map((client) => ({ ...client })),
  };
}

/** Applies event `i` of the model to the frame, in place. Events must be applied in order. */
export function applyEvent(frame: Frame, model: TraceModel, i: number): void {
  const kind = model.kinds[i]!;
  const event = model.events[i]!;
  frame.index = i + 1;
  frame.time = model.times[i]!;
  const a = model.nodeA[i]!;
  const node = a >= 0 ? frame.nodes[a] : undefined;
  if (node) node.lastEvent = i;
  switch (kind) {
    case KIND.send: {
      const id = model.messageIds[i]!;
      if (id >= 0) frame.inFlight.set(id, Math.max(1, model.messages.endCount[id]!));
      break;
    }
    case KIND.deliver:
    case KIND.drop: {
      const b = model.nodeB[i]!;
      if (kind === KIND.deliver && b >= 0) frame.nodes[b]!.lastEvent = i;
      const id = model.messageIds[i]!;
      const remaining = frame.inFlight.get(id);
      if (remaining !== undefined) {
        if (remaining <= 1) frame.inFlight.delete(id);
        else frame.inFlight.set(id, remaining - 1);
      }
      break;
    }
    case KIND.init:
      if (node) {
        node.up = true;
        node.started = true;
        node.crashed = false;
        node.paused = false;
        node.since = frame.time;
        // A restarted node shows no summary until it reports one: its volatile state is gone.
        if ((event as Extract<TraceEvent, { k: 'init' }>).restart) {
          node.summary = undefined;
          node.state = undefined;
          node.view = undefined;
        }
      }
      break;
    case KIND.state:
      if (node) {
        const state = event as Extract<TraceEvent, { k: 'state' }>;
        node.summary = state.summary;
        if (state.state !== undefined) node.state = state.state;
      }
      break;
    case KIND.view:
      if (node) {
        const previous = node.view;
        // The line is the diff: applyViewDiff reads only the view's parts from it.
        const next = applyViewDiff(previous, event as Extract<TraceEvent, { k: 'view' }>);
        node.view = next;
        const lost = lostEntries(previous, next, frame.time);
        if (lost.length > 0) node.lost = node.lost.concat(lost);
      }
      break;
    case KIND.clock:
      if (node) {
        const clock = event as Extract<TraceEvent, { k: 'clock' }>;
        node.clockOffset = clock.offset;
        node.clockDriftPpm = clock.driftPpm;
        node.clockAt = frame.time;
      }
      break;
    case KIND.invoke: {
      const invoke = event as Extract<TraceEvent, { k: 'invoke' }>;
      const client = frame.clients[clientIndexOf(model, invoke.client)];
      if (client) client.pending = { req: invoke.req, invokeIndex: i, since: frame.time };
      break;
    }
    case KIND.complete: {
      const complete = event as Extract<TraceEvent, { k: 'complete' }>;
      const client = frame.clients[clientIndexOf(model, complete.client)];
      if (client) {
        if (client.pending?.req === complete.req) client.pending = undefined;
        if (complete.type === 'ok') client.ok++;
        else if (complete.type === 'fail') client.fail++;
        else client.info++;
      }
      break;
    }
    case KIND.fault:
      frame.faults++;
      applyFault(frame, (event as Extract<TraceEvent, { k: 'fault' }>).fault, node);
      break;
    case KIND.violation:
      frame.violations++;
      break;
    case KIND.end:
      frame.ended = true;
      break;
    default:
      break;
  }
}

function applyFault(frame: Frame, fault: Fault, node: NodeFrame | undefined): void {
  // Every partition shape core knows (a new one replaces the current one; heal clears it).
  if (PARTITION_FAULTS.has(fault.type)) {
    frame.partition = fault;
    frame.partitionSince = frame.time;
    return;
  }
  switch (fault.type) {
    case 'crash':
      if (node) {
        node.up = false;
        node.crashed = true;
        node.paused = false;
        node.since = frame.time;
      }
      break;
    case 'restart':
      // The node is back once its init runs (the next event); until then it is still down.
      break;
    case 'pause':
      if (node) {
        node.paused = true;
        node.since = frame.time;
      }
      break;
    case 'resume':
      if (node) {
        node.paused = false;
        node.since = frame.time;
      }
      break;
    case 'heal':
      frame.partition = undefined;
      frame.networkFaults = [];
      break;
    case 'loss':
    case 'duplicate':
    case 'slow':
      frame.networkFaults = [...frame.networkFaults.filter((other) => other.type !== fault.type), fault];
      break;
    default:
      // Clock faults arrive as their own 'clock' events with the resulting offset and drift.
      break;
  }
}

const clientIndexCache = new WeakMap<TraceModel, Map<string, number>>();
function clientIndexOf(model: TraceModel, client: string): number {
  let map = clientIndexCache.get(model);
  if (!map) {
    map = new Map(model.clients.map((id, index) => [id, index]));
    clientIndexCache.set(model, map);
  }
  return map.get(client) ?? -1;
}

/** The frame after the first `index` events, folded from scratch (the reference for the seeker). */
export function foldTo(model: TraceModel, index: number): Frame {
  const frame = initialFrame(model);
  const end = Math.min(Math.max(0, index), model.events.length);
  for (let i = 0; i < end; i++) applyEvent(frame, model, i);
  return frame;
}

/** Local clock reading of a node at global time t, from its frame (same rounding as the kernel's NodeClock). */
export function localTime(node: NodeFrame, t: number): number {
  return t + clockOffsetAt(node, t);
}

/** How far a node's clock is ahead of global time at t (negative when behind). */
export function clockOffsetAt(node: NodeFrame, t: number): number {
  const elapsed = t - node.clockAt;
  return node.clockOffset + (node.clockDriftPpm === 0 ? 0 : Math.floor((elapsed * node.clockDriftPpm) / 1_000_000));
}
