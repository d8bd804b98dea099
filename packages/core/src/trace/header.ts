import type { LatencyDistribution } from '../kernel/latency.ts';
import type { ResolvedScenario } from '../scenario/schema.ts';
import { TRACE_FORMAT, TRACE_VERSION, type TraceHeader } from './format.ts';

/** The first line of a run's trace: what ran, with every default applied, so it can be run again. */
export function traceHeader(s: ResolvedScenario): TraceHeader {
  return {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    scenario: s.name,
    ...(s.description ? { description: s.description } : {}),
    protocol: s.protocol.name,
    seed: s.seed,
    nodes: s.nodes,
    clients: Array.from({ length: s.workload?.clients ?? 0 }, (_, i) => `c${i + 1}`),
    until: s.until,
    config: s.config,
    bugs: s.bugs,
    network: s.network,
    ...(s.storage ? { storage: storageSpec(s) } : {}),
    clocks: s.clocks,
    faults: s.faults,
    faultsEndAt: s.faultsEndAt,
    ...(s.workload ? { workload: s.workload } : {}),
    invariants: s.invariants.map((invariant) => ({ name: invariant.name, kind: invariant.kind })),
  };
}

/** The sync latencies as a scenario writes them (`{ nodes: { n1: ... } }`), so the header re-resolves to the same run. */
function storageSpec(s: ResolvedScenario): { nodes: Record<string, LatencyDistribution> } {
  const nodes: Record<string, LatencyDistribution> = {};
  s.storage?.syncLatency.forEach((latency, i) => {
    if (latency !== null) nodes[s.nodes[i]!] = latency;
  });
  return { nodes };
}
