import {
  describeFault,
  PARTITION_FAULTS,
  type Fault,
  type NodeId,
  type ParsedTrace,
  type TraceEvent,
  type TraceHeader,
  type TraceProblem,
} from '@dsim/core';
import { partitionGroups } from './partition.ts';

/** Event kinds as small integers, so hot loops over a million events compare numbers, not strings. */
export const KIND = {
  init: 0,
  send: 1,
  deliver: 2,
  drop: 3,
  timer: 4,
  request: 5,
  invoke: 6,
  complete: 7,
  fault: 8,
  clock: 9,
  state: 10,
  note: 11,
  violation: 12,
  error: 13,
  end: 14,
  view: 15,
} as const;
const KIND_BY_NAME: Readonly<Record<string, number>> = KIND;

/** A point on the timeline worth jumping to. */
export interface Marker {
  readonly index: number;
  readonly time: number;
  readonly kind: 'fault' | 'violation' | 'error';
  readonly label: string;
}

/** A stretch of time a lane (or the whole network) spends in a fault, for shading. */
export interface FaultInterval {
  readonly kind: 'crash' | 'pause' | 'partition' | 'network';
  /** Node index for crash/pause; -1 for network-wide intervals. */
  readonly node: number;
  readonly from: number;
  /** Exclusive end; the end of the timeline when the fault is never undone. */
  readonly to: number;
  readonly label: string;
  /** For partitions: the fault. */
  readonly fault?: Fault;
  /** For partitions: the group of each node (by node index), or undefined when groups do not describe the shape. */
  readonly groups?: Int32Array;
}

/** One client operation, from invoke to completion. */
export interface ClientOperation {
  readonly position: number;
  readonly req: string;
  readonly client: string;
  readonly clientIndex: number;
  readonly process: number;
  readonly op: {
    readonly f?: string;
    readonly key?: string;
    readonly value?: unknown;
    readonly [field: string]: unknown;
  };
  readonly node: NodeId | undefined;
  readonly invokeIndex: number;
  readonly invokeTime: number;
  /** -1 while pending at the end of the trace. */
  completeIndex: number;
  completeTime: number;
  type: 'ok' | 'fail' | 'info' | 'pending';
  value?: unknown;
  error?: string;
}

/**
 * Where each message starts and ends, by message id. Ids are the kernel's sequence numbers, so
 * typed arrays indexed by id replace hash maps on the hot path.
 */
export interface MessageTable {
  /** Event index of the send, or -1. */
  readonly sendIndex: Int32Array;
  /** Event index of the first delivery or drop, or -1 when the message never arrives in the trace. */
  readonly endIndex: Int32Array;
  /** How many deliveries/drops end the message (2 for a duplicated message). */
  readonly endCount: Uint8Array;
}

/**
 * A parsed trace indexed for replay: columnar arrays over all events, message endpoints,
 * fault intervals, markers and client operations. Built once per trace in one pass.
 */
export interface TraceModel {
  readonly header: TraceHeader | undefined;
  readonly events: readonly TraceEvent[];
  readonly problems: readonly TraceProblem[];
  readonly complete: boolean;
  readonly nodes: readonly NodeId[];
  readonly nodeIndex: ReadonlyMap<NodeId, number>;
  readonly clients: readonly string[];
  readonly times: Float64Array;
  readonly kinds: Uint8Array;
  /** The event's node (or sender) index, -1 when none. */
  readonly nodeA: Int32Array;
  /** The receiver's node index for message events, -1 otherwise. */
  readonly nodeB: Int32Array;
  /** Message id for send/deliver/drop, -1 otherwise. */
  readonly messageIds: Int32Array;
  readonly messages: MessageTable;
  /** Event indexes of every send, in order: lets a zoomed-out diagram sample messages without visiting every event. */
  readonly sendEvents: Int32Array;
  /** Longest time any message spent between send and its end. */
  readonly maxFlight: number;
  /** Median flight time of delivered messages (for choosing a playback speed). */
  readonly medianFlight: number;
  readonly startTime: number;
  /** The end of the timeline: the header's `until`, or the last event when later. */
  readonly endTime: number;
  readonly markers: readonly Marker[];
  readonly intervals: readonly FaultInterval[];
  readonly operations: readonly ClientOperation[];
  /** Roles in order of first appearance (for stable colours and the legend). */
  readonly roles: readonly string[];
  /** Per node: when its role changed (null while down), for colouring space-time lanes. */
  readonly roleChanges: ReadonlyArray<ReadonlyArray<{ readonly time: number; readonly role: string | null }>>;
  readonly dropReasons: readonly string[];
  readonly messageCount: number;
}

const MAX_MESSAGE_ID = 50_000_000;

export function buildTraceModel(parsed: ParsedTrace): TraceModel {
  const steps = traceModelSteps(parsed, Infinity);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * Builds the model in slices: yields after every `sliceEvents` events of each pass (the number
 * of events of that pass done), returns the model. A page builds a million-event model between
 * frames this way, never blocking for the whole pass; the result equals `buildTraceModel`'s.
 */
export function* traceModelSteps(parsed: ParsedTrace, sliceEvents = 50_000): Generator<number, TraceModel> {
  const { header, events } = parsed;
  const problems = [...parsed.problems];
  const nodes: NodeId[] = header && Array.isArray(header.nodes) ? [...header.nodes] : [];
  const nodeIndex = new Map<NodeId, number>(nodes.map((node, index) => [node, index]));
  const clients: string[] = header && Array.isArray(header.clients) ? [...header.clients] : [];
  const clientIndex = new Map<string, number>(clients.map((client, index) => [client, index]));
  const indexOfNode = (node: unknown): number => {
    if (typeof node !== 'string') return -1;
    let index = nodeIndex.get(node);
    if (index === undefined) {
      // A trace without a header (or a hand-made one) still shows every node it mentions.
      index = nodes.length;
      nodes.push(node);
      nodeIndex.set(node, index);
    }
    return index;
  };
  const indexOfClient = (client: string): number => {
    let index = clientIndex.get(client);
    if (index === undefined) {
      index = clients.length;
      clients.push(client);
      clientIndex.set(client, index);
    }
    return index;
  };

  const count = events.length;
  const times = new Float64Array(count);
  const kinds = new Uint8Array(count);
  const nodeA = new Int32Array(count).fill(-1);
  const nodeB = new Int32Array(count).fill(-1);
  const messageIds = new Int32Array(count).fill(-1);
  let maxId = -1;
  for (let i = 0; i < count; i++) {
    const event = events[i]!;
    if (event.k === 'send' && Number.isInteger(event.id) && event.id > maxId && event.id <= MAX_MESSAGE_ID)
      maxId = event.id;
    if ((i + 1) % sliceEvents === 0) yield i + 1;
  }
  const sendIndex = new Int32Array(maxId + 1).fill(-1);
  const endIndex = new Int32Array(maxId + 1).fill(-1);
  const endCount = new Uint8Array(maxId + 1);

  const markers: Marker[] = [];
  const intervals: FaultInterval[] = [];
  const operations: ClientOperation[] = [];
  const operationByRequest = new Map<string, ClientOperation>();
  const roles: string[] = [];
  const roleSet = new Set<string>();
  const roleChanges: Array<Array<{ time: number; role: string | null }>> = [];
  const setRole = (node: number, time: number, role: string | null) => {
    while (roleChanges.length <= node) roleChanges.push([]);
    const changes = roleChanges[node]!;
    const last = changes[changes.length - 1];
    if (last && last.role === role) return;
    if (last && last.time === time) changes.pop();
    changes.push({ time, role });
  };
  const dropReasons: string[] = [];
  const dropReasonSet = new Set<string>();
  const openCrash = new Map<number, { from: number; label: string }>();
  const openPause = new Map<number, { from: number; label: string }>();
  let openPartition: { from: number; fault: Fault; label: string } | undefined;
  let openNetwork: { from: number; label: string } | undefined;
  let maxFlight = 0;
  let messageCount = 0;
  const flightSample: number[] = [];
  let badMessageReported = false;

  const lastTime = count > 0 ? events[count - 1]!.t : 0;
  const endTime = Math.max(lastTime, header && typeof header.until === 'number' ? header.until : 0, 1);

  const closePartition = (time: number) => {
    if (!openPartition) return;
    intervals.push({
      kind: 'partition',
      node: -1,
      from: openPartition.from,
      to: time,
      label: openPartition.label,
      fault: openPartition.fault,
    });
    openPartition = undefined;
  };
  const closeNetwork = (time: number) => {
    if (!openNetwork) return;
    intervals.push({ kind: 'network', node: -1, from: openNetwork.from, to: time, label: openNetwork.label });
    openNetwork = undefined;
  };

  for (let i = 0; i < count; i++) {
    if (i > 0 && i % sliceEvents === 0) yield i;
    const event = events[i]!;
    const t = event.t;
    times[i] = t;
    kinds[i] = KIND_BY_NAME[event.k] ?? KIND.note;
    switch (event.k) {
      case 'send':
      case 'deliver':
      case 'drop': {
        nodeA[i] = indexOfNode(event.from);
        nodeB[i] = indexOfNode(event.to);
        const id = event.id;
        if (!Number.isInteger(id) || id < 0 || id > maxId) {
          if (!badMessageReported) {
            problems.push({
              line: i + 2,
              message: `event #${i} has message id ${String(id)} with no matching send; its arrow is not drawn`,
            });
            badMessageReported = true;
          }
          break;
        }
        messageIds[i] = id;
        if (event.k === 'send') {
          sendIndex[id] = i;
          messageCount++;
        } else {
          if (endIndex[id] === -1) endIndex[id] = i;
          if (endCount[id]! < 255) endCount[id]!++;
          const sent = sendIndex[id]!;
          if (sent >= 0) {
            const flight = t - times[sent]!;
            if (flight > maxFlight) maxFlight = flight;
            if (event.k === 'deliver' && flightSample.length < 4096) flightSample.push(flight);
          }
          if (event.k === 'drop' && !dropReasonSet.has(event.reason)) {
            dropReasonSet.add(event.reason);
            dropReasons.push(event.reason);
          }
        }
        break;
      }
      case 'init':
      case 'timer':
      case 'clock':
      case 'request':
      case 'view':
        nodeA[i] = indexOfNode(event.node);
        break;
      case 'state': {
        nodeA[i] = indexOfNode(event.node);
        const role = event.summary && typeof event.summary.role === 'string' ? event.summary.role : undefined;
        if (role !== undefined && !roleSet.has(role)) {
          roleSet.add(role);
          roles.push(role);
        }
        if (role !== undefined) setRole(nodeA[i]!, t, role);
        break;
      }
      case 'note':
      case 'error':
        if (event.node !== undefined) nodeA[i] = indexOfNode(event.node);
        if (event.k === 'error') markers.push({ index: i, time: t, kind: 'error', label: `error: ${event.message}` });
        break;
      case 'invoke': {
        if (event.node !== undefined) nodeA[i] = indexOfNode(event.node);
        const op: ClientOperation = {
          position: operations.length,
          req: event.req,
          client: event.client,
          clientIndex: indexOfClient(event.client),
          process: event.process,
          op: (typeof event.op === 'object' && event.op !== null
            ? event.op
            : { value: event.op }) as ClientOperation['op'],
          node: event.node,
          invokeIndex: i,
          invokeTime: t,
          completeIndex: -1,
          completeTime: endTime,
          type: 'pending',
        };
        operations.push(op);
        operationByRequest.set(event.req, op);
        break;
      }
      case 'complete': {
        if (event.node !== undefined) nodeA[i] = indexOfNode(event.node);
        const op = operationByRequest.get(event.req);
        if (op) {
          op.completeIndex = i;
          op.completeTime = t;
          op.type = event.type;
          if (event.value !== undefined) op.value = event.value;
          if (event.error !== undefined) op.error = event.error;
        }
        break;
      }
      case 'violation':
        markers.push({ index: i, time: t, kind: 'violation', label: `${event.invariant}: ${event.message}` });
        break;
      case 'fault': {
        const fault = event.fault;
        const label = typeof event.desc === 'string' ? event.desc : describeFault(fault);
        markers.push({ index: i, time: t, kind: 'fault', label });
        const node = 'node' in fault && typeof fault.node === 'string' ? indexOfNode(fault.node) : -1;
        if (node >= 0) nodeA[i] = node;
        if (PARTITION_FAULTS.has(fault.type)) {
          // A new partition, of any shape core knows, replaces the current one, as a new Jepsen grudge does.
          closePartition(t);
          openPartition = { from: t, fault, label };
          break;
        }
        switch (fault.type) {
          case 'crash':
            setRole(node, t, null);
            if (!openCrash.has(node)) openCrash.set(node, { from: t, label });
            break;
          case 'restart': {
            const open = openCrash.get(node);
            if (open) intervals.push({ kind: 'crash', node, from: open.from, to: t, label: open.label });
            openCrash.delete(node);
            break;
          }
          case 'pause':
            if (!openPause.has(node)) openPause.set(node, { from: t, label });
            break;
          case 'resume': {
            const open = openPause.get(node);
            if (open) intervals.push({ kind: 'pause', node, from: open.from, to: t, label: open.label });
            openPause.delete(node);
            break;
          }
          case 'heal':
            closePartition(t);
            closeNetwork(t);
            break;
          case 'loss':
          case 'duplicate':
          case 'slow':
            closeNetwork(t);
            openNetwork = { from: t, label };
            break;
          default:
            break;
        }
        break;
      }
      default:
        break;
    }
  }
  for (const [node, open] of openCrash)
    intervals.push({ kind: 'crash', node, from: open.from, to: endTime, label: open.label });
  for (const [node, open] of openPause)
    intervals.push({ kind: 'pause', node, from: open.from, to: endTime, label: open.label });
  closePartition(endTime);
  closeNetwork(endTime);
  // Groups are computed last, when every node the trace mentions is known.
  for (let i = 0; i < intervals.length; i++) {
    const interval = intervals[i]!;
    if (interval.fault) intervals[i] = { ...interval, groups: partitionGroups(interval.fault, nodes) };
  }
  flightSample.sort((a, b) => a - b);
  const sendEvents = new Int32Array(messageCount);
  for (let i = 0, k = 0; i < count; i++) if (kinds[i] === KIND.send && messageIds[i]! >= 0) sendEvents[k++] = i;
  return {
    header,
    events,
    problems,
    complete: parsed.complete,
    nodes,
    nodeIndex,
    clients,
    times,
    kinds,
    nodeA,
    nodeB,
    messageIds,
    messages: { sendIndex, endIndex, endCount },
    sendEvents,
    maxFlight,
    medianFlight: flightSample.length ? flightSample[flightSample.length >> 1]! : 0,
    startTime: 0,
    endTime,
    markers,
    intervals,
    operations,
    roles,
    roleChanges: nodes.map((_, index) => roleChanges[index] ?? []),
    dropReasons,
    messageCount,
  };
}

/** Number of events with time ≤ t (the frame index that shows time t). */
export function indexAtTime(times: Float64Array, t: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (times[mid]! <= t) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** First event index with time ≥ t. */
export function firstIndexAtOrAfter(times: Float64Array, t: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (times[mid]! < t) low = mid + 1;
    else high = mid;
  }
  return low;
}
