import { createRandom, type Fault, type Scenario } from '@dsim/core';
import { swarm } from './swarm.ts';
import type { KafkaConfig } from './config.ts';
import { promisedInvariantNames } from './invariants.ts';
import { defaults, generations } from './config.ts';

type Generation = keyof typeof generations;
const GENERATIONS = Object.keys(generations) as Generation[];

const BROKERS = ['b1', 'b2', 'b3'] as const;

/**
 * Sweep settings: fast timeouts so a 60 s run sees many elections, ISR changes and retries.
 * Everything else is current Kafka.
 */
export const sweepConfig = {
  replicaLagTimeMaxMs: 2000,
  replicaSocketTimeoutMs: 1000,
  sessionTimeoutMs: 1500,
  heartbeatIntervalMs: 300,
  requestTimeoutMs: 1500,
  deliveryTimeoutMs: 20_000,
  osFlushIntervalMs: 1000,
  hwCheckpointIntervalMs: 1000,
  producerRecords: 150,
  producerIntervalMs: 50,
  consumerPollMs: 200,
  partitions: 2,
} satisfies Partial<KafkaConfig>;

/**
 * A fault schedule drawn from the seed: partitions of every shape (halves, isolate, one-way,
 * bridge, leader cut from the controller), crashes and restarts (process crashes keep the page
 * cache; at most `lossyCrashes` power losses lose unflushed writes, KAFKA.md I-1's bound of
 * min ISR − 1), pauses, loss and duplication bursts, and controller crashes. All heal by `healAt`.
 */
export function kafkaFaults(seed: number, options: { lossyCrashes?: number; faults?: number; healAtMs?: number } = {}) {
  const random = createRandom(seed, 'kafka-family');
  const healAt = options.healAtMs ?? 40_000;
  let lossy = options.lossyCrashes ?? 1;
  const count = options.faults ?? 6;
  const faults: Array<{ at: number; fault: Fault }> = [];
  const nodes = [...BROKERS, 'c'];
  for (let i = 0; i < count; i++) {
    const start = random.int(1000, healAt - 4000) * 1000;
    const end = Math.min(healAt * 1000, start + random.int(300, 8000) * 1000);
    const kind = random.int(0, 9);
    const broker = random.pick(BROKERS);
    switch (kind) {
      case 0:
      case 1: {
        const loseUnsyncedWrites = lossy > 0 && random.chance(0.5);
        if (loseUnsyncedWrites) lossy--;
        faults.push({ at: start, fault: { type: 'crash', node: broker, loseUnsyncedWrites } });
        faults.push({ at: end, fault: { type: 'restart', node: broker } });
        break;
      }
      case 2:
        faults.push({ at: start, fault: { type: 'isolate', node: random.pick(nodes) } });
        faults.push({ at: end, fault: { type: 'heal' } });
        break;
      case 3: {
        const shuffled = random.shuffle(nodes);
        faults.push({ at: start, fault: { type: 'partition', groups: [shuffled.slice(0, 2), shuffled.slice(2)] } });
        faults.push({ at: end, fault: { type: 'heal' } });
        break;
      }
      case 4: {
        const others = BROKERS.filter((b) => b !== broker);
        faults.push({ at: start, fault: { type: 'cut', from: [broker], to: [random.pick(others), 'c'] } });
        faults.push({ at: end, fault: { type: 'heal' } });
        break;
      }
      case 5: {
        const [a, b] = BROKERS.filter((x) => x !== broker) as [string, string];
        faults.push({ at: start, fault: { type: 'bridge', bridge: broker, groups: [[a], [b, 'c']] } });
        faults.push({ at: end, fault: { type: 'heal' } });
        break;
      }
      case 6: {
        const node = random.pick(nodes);
        faults.push({ at: start, fault: { type: 'pause', node } });
        faults.push({ at: Math.min(end, start + 3_000_000), fault: { type: 'resume', node } });
        break;
      }
      case 7:
        faults.push({ at: start, fault: { type: 'loss', probability: random.int(5, 40) / 100 } });
        faults.push({ at: end, fault: { type: 'heal' } });
        break;
      case 8:
        faults.push({ at: start, fault: { type: 'duplicate', probability: random.int(5, 40) / 100 } });
        faults.push({ at: end, fault: { type: 'heal' } });
        break;
      default:
        faults.push({ at: start, fault: { type: 'crash', node: 'c' } });
        faults.push({ at: end, fault: { type: 'restart', node: 'c' } });
    }
  }
  faults.push({ at: healAt * 1000, fault: { type: 'heal' } });
  return sanitize(faults);
}

/** Orders the faults and drops those that would crash a crashed node or restart a running one. */
function sanitize(faults: Array<{ at: number; fault: Fault }>): Array<{ at: number; fault: Fault }> {
  const sorted = faults.map((f, i) => ({ ...f, i })).sort((a, b) => a.at - b.at || a.i - b.i);
  const down = new Set<string>();
  const paused = new Set<string>();
  const kept: Array<{ at: number; fault: Fault }> = [];
  for (const { at, fault } of sorted) {
    if (fault.type === 'crash') {
      if (down.has(fault.node) || paused.has(fault.node)) continue;
      down.add(fault.node);
    } else if (fault.type === 'restart') {
      if (!down.has(fault.node)) continue;
      down.delete(fault.node);
    } else if (fault.type === 'pause') {
      if (down.has(fault.node) || paused.has(fault.node)) continue;
      paused.add(fault.node);
    } else if (fault.type === 'resume') {
      if (!paused.has(fault.node)) continue;
      paused.delete(fault.node);
    }
    kept.push({ at, fault });
  }
  const end = kept.at(-1)?.at ?? 0;
  for (const node of down) kept.push({ at: end, fault: { type: 'restart', node } });
  for (const node of paused) kept.push({ at: end, fault: { type: 'resume', node } });
  return kept;
}

/** The invariants a sweep checks: those Kafka promises in the configuration. */
function sweepInvariants(config: Partial<KafkaConfig>): string[] {
  return promisedInvariantNames({ ...defaults, ...config });
}

export const families = {
  aggressive: {
    description:
      'RF 3, two partitions, acks=all, min ISR 2, clean election, current truncation, ELR (current Kafka): one producer and one ' +
      'consumer; a seeded schedule of partitions of every shape, process crashes, one power loss (unflushed writes lost), pauses, ' +
      'loss, duplication and controller crashes until 40 s, then 20 s quiet (--generation: an older release)',
    options: {
      // Goals such as KIP-101's truncation, its OffsetsForLeaderEpoch round and an unclean election
      // exist only in older releases: a sweep reaches them with their replication rules, checked
      // against what that release promises.
      generation: {
        type: 'choice' as const,
        description: `the release whose replication rules run (KAFKA.md §0): ${GENERATIONS.join(', ')}; the sweep's fast timeouts stay`,
        default: '4.1',
        values: GENERATIONS,
      },
      faults: {
        type: 'integer' as const,
        description: 'fault episodes in the seeded schedule',
        default: 6,
        min: 0,
      },
    },
    scenario(seed: number, options?: Readonly<Record<string, unknown>>): Scenario {
      const generation = (options?.['generation'] ?? '4.1') as Generation;
      if (!GENERATIONS.includes(generation))
        throw new Error(`generation: no Kafka release '${String(generation)}'; choose from ${GENERATIONS.join(', ')}`);
      const config = {
        ...generations[generation],
        ...sweepConfig,
        minInsyncReplicas: 2,
        ...((options?.['config'] as object) ?? {}),
      };
      return {
        name: `kafka-aggressive-${generation === '4.1' ? '' : `${generation}-`}${seed}`,
        protocol: 'kafka',
        nodes: ['c', ...BROKERS, 'p1', 'r1'],
        seed,
        until: '60s',
        config,
        network: { latency: { dist: 'uniform', min: '1ms', max: '5ms' }, fifo: true },
        faults: kafkaFaults(seed, {
          lossyCrashes: Number(options?.['lossyCrashes'] ?? 1),
          faults: Number(options?.['faults'] ?? 6),
        }),
        invariants: sweepInvariants(config),
        ...(options?.['bugs'] ? { bugs: options['bugs'] as string[] } : {}),
      };
    },
    swarm,
  },
};
