import type { Invariant, ResolvedScenario, Scenario } from '@dsim/core';

export interface SerializedScenario {
  /** The scenario as plain JSON data, ready for `dsim run`. */
  readonly scenario: Record<string, unknown>;
  /** Invariants that could not be written (objects that are not the protocol's own), by name. */
  readonly omittedInvariants: readonly string[];
}

/**
 * A scenario as JSON a `dsim run` can load: the protocol by name and invariants by name.
 *
 * The limit: an invariant object built in a test (`linearizable(kvModel)`, a closure) is code,
 * not data, and cannot be written. Invariants that belong to the protocol (`protocol.invariants`)
 * are written by name; any other invariant is left out and listed in `omittedInvariants` and in
 * the scenario's description, so a replay from the file makes the same run but checks only what
 * the file names. The trace written beside it is the full run with every invariant.
 */
export function serializableScenario(scenario: Scenario, resolved: ResolvedScenario): SerializedScenario {
  const own = new Map((resolved.protocol.invariants ?? []).map((invariant: Invariant) => [invariant.name, invariant]));
  const omittedInvariants: string[] = [];
  let invariants: string[] | undefined;
  if (scenario.invariants !== undefined) {
    invariants = [];
    for (const entry of scenario.invariants) {
      if (typeof entry === 'string') invariants.push(entry);
      else if (own.get(entry.name) === entry) invariants.push(entry.name);
      else omittedInvariants.push(entry.name);
    }
  }
  const note =
    omittedInvariants.length > 0
      ? `[not in this file: custom invariants ${omittedInvariants.join(', ')}; the trace beside it is the full run]`
      : undefined;
  // The description goes into the trace header, so it is changed only when something is missing:
  // otherwise replaying the file reproduces the trace byte for byte.
  const description = [scenario.description, note].filter((part) => part !== undefined).join(' ');
  const data: Record<string, unknown> = {
    name: scenario.name,
    ...(description !== '' ? { description } : {}),
    protocol: resolved.protocol.name,
    nodes: scenario.nodes,
    seed: scenario.seed,
    until: scenario.until,
  };
  const optional = [
    'config',
    'bugs',
    'network',
    'clocks',
    'storage',
    'faults',
    'workload',
    'stopOnViolation',
    'traceFullState',
    'budget',
  ] as const;
  for (const field of optional) if (scenario[field] !== undefined) data[field] = scenario[field];
  if (invariants !== undefined) data.invariants = invariants;
  // Round-trip through JSON now, so what we return is exactly what the file holds.
  return { scenario: JSON.parse(JSON.stringify(data)) as Record<string, unknown>, omittedInvariants };
}
