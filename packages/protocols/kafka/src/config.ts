import type { NodeId } from '@dsim/core';

/**
 * Which truncation rule a follower applies when its leader changes (KAFKA.md §3):
 * - `hw`: truncate to the local high watermark (before 0.11; KIP-101 cases A and B);
 * - `kip101`: ask the leader for the end offset of the follower's latest epoch (0.11–1.1; the
 *   leader answers an offset only, so unclean elections can still diverge: KIP-279's case);
 * - `kip279`: the leader answers (epoch, end offset) and the follower truncates to the end of
 *   the largest common epoch (2.0–2.7);
 * - `onFetch`: the same arithmetic carried inside the fetch as `divergingEpoch` (2.8+, KAFKA-10554).
 */
export type Truncation = 'hw' | 'kip101' | 'kip279' | 'onFetch';
export type Acks = '0' | '1' | 'all';

export interface KafkaConfig {
  /** Partitions of the one topic `t`. Replica lists rotate over the brokers (partition p starts at broker p mod n). */
  readonly partitions: number;
  /** Replicas per partition; 0 means every broker. */
  readonly replicationFactor: number;
  /** `min.insync.replicas`: default 1 (since 0.8.2); capped at RF (3.7+). */
  readonly minInsyncReplicas: number;
  /** `unclean.leader.election.enable`: default false since 0.11.0.0 (true before). */
  readonly uncleanLeaderElection: boolean;
  /** `replica.lag.time.max.ms`: 30 000 since 2.5.0 (10 000 in 0.8–2.4, KIP-537). */
  readonly replicaLagTimeMaxMs: number;
  /** `replica.lag.max.messages`: 4000, only read with isrLag 'count+time' (0.8.x; removed in 0.9.0, KAFKA-1546). */
  readonly replicaLagMaxMessages: number;
  /** How the leader decides a follower is out of sync: 'time' (0.9.0+) or 'count+time' (0.8.x). */
  readonly isrLag: 'time' | 'count+time';
  /** `replica.fetch.wait.max.ms`: a follower's long poll, 500. */
  readonly replicaFetchWaitMaxMs: number;
  /** `replica.fetch.backoff.ms`: wait after a fetch error, 1000. */
  readonly replicaFetchBackoffMs: number;
  /** `replica.socket.timeout.ms`: a follower re-sends a fetch that got no answer, 30 000. */
  readonly replicaSocketTimeoutMs: number;
  /** Entries per fetch response (stands for `replica.fetch.max.bytes`; one entry per batch). */
  readonly replicaFetchMaxEntries: number;
  /** `replica.high.watermark.checkpoint.interval.ms`: the HW checkpoint a restart reloads, 5000. */
  readonly hwCheckpointIntervalMs: number;
  /**
   * How often the page cache reaches the disk. Kafka leaves flushing to the OS
   * (`log.flush.interval.*` unset); 30 000 is Linux's `dirty_expire_centisecs`. A crash with
   * `loseUnsyncedWrites` (a power loss) loses what was written since; a process crash keeps it.
   */
  readonly osFlushIntervalMs: number;
  /** Truncation generation (KAFKA.md §3): default 'onFetch' (2.8+). */
  readonly truncation: Truncation;
  /** The HW does not move while |ISR| < effective min ISR (3.7+, KAFKA-15583, KIP-966 part 1). Default true. */
  readonly hwNeedsMinIsr: boolean;
  /** Eligible leader replicas (KIP-966; opt-in 4.0, default for new clusters 4.1). Default true. KRaft only. */
  readonly elr: boolean;
  /** 'kraft' (default; the only mode from 4.0): broker epochs, a restart is noticed. 'zk': a fast restart may go unnoticed (ABA). */
  readonly controller: 'kraft' | 'zk';
  /**
   * ZooKeeper mode only: a broker restarted before its session expired re-registers unnoticed and
   * resumes its ISR memberships and leaderships in the same epochs (the ABA hole of KAFKA.md
   * §1.2), as KIP-101's case A (S1) assumes; on for 'pre-0.11' only, where KAFKA.md allows it.
   * Off, the registration is refused while the old session lives (its ephemeral
   * `/brokers/ids/<id>` znode still exists: "A broker is already registered on the path",
   * `ZkUtils.registerBrokerInZk` to 1.x, `KafkaZkClient.registerBroker` after), so the controller
   * has removed the broker from ISRs and moved its leaderships before it takes any role.
   */
  readonly abaBounce: boolean;
  /** Session timeout; 0 means the mode's default: `broker.session.timeout.ms` 9000 (KRaft), `zookeeper.session.timeout.ms` 18 000 (2.5+). */
  readonly sessionTimeoutMs: number;
  /** `broker.heartbeat.interval.ms`: 2000. */
  readonly heartbeatIntervalMs: number;
  /** Producer `acks`: 'all' since 3.0 ('1' before). */
  readonly acks: Acks;
  /** `enable.idempotence`: true since 3.0 (effective from 3.0.1/3.1.1/3.2.0, KAFKA-13598); false before. */
  readonly enableIdempotence: boolean;
  /** `retries`: 2 147 483 647 since 2.1 (0 before). */
  readonly retries: number;
  /** `max.in.flight.requests.per.connection`: 5. */
  readonly maxInFlight: number;
  /** `request.timeout.ms`: 30 000; also the broker's wait for acks=all. */
  readonly requestTimeoutMs: number;
  /** `delivery.timeout.ms`: 120 000 (2.1+). */
  readonly deliveryTimeoutMs: number;
  /** `retry.backoff.ms`: 100. */
  readonly retryBackoffMs: number;
  /** Records each producer sends (one record per batch), then stops. */
  readonly producerRecords: number;
  /** Gap between a producer's records. */
  readonly producerIntervalMs: number;
  /** When producers start sending (local time after start). */
  readonly producerStartMs: number;
  /**
   * Scripted send times (ms after start), one record each; when not empty it replaces
   * producerRecords/producerIntervalMs/producerStartMs (for scenarios that need a record at a known time).
   */
  readonly producerScheduleMs: readonly number[];
  /** A consumer's poll interval (`fetch.max.wait.ms` is 500). */
  readonly consumerPollMs: number;
  /** Consumers read from the leader, or from a follower (KIP-392, 2.4+), each up to the serving replica's HW. */
  readonly consumerReadsFrom: 'leader' | 'follower';
}

/** Current Kafka (4.1, KRaft) with each default's version in the field's comment. */
export const defaults: KafkaConfig = {
  partitions: 1,
  replicationFactor: 0,
  minInsyncReplicas: 1,
  uncleanLeaderElection: false,
  replicaLagTimeMaxMs: 30_000,
  replicaLagMaxMessages: 4000,
  isrLag: 'time',
  replicaFetchWaitMaxMs: 500,
  replicaFetchBackoffMs: 1000,
  replicaSocketTimeoutMs: 30_000,
  replicaFetchMaxEntries: 100,
  hwCheckpointIntervalMs: 5000,
  osFlushIntervalMs: 30_000,
  truncation: 'onFetch',
  hwNeedsMinIsr: true,
  elr: true,
  controller: 'kraft',
  abaBounce: false,
  sessionTimeoutMs: 0,
  heartbeatIntervalMs: 2000,
  acks: 'all',
  enableIdempotence: true,
  retries: 2_147_483_647,
  maxInFlight: 5,
  requestTimeoutMs: 30_000,
  deliveryTimeoutMs: 120_000,
  retryBackoffMs: 100,
  producerRecords: 50,
  producerIntervalMs: 100,
  producerStartMs: 500,
  producerScheduleMs: [],
  consumerPollMs: 500,
  consumerReadsFrom: 'leader',
};

/**
 * Older generations as config overrides, so a user can replay a historical bug and its fix.
 * Each one sets what KAFKA.md §0's landmarks date.
 */
export const generations = {
  /** 0.10.2: HW truncation, unclean election on, ZooKeeper (6 s session, a fast restart unnoticed), lag by time, acks=1, no idempotence. */
  'pre-0.11': {
    truncation: 'hw',
    uncleanLeaderElection: true,
    controller: 'zk',
    abaBounce: true,
    sessionTimeoutMs: 6000,
    replicaLagTimeMaxMs: 10_000,
    hwNeedsMinIsr: false,
    elr: false,
    acks: '1',
    enableIdempotence: false,
    retries: 0,
  },
  /** 1.1: KIP-101 truncation, unclean off, ZooKeeper. */
  '1.1': {
    truncation: 'kip101',
    controller: 'zk',
    sessionTimeoutMs: 6000,
    replicaLagTimeMaxMs: 10_000,
    hwNeedsMinIsr: false,
    elr: false,
    acks: '1',
    enableIdempotence: false,
    retries: 0,
  },
  /** 2.7: KIP-279 truncation (with a separate OffsetsForLeaderEpoch round). */
  '2.7': {
    truncation: 'kip279',
    controller: 'zk',
    sessionTimeoutMs: 18_000,
    hwNeedsMinIsr: false,
    elr: false,
    acks: '1',
    enableIdempotence: false,
  },
  /** 3.6 KRaft: truncation on fetch, acks=all + idempotence, but no HW freeze below min ISR and no ELR. */
  '3.6': { hwNeedsMinIsr: false, elr: false },
  /** 4.1 KRaft (the defaults). */
  '4.1': {},
} as const satisfies Record<string, Partial<KafkaConfig>>;

/** Node roles come from ids: `c` is the controller, `b…` brokers, `p…` producers, `r…` consumers (readers). */
export type NodeRole = 'controller' | 'broker' | 'producer' | 'consumer';

export function roleOf(node: NodeId): NodeRole | undefined {
  if (node === 'c') return 'controller';
  if (/^b\d+$/.test(node)) return 'broker';
  if (/^p\d+$/.test(node)) return 'producer';
  if (/^r\d+$/.test(node)) return 'consumer';
  return undefined;
}

export function brokersOf(nodes: readonly NodeId[]): NodeId[] {
  return nodes.filter((node) => roleOf(node) === 'broker');
}

/** The assignment (ordered replica list) of each partition: RF brokers starting at broker p mod n. */
export function assignment(config: KafkaConfig, nodes: readonly NodeId[]): NodeId[][] {
  const brokers = brokersOf(nodes);
  const rf = config.replicationFactor > 0 ? config.replicationFactor : brokers.length;
  const result: NodeId[][] = [];
  for (let p = 0; p < config.partitions; p++) {
    const replicas: NodeId[] = [];
    for (let i = 0; i < rf; i++) replicas.push(brokers[(p + i) % brokers.length]!);
    result.push(replicas);
  }
  return result;
}

export function sessionTimeoutMs(config: KafkaConfig): number {
  if (config.sessionTimeoutMs > 0) return config.sessionTimeoutMs;
  return config.controller === 'zk' ? 18_000 : 9000;
}

/** `min(min.insync.replicas, RF)` since 3.7; the plain setting before (hwNeedsMinIsr marks 3.7+). */
export function effectiveMinIsr(config: KafkaConfig, replicationFactor: number): number {
  return config.hwNeedsMinIsr ? Math.min(config.minInsyncReplicas, replicationFactor) : config.minInsyncReplicas;
}

/** One line naming the configuration in force, for violation messages and summaries. */
export function describeConfig(config: KafkaConfig): string {
  return (
    `acks=${config.acks} minIsr=${config.minInsyncReplicas} unclean=${config.uncleanLeaderElection} ` +
    `truncation=${config.truncation} idempotence=${config.enableIdempotence} elr=${config.elr} ` +
    `hwNeedsMinIsr=${config.hwNeedsMinIsr} controller=${config.controller}`
  );
}

export function validateConfig(config: KafkaConfig, nodes: readonly NodeId[]): string[] {
  const problems: string[] = [];
  const unknown = nodes.filter((node) => roleOf(node) === undefined);
  if (unknown.length > 0)
    problems.push(
      `nodes: ${unknown.join(', ')} have no Kafka role; name the controller 'c', brokers b1, b2..., producers p1..., consumers r1...`,
    );
  if (!nodes.includes('c')) problems.push("nodes: add the controller 'c'");
  const brokers = brokersOf(nodes).length;
  if (brokers === 0) problems.push('nodes: add at least one broker (b1, b2, ...)');
  if (!Number.isInteger(config.partitions) || config.partitions < 1)
    problems.push(`config.partitions: must be a whole number ≥ 1 (got ${String(config.partitions)})`);
  if (config.replicationFactor > brokers)
    problems.push(
      `config.replicationFactor: ${config.replicationFactor} exceeds the ${brokers} brokers; lower it or add brokers`,
    );
  if (config.minInsyncReplicas < 1) problems.push('config.minInsyncReplicas: must be at least 1');
  if (!['0', '1', 'all'].includes(config.acks)) problems.push("config.acks: use '0', '1' or 'all'");
  if (!['hw', 'kip101', 'kip279', 'onFetch'].includes(config.truncation))
    problems.push("config.truncation: use 'hw', 'kip101', 'kip279' or 'onFetch'");
  if (config.enableIdempotence && config.acks !== 'all')
    problems.push("config.enableIdempotence: needs acks 'all' (KIP-98); set acks to 'all' or turn idempotence off");
  if (config.enableIdempotence && config.maxInFlight > 5)
    problems.push('config.maxInFlight: idempotence allows at most 5 requests in flight (KAFKA-5494)');
  if (config.maxInFlight < 1) problems.push('config.maxInFlight: must be at least 1');
  if (config.abaBounce && config.controller !== 'zk')
    problems.push(
      "config.abaBounce: the unnoticed fast restart exists only with controller 'zk'; set abaBounce to false",
    );
  if (config.elr && config.controller === 'zk')
    problems.push("config.elr: eligible leader replicas exist only with controller 'kraft'; set elr to false");
  return problems;
}
