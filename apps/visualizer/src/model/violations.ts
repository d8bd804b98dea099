import type { TraceEvent } from '@dsim/core';
import { KIND, type TraceModel } from './trace-model.ts';

/** A violation as the pictures mark it: the invariant, its message, and the nodes and log positions involved. */
export interface ViolationFocus {
  readonly index: number;
  readonly time: number;
  readonly invariant: string;
  readonly message: string;
  /** The nodes the invariant reported as involved (the violation line's `nodes`), by node index. */
  readonly nodes: ReadonlySet<number>;
  /** Log indexes the message names ('at index 2', 'without 2/1'). */
  readonly indexes: ReadonlySet<number>;
}

const cache = new WeakMap<TraceModel, ViolationFocus[]>();

/**
 * Every violation in the trace with the nodes it involves and the log indexes its message names.
 * The nodes are data: the kernel writes the ones the invariant reported on the violation line
 * (`nodes`); a violation without them marks no node. Node ids that are not the trace's nodes are
 * ignored.
 */
export function violationsOf(model: TraceModel): readonly ViolationFocus[] {
  const cached = cache.get(model);
  if (cached) return cached;
  const result: ViolationFocus[] = [];
  const { kinds, events } = model;
  const nodeIndex = new Map(model.nodes.map((id, index) => [id, index]));
  for (let i = 0; i < kinds.length; i++) {
    if (kinds[i] !== KIND.violation) continue;
    const event = events[i] as Extract<TraceEvent, { k: 'violation' }>;
    const nodes = new Set<number>();
    for (const id of event.nodes ?? []) {
      const index = nodeIndex.get(id);
      if (index !== undefined) nodes.add(index);
    }
    result.push({
      index: i,
      time: event.t,
      invariant: event.invariant,
      message: event.message,
      nodes,
      indexes: indexesNamedIn(event.message),
    });
  }
  cache.set(model, result);
  return result;
}

/** The log indexes a message names: 'at index 2', 'offset 3', 'slot 1', and Raft's index/term ('without 2/1'). */
export function indexesNamedIn(message: string): ReadonlySet<number> {
  const indexes = new Set<number>();
  for (const match of message.matchAll(/\b(?:index|offset|slot)\s+(\d+)/g)) indexes.add(Number(match[1]));
  for (const match of message.matchAll(/\b(\d+)\/(\d+)\b/g)) indexes.add(Number(match[1]));
  return indexes;
}

/** The latest violation among the first `frameIndex` events, or undefined before the first. */
export function activeViolation(model: TraceModel, frameIndex: number): ViolationFocus | undefined {
  const all = violationsOf(model);
  let found: ViolationFocus | undefined;
  for (const violation of all) {
    if (violation.index >= frameIndex) break;
    found = violation;
  }
  return found;
}
