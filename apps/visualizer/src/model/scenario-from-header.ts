import type { TraceHeader } from '@dsim/core';

/**
 * A scenario rebuilt from a trace header, so a trace opened from a file can be forked: the header
 * holds the resolved config, network, clocks, the full fault schedule (generated faults included)
 * and the workload. Re-resolving it gives the same run when every field round-trips; the app
 * compares hashes and says when it does not.
 */
export function scenarioFromHeader(header: TraceHeader): Record<string, unknown> {
  const clocks: Record<string, { offset: number; driftPpm: number }> = {};
  for (const [node, offset, driftPpm] of header.clocks ?? [])
    if (offset !== 0 || driftPpm !== 0) clocks[node] = { offset, driftPpm };
  const scenario: Record<string, unknown> = {
    name: header.scenario,
    ...(header.description !== undefined ? { description: header.description } : {}),
    protocol: header.protocol,
    nodes: [...header.nodes],
    seed: header.seed,
    until: header.until,
    ...(header.config !== undefined ? { config: header.config } : {}),
    ...(header.bugs && header.bugs.length ? { bugs: [...header.bugs] } : {}),
    ...(header.network !== undefined ? { network: header.network } : {}),
    ...(header.storage !== undefined ? { storage: header.storage } : {}),
    ...(Object.keys(clocks).length ? { clocks } : {}),
    faults: header.faults.map(({ at, fault }) => ({ at, fault })),
    ...(header.workload !== undefined ? { workload: header.workload } : {}),
    invariants: header.invariants.map((invariant) => invariant.name),
  };
  return scenario;
}
