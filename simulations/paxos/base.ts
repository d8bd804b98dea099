import type { NemesisKind, Scenario } from '@dsim/core';

/**
 * The base scenarios of the Paxos sweeps and property runs (builders, not scenario files).
 *
 * Single decree: every node proposes its own value within the first 20 ms and three clients ask
 * nodes to propose theirs, so proposers compete from the start; faults until `healAt`, then a
 * quiet period in which every node must learn ('value-learned').
 */
export const ALL_KINDS: readonly NemesisKind[] = ['partition', 'crash', 'pause', 'clock', 'loss', 'duplicate'];

export interface PaxosSweepOptions {
  readonly nodes?: number;
  readonly seed?: number;
  readonly bugs?: readonly string[];
  /** Nemesis kinds; [] leaves the faults to the property runner. */
  readonly kinds?: readonly NemesisKind[];
  readonly faults?: number;
}

export function singleDecreeScenario(options: PaxosSweepOptions = {}): Scenario {
  const kinds = options.kinds ?? ALL_KINDS;
  const nodes = options.nodes ?? 3;
  return {
    name: `paxos-sweep-${nodes}n${options.bugs?.length ? `-bug-${options.bugs.join('+')}` : ''}`,
    description: 'Competing proposers and clients under generated faults until 3s, then quiet',
    protocol: 'paxos',
    nodes,
    seed: options.seed ?? 1,
    until: '8s',
    config: { proposers: nodes, proposeJitterMicros: 20_000, backoffMicros: 10_000, phaseTimeoutMicros: 60_000 },
    ...(options.bugs?.length ? { bugs: options.bugs } : {}),
    network: { latency: { dist: 'uniform', min: 1_000, max: 8_000 } },
    workload: { name: 'propose', clients: 3, thinkTime: '200ms', timeout: '500ms', options: { ops: 4 } },
    ...(kinds.length > 0
      ? {
          nemesis: {
            faults: options.faults ?? 5,
            kinds,
            from: '5ms',
            healAt: '3s',
            minDuration: '10ms',
            maxDuration: '1500ms',
            probability: 0.3,
          },
        }
      : {}),
  };
}

/**
 * Multi-Paxos: the key-value workload (the same as Raft's) from four clients, faults until
 * `healAt` 4 s, then a quiet period in which a client operation must succeed again.
 */
export function multiPaxosScenario(options: PaxosSweepOptions = {}): Scenario {
  const kinds = options.kinds ?? ALL_KINDS;
  const nodes = options.nodes ?? 3;
  return {
    name: `multipaxos-sweep-${nodes}n${options.bugs?.length ? `-bug-${options.bugs.join('+')}` : ''}`,
    description: 'Key-value clients under generated faults until 4s, then quiet',
    protocol: 'multipaxos',
    nodes,
    seed: options.seed ?? 1,
    until: '9s',
    ...(options.bugs?.length ? { bugs: options.bugs } : {}),
    network: { latency: { dist: 'uniform', min: 1_000, max: 8_000 } },
    workload: { name: 'kv', clients: 4, thinkTime: '10ms', timeout: '500ms', stopAt: '8500ms', options: { keys: 3 } },
    ...(kinds.length > 0
      ? {
          nemesis: {
            faults: options.faults ?? 6,
            kinds,
            from: '200ms',
            healAt: '4s',
            minDuration: '50ms',
            maxDuration: '2s',
            probability: 0.3,
          },
        }
      : {}),
  };
}
