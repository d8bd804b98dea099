import type { Invariant, InvariantResult, Micros, NodeId, NodeSummary, WorldView } from '@dsim/core';
import { canonicalJson } from './values.ts';

/**
 * Invariant builders over what nodes report (summaries) or hold (full states). Crashed nodes
 * are skipped: they report nothing, and a property about running nodes should not fail because
 * one is down. Each builder returns an `always` invariant unless told otherwise.
 */
export interface NodeInvariantOptions {
  readonly description?: string;
  /** Default 'always'. 'eventually' checks after the faults heal, by `withinMicros`. */
  readonly kind?: 'always' | 'eventually';
  readonly withinMicros?: Micros;
}

function build<State>(
  name: string,
  options: NodeInvariantOptions,
  check: (world: WorldView<State>) => InvariantResult,
): Invariant<State> {
  const kind = options.kind ?? 'always';
  return {
    name,
    kind,
    check,
    ...(options.description !== undefined ? { description: options.description } : {}),
    ...(kind === 'eventually' && options.withinMicros !== undefined ? { withinMicros: options.withinMicros } : {}),
  };
}

/** `predicate` holds for every running node's summary; a string return explains a failure. */
export function forAllNodes<State = unknown>(
  name: string,
  predicate: (summary: NodeSummary, node: NodeId, world: WorldView<State>) => boolean | string,
  options: NodeInvariantOptions = {},
): Invariant<State> {
  return build(name, options, (world) => {
    for (const node of world.nodes) {
      const summary = world.summary(node);
      if (summary === undefined) continue;
      const result = predicate(summary, node, world);
      if (result !== true)
        return typeof result === 'string'
          ? `${node}: ${result}`
          : `${node} does not satisfy '${name}' (summary ${canonicalJson(summary)})`;
    }
    return true;
  });
}

/** `predicate` holds for every running node's full state. */
export function forAllStates<State>(
  name: string,
  predicate: (state: State, node: NodeId, world: WorldView<State>) => boolean | string,
  options: NodeInvariantOptions = {},
): Invariant<State> {
  return build(name, options, (world) => {
    for (const node of world.nodes) {
      const state = world.state(node);
      if (state === undefined) continue;
      const result = predicate(state, node, world);
      if (result !== true)
        return typeof result === 'string' ? `${node}: ${result}` : `${node} does not satisfy '${name}'`;
    }
    return true;
  });
}

/**
 * At most one running node per group is "the one": `pick` returns the group (a term, an epoch;
 * `true` for one global group) when the node holds the role, or undefined/false when it does not.
 * Election safety is `atMostOne('one-leader-per-term', (s) => s.role === 'leader' && s.term)`.
 */
export function atMostOne<State = unknown>(
  name: string,
  pick: (summary: NodeSummary, node: NodeId) => string | number | boolean | undefined | null,
  options: NodeInvariantOptions = {},
): Invariant<State> {
  return build(name, options, (world) => {
    const holder = new Map<string, NodeId>();
    for (const node of world.nodes) {
      const summary = world.summary(node);
      if (summary === undefined) continue;
      const group = pick(summary, node);
      if (group === undefined || group === null || group === false) continue;
      const key = group === true ? '' : String(group);
      const other = holder.get(key);
      if (other !== undefined) return `${other} and ${node} are both ${summary.role}${key === '' ? '' : ` in ${key}`}`;
      holder.set(key, node);
    }
    return true;
  });
}

/**
 * Every running node reports the same value (compared as canonical JSON). With kind 'eventually'
 * this is convergence: replicas agree within `withinMicros` of the heal.
 */
export function allAgree<State = unknown>(
  name: string,
  value: (summary: NodeSummary, node: NodeId, state: State) => unknown,
  options: NodeInvariantOptions & { readonly requireAllUp?: boolean } = {},
): Invariant<State> {
  return build(name, options, (world) => {
    let first: { node: NodeId; text: string } | undefined;
    for (const node of world.nodes) {
      const summary = world.summary(node);
      const state = world.state(node);
      if (summary === undefined || state === undefined) {
        if (options.requireAllUp) return `${node} is down`;
        continue;
      }
      const text = canonicalJson(value(summary, node, state));
      if (first === undefined) first = { node, text };
      else if (text !== first.text) return `${first.node} has ${first.text} but ${node} has ${text}`;
    }
    return true;
  });
}
