import { defineSeedFamily, type NemesisKind, type Scenario } from '@dsim/core';
import { multiPaxosSwarm, singleDecreeSwarm } from './swarm.ts';

/** Every kind of fault the nemesis draws. */
export const ALL_FAULT_KINDS: readonly NemesisKind[] = ['partition', 'crash', 'pause', 'clock', 'loss', 'duplicate'];

export interface PaxosScenarioOptions {
  /** Cluster size. Default 3. */
  readonly nodes?: number;
  readonly seed?: number;
  readonly bugs?: readonly string[];
  /** Nemesis kinds; [] leaves the faults to the caller (a property runner). Default: every kind. */
  readonly kinds?: readonly NemesisKind[];
  /** The nemesis' fault budget. */
  readonly faults?: number;
}

/**
 * Single decree under faults: every node proposes its own value within the first 20 ms and three
 * clients ask nodes to propose theirs, so proposers compete from the start; faults until 3 s, then a
 * quiet period in which every node must learn ('value-learned').
 */
export function singleDecreeScenario(options: PaxosScenarioOptions = {}): Scenario {
  const kinds = options.kinds ?? ALL_FAULT_KINDS;
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
 * Multi-Paxos under faults: the key-value workload (the same as Raft's) from four clients, faults
 * until 4 s, then a quiet period in which a client operation must succeed again.
 */
export function multiPaxosScenario(options: PaxosScenarioOptions = {}): Scenario {
  const kinds = options.kinds ?? ALL_FAULT_KINDS;
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

/** The `nodes` option: 'alternate' (odd seeds 3 nodes, even seeds 5) or a cluster size. */
const nodesChoices = ['alternate', '3', '5', '7'] as const;

function nodesOption(options: Readonly<Record<string, unknown>> | undefined, seed: number): number {
  const nodes = options?.nodes;
  if (nodes === undefined || nodes === 'alternate') return seed % 2 === 0 ? 5 : 3;
  const size = typeof nodes === 'string' ? Number(nodes) : nodes;
  if (size !== 3 && size !== 5 && size !== 7)
    throw new Error(
      `options.nodes: must be 3, 5 or 7 (got ${String(nodes)}); leave it out (or 'alternate') to alternate 3 and 5 by seed`,
    );
  return size;
}

function bugsOption(options: Readonly<Record<string, unknown>> | undefined): readonly string[] | undefined {
  const bugs = options?.bugs;
  return Array.isArray(bugs) && bugs.length > 0 ? (bugs as readonly string[]) : undefined;
}

const familyOptionsSpec = {
  nodes: {
    type: 'choice',
    description: "cluster size: 'alternate' runs 3 nodes on odd seeds and 5 on even ones",
    default: 'alternate',
    values: nodesChoices,
  },
} as const;

/**
 * Seed families for sweeps (`dsim sweep --family paxos/<name>`): a pure function from a seed to a
 * scenario. Odd seeds run 3 nodes and even seeds 5, unless `--nodes` says otherwise (`--nodes 3,5`
 * runs every seed on both); the nemesis draws every fault kind.
 */
export const families = {
  aggressive: defineSeedFamily({
    description:
      'Single-decree Paxos: every node proposes, clients propose too; partitions of every shape, crashes and restarts, pauses, clock faults, loss and duplication until 3 s, then every node must learn.',
    options: familyOptionsSpec,
    scenario: (seed: number, options?: Readonly<Record<string, unknown>>): Scenario =>
      singleDecreeScenario({ seed, nodes: nodesOption(options, seed), bugs: bugsOption(options) }),
    swarm: singleDecreeSwarm,
  }),
  multiAggressive: defineSeedFamily({
    description:
      'Multi-Paxos key-value store: four clients; partitions of every shape, crashes and restarts, pauses, clock faults, loss and duplication until 4 s; agreement per slot, linearizability, progress after the heal.',
    options: familyOptionsSpec,
    scenario: (seed: number, options?: Readonly<Record<string, unknown>>): Scenario =>
      multiPaxosScenario({ seed, nodes: nodesOption(options, seed), bugs: bugsOption(options) }),
    swarm: multiPaxosSwarm,
  }),
};
