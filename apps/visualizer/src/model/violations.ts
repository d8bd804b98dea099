import type { TraceEvent } from '@dsim/core';
import { KIND, type TraceModel } from './trace-model.ts';

/** A violation as the pictures mark it: the invariant, its message, and what the message names. */
export interface ViolationFocus {
  readonly index: number;
  readonly time: number;
  readonly invariant: string;
  readonly message: string;
  /** Nodes the message names (by node index). */
  readonly nodes: ReadonlySet<number>;
  /** Log indexes the message names ('at index 2', 'without 2/1'). */
  readonly indexes: ReadonlySet<number>;
}

const cache = new WeakMap<TraceModel, ViolationFocus[]>();

/**
 * Every violation in the trace with the nodes and log indexes its message names. Invariants say
 * what is wrong in words ('n5 applies 2:noop:n5 at index 2, but n1 applied 1:c1:1 there'); the
 * node ids and positions in those words are what the cluster view marks.
 */
export function violationsOf(model: TraceModel): readonly ViolationFocus[] {
  const cached = cache.get(model);
  if (cached) return cached;
  const result: ViolationFocus[] = [];
  const { kinds, events } = model;
  for (let i = 0; i < kinds.length; i++) {
    if (kinds[i] !== KIND.violation) continue;
    const event = events[i] as Extract<TraceEvent, { k: 'violation' }>;
    const { nodes, indexes } = namedIn(event.message, model.nodes);
    result.push({ index: i, time: event.t, invariant: event.invariant, message: event.message, nodes, indexes });
  }
  cache.set(model, result);
  return result;
}

/** The node ids and log indexes a message names. */
export function namedIn(
  message: string,
  nodeIds: readonly string[],
): { nodes: ReadonlySet<number>; indexes: ReadonlySet<number> } {
  const nodes = new Set<number>();
  const words = new Set(message.split(/[^A-Za-z0-9_.:-]+/).flatMap((word) => [word, word.replace(/[:.]+$/, '')]));
  nodeIds.forEach((id, index) => {
    if (words.has(id)) nodes.add(index);
  });
  const indexes = new Set<number>();
  for (const match of message.matchAll(/\b(?:index|offset|slot)\s+(\d+)/g)) indexes.add(Number(match[1]));
  // Raft writes an entry as index/term ('without 2/1').
  for (const match of message.matchAll(/\b(\d+)\/(\d+)\b/g)) indexes.add(Number(match[1]));
  return { nodes, indexes };
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
