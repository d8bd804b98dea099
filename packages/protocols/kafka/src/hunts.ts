import type { Scenario } from '@dsim/core';
import type { SimulationPropertyOptions } from '@dsim/property';
import { defaults, generations } from './config.ts';
import { promisedInvariantNames } from './invariants.ts';

/**
 * The property-run hunts shared by experiments/kafka-catch-bugs.ts and the package's property
 * tests: the base scenario (current Kafka, RF 3, acks=all, min ISR 2, one producer and one
 * consumer, fast timeouts) and one hunt per bug switch. Not a scenario file.
 */
export const huntConfig = {
  minInsyncReplicas: 2,
  replicaLagTimeMaxMs: 2000,
  replicaSocketTimeoutMs: 1000,
  sessionTimeoutMs: 1500,
  heartbeatIntervalMs: 300,
  requestTimeoutMs: 1500,
  deliveryTimeoutMs: 20_000,
  osFlushIntervalMs: 1000,
  producerRecords: 120,
  producerIntervalMs: 50,
  consumerPollMs: 200,
} as const;

export const PROMISED = [
  'no-acked-write-lost',
  'no-read-above-hw',
  'read-stability',
  'log-matching',
  'leader-completeness',
  'leader-hw-monotonic',
  'committed-never-lost',
  'no-duplicates',
  'producer-order',
] as const;

export function huntScenario(bugs: readonly string[] = []): Scenario {
  return {
    name: `kafka-hunt${bugs.length ? `-${bugs.join('+')}` : ''}`,
    protocol: 'kafka',
    nodes: ['c', 'b1', 'b2', 'b3', 'p1', 'r1'],
    seed: 1,
    until: '20s',
    config: huntConfig,
    network: { latency: { dist: 'uniform', min: '1ms', max: '5ms' }, fifo: true },
    ...(bugs.length ? { bugs } : {}),
    invariants: [...PROMISED],
  };
}

export interface KafkaHunt {
  readonly id: string;
  readonly options: Omit<SimulationPropertyOptions, 'numRuns'>;
}

/** Process crashes (the page cache survives), partitions of every shape, pauses, loss and duplication. */
export const huntFaults = {
  kinds: ['partition', 'crash', 'pause', 'loss', 'duplicate'],
  maxFaults: 5,
  healAt: '12s',
} as const satisfies SimulationPropertyOptions['faults'];

/**
 * brokerLeadsBeforeRegistering needs a controller that misses a broker's restart: it is isolated
 * for less than the session timeout (4 s here) while brokers lose power and restart, so at the
 * heal it still holds a restarted broker's old registration and may elect it before the broker
 * registers again (a restarted broker retries every heartbeat interval, 1 s here). Faults hit the
 * controller and the brokers only: producer and consumer crashes play no part in the bug. Every
 * crash is a power loss (unflushed writes lost), so the elected broker's log is cut.
 */
export function registrationHuntScenario(bugs: readonly string[] = []): Scenario {
  return {
    ...huntScenario(bugs),
    name: `kafka-registration-hunt${bugs.length ? `-${bugs.join('+')}` : ''}`,
    until: '12s',
    config: { ...huntConfig, heartbeatIntervalMs: 1000, sessionTimeoutMs: 4000 },
  };
}

export const registrationHuntFaults = {
  nodes: ['c', 'b1', 'b2', 'b3'],
  kinds: ['partition', 'crash'],
  shapes: ['isolate'],
  loseUnsyncedWrites: true,
  maxFaults: 5,
  dense: true,
  from: '1s',
  healAt: '6.5s',
  durations: { partition: { min: '500ms', max: '3s' }, crash: { min: '100ms', max: '1s' } },
} as const satisfies SimulationPropertyOptions['faults'];

/**
 * producerSendsAcrossEpochs needs a batch that expires while another batch of the same producer id
 * is in flight: the expiry bumps the epoch (a new producer id) and, with the switch on, the new
 * id's batches go out before the old id's retry, which the broker appends after them since it
 * checks sequences per producer id. Requests time out after 500 ms and batches expire after 2 s,
 * so a few lost requests in a row expire a batch; loss bursts of a few percent (at most 10) keep
 * most requests going, so an old-id batch is still in flight when the new id starts.
 */
export function epochHuntScenario(bugs: readonly string[] = []): Scenario {
  return {
    ...huntScenario(bugs),
    name: `kafka-epoch-hunt${bugs.length ? `-${bugs.join('+')}` : ''}`,
    config: { ...huntConfig, requestTimeoutMs: 500, deliveryTimeoutMs: 2000 },
  };
}

export const epochHuntFaults = {
  nodes: ['c', 'b1', 'b2', 'b3', 'p1', 'r1'],
  kinds: ['loss'],
  probabilityPercentMax: 10,
  maxFaults: 5,
  healAt: '12s',
  durations: { loss: { min: '2s', max: '8s' } },
} as const satisfies SimulationPropertyOptions['faults'];

/**
 * zkFastRestartUnnoticed lives in ZooKeeper mode (generation 2.7: KIP-279 truncation, acks=1): a
 * leader loses power and restarts before its session (4 s here) expires. With the switch on, the
 * controller takes the new registration for the old one and the broker leads its cut log in the
 * same leader epoch, writing new records at offsets its followers already copied. Faults are power
 * losses of brokers lasting less than the session; the invariants are those 2.7 promises.
 */
export function zkRestartHuntScenario(bugs: readonly string[] = []): Scenario {
  const config = { ...generations['2.7'], ...huntConfig, heartbeatIntervalMs: 1000, sessionTimeoutMs: 4000 };
  return {
    ...huntScenario(bugs),
    name: `kafka-zk-restart-hunt${bugs.length ? `-${bugs.join('+')}` : ''}`,
    until: '12s',
    config,
    invariants: promisedInvariantNames({ ...defaults, ...config }),
  };
}

export const zkRestartHuntFaults = {
  nodes: ['b1', 'b2', 'b3'],
  kinds: ['crash'],
  loseUnsyncedWrites: true,
  maxFaults: 5,
  dense: true,
  from: '1s',
  healAt: '6.5s',
  durations: { crash: { min: '100ms', max: '2s' } },
} as const satisfies SimulationPropertyOptions['faults'];

export const kafkaHunts: KafkaHunt[] = [
  ...['hwFromAllReplicas', 'electOutOfSyncLeader', 'followerServesAboveHW', 'idempotenceIgnoresSequence'].map(
    (bug) => ({
      id: bug,
      options: { name: `kafka bug ${bug}`, scenario: huntScenario([bug]), faults: huntFaults },
    }),
  ),
  {
    id: 'brokerLeadsBeforeRegistering',
    options: {
      name: 'kafka bug brokerLeadsBeforeRegistering',
      scenario: registrationHuntScenario(['brokerLeadsBeforeRegistering']),
      faults: registrationHuntFaults,
    },
  },
  {
    id: 'producerSendsAcrossEpochs',
    options: {
      name: 'kafka bug producerSendsAcrossEpochs',
      scenario: epochHuntScenario(['producerSendsAcrossEpochs']),
      faults: epochHuntFaults,
    },
  },
  {
    id: 'zkFastRestartUnnoticed',
    options: {
      name: 'kafka bug zkFastRestartUnnoticed',
      scenario: zkRestartHuntScenario(['zkFastRestartUnnoticed']),
      faults: zkRestartHuntFaults,
    },
  },
];
