import type { TraceHeader } from '@dsim/core';

/**
 * A scenario rebuilt from a trace header, so a trace opened from a file can be forked: the header
 * holds the resolved config, network, clocks, the full fault schedule (generated faults included)
 * and the workload. Re-resolving it gives the same run when every field round-trips; the app
 * compares hashes and says when it does not.
 */
export function scenarioFromHeader(header: TraceHeader): Record<string, unknown> {
  const clocks: Record<string, { offset: number; driftPpm: number }> = {};
  // A hand-made header may lack any of these lists, or hold junk in them: the scenario's validator names what is wrong.
  const list = <T>(value: readonly T[] | undefined): readonly T[] => (Array.isArray(value) ? value : []);
  for (const entry of list(header.clocks)) {
    if (!Array.isArray(entry)) continue;
    const [node, offset, driftPpm] = entry;
    if (offset !== 0 || driftPpm !== 0) clocks[node] = { offset, driftPpm };
  }
  const scenario: Record<string, unknown> = {
    name: header.scenario,
    ...(header.description !== undefined ? { description: header.description } : {}),
    protocol: header.protocol,
    nodes: [...list(header.nodes)],
    seed: header.seed,
    until: header.until,
    ...(header.config !== undefined ? { config: header.config } : {}),
    ...(list(header.bugs).length ? { bugs: [...list(header.bugs)] } : {}),
    ...(header.network !== undefined ? { network: header.network } : {}),
    ...(header.storage !== undefined ? { storage: header.storage } : {}),
    ...(Object.keys(clocks).length ? { clocks } : {}),
    faults: list(header.faults).map((entry) =>
      entry && typeof entry === 'object' ? { at: entry.at, fault: entry.fault } : entry,
    ),
    ...(header.workload !== undefined ? { workload: header.workload } : {}),
    invariants: list(header.invariants).map((invariant) =>
      invariant && typeof invariant === 'object' ? invariant.name : invariant,
    ),
  };
  return scenario;
}
