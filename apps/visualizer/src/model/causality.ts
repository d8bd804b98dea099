import type { Fault, TraceEvent } from '@dsim/core';
import { KIND, type TraceModel } from './trace-model.ts';

/**
 * The lane (node index) an event happens on, for happens-before: a send on its sender, a delivery
 * on its receiver, a node's own steps, faults and state on that node; -1 for what happens on no
 * node (drops, which the network does; client invocations; network-wide faults; the end).
 */
export function laneOf(model: TraceModel, i: number): number {
  switch (model.kinds[i]) {
    case KIND.deliver:
      return model.nodeB[i]!;
    case KIND.drop:
    case KIND.invoke:
    case KIND.complete:
    case KIND.violation:
    case KIND.end:
      return -1;
    case KIND.fault: {
      const fault = (model.events[i] as Extract<TraceEvent, { k: 'fault' }>).fault as Fault & { node?: unknown };
      return typeof fault.node === 'string' ? model.nodeA[i]! : -1;
    }
    default:
      return model.nodeA[i]!;
  }
}

/**
 * The causal past and future of one event (Lamport's happens-before: each node's events in
 * order, and each send before its deliveries), as per-lane frontiers: everything on lane j up to
 * `past[j]` happened before the event, everything on lane j from `future[j]` on happened after it.
 * `clock` is the event's vector clock: how many of each lane's events are in its past, itself included.
 */
export interface CausalCut {
  readonly event: number;
  readonly lane: number;
  /** Event index of the last event on each lane in the causal past, -1 when none. */
  readonly past: Int32Array;
  /** Event index of the first event on each lane in the causal future, `Infinity`-like (events.length) when none. */
  readonly future: Int32Array;
  readonly clock: Int32Array;
}

/**
 * Computes the cut by folding the trace with vector clocks up to the event (each lane's clock
 * holds, per lane, the index of the latest event it knows of; a send stamps its message with the
 * sender's clock, a delivery merges the stamp), then forward from it, spreading "after" along
 * lanes and messages. O(events × lanes) for the past, O(events) for the future.
 */
export function causalCut(model: TraceModel, event: number): CausalCut {
  const lanes = model.nodes.length;
  const count = model.events.length;
  const lane = laneOf(model, event);
  // Per lane: the latest event index of every lane it knows of, and event counts likewise.
  const known = Array.from({ length: lanes }, () => new Int32Array(lanes).fill(-1));
  const counts = Array.from({ length: lanes }, () => new Int32Array(lanes));
  const stamps = new Map<number, { known: Int32Array; counts: Int32Array }>();
  for (let i = 0; i <= event && i < count; i++) {
    const on = laneOf(model, i);
    const kind = model.kinds[i]!;
    if (kind === KIND.deliver && on >= 0) {
      const stamp = stamps.get(model.messageIds[i]!);
      if (stamp) {
        const mine = known[on]!;
        const myCounts = counts[on]!;
        for (let j = 0; j < lanes; j++) {
          if (stamp.known[j]! > mine[j]!) mine[j] = stamp.known[j]!;
          if (stamp.counts[j]! > myCounts[j]!) myCounts[j] = stamp.counts[j]!;
        }
      }
    }
    if (on < 0) continue;
    known[on]![on] = i;
    counts[on]![on]!++;
    if (kind === KIND.send)
      stamps.set(model.messageIds[i]!, { known: known[on]!.slice(), counts: counts[on]!.slice() });
  }
  const past = lane >= 0 ? known[lane]!.slice() : new Int32Array(lanes).fill(-1);
  const clock = lane >= 0 ? counts[lane]!.slice() : new Int32Array(lanes);
  const future = new Int32Array(lanes).fill(count);
  if (lane >= 0) {
    future[lane] = event;
    const carried = new Set<number>();
    // From the event itself: when it is a send, its own message carries it.
    for (let i = event; i < count; i++) {
      const on = laneOf(model, i);
      if (on < 0) continue;
      const kind = model.kinds[i]!;
      if (kind === KIND.deliver && i > event && future[on] === count && carried.has(model.messageIds[i]!))
        future[on] = i;
      if (kind === KIND.send && future[on]! <= i) carried.add(model.messageIds[i]!);
    }
  }
  return { event, lane, past, future, clock };
}

/** Whether event i is in the cut's past (before the event, on its lane or by messages). */
export function inPast(cut: CausalCut, lane: number, i: number): boolean {
  return lane >= 0 && i <= cut.past[lane]!;
}

/** Whether event i is in the cut's future. */
export function inFuture(cut: CausalCut, lane: number, i: number): boolean {
  return lane >= 0 && i >= cut.future[lane]!;
}
