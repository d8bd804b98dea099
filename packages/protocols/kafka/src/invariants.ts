import {
  always,
  atEnd,
  defineMemory,
  failure,
  sometimes,
  type Invariant,
  type InvariantFailure,
  type NodeId,
  type WorldView,
} from '@dsim/core';
import { describeConfig, roleOf, type KafkaConfig } from './config.ts';
import type { BrokerState, ControllerState, KafkaState, Replica } from './state.ts';

/**
 * KAFKA.md §5's invariants. The whole-run ones (I-1, I-3, I-5, I-6) share one run memory that
 * keeps the acknowledged records, the records consumers read, and the "true HW" ghost (the
 * largest offset any leader's HW covered, with the records it covered), and checks them against
 * each new leader when leadership moves and against the current leader as they arrive. Each
 * invariant knows the configurations under which Kafka promises it (`promisedInvariants`); every
 * violation message names the configuration in force and whether it was promised there.
 */

export type KafkaInvariantName =
  | 'no-acked-write-lost'
  | 'no-read-above-hw'
  | 'read-stability'
  | 'log-matching'
  | 'leader-completeness'
  | 'leader-hw-monotonic'
  | 'committed-never-lost'
  | 'no-duplicates'
  | 'producer-order';

/** Why Kafka promises an invariant under `config`, or why it does not. */
export function promisedInvariants(config: KafkaConfig): Record<KafkaInvariantName, true | string> {
  const durable: string[] = [];
  if (config.minInsyncReplicas < 2) durable.push('min.insync.replicas < 2');
  if (config.uncleanLeaderElection) durable.push('unclean election on');
  if (config.truncation === 'hw') durable.push('HW truncation (pre-0.11)');
  // A power-cut broker that re-registers unnoticed keeps its ISR seat and leaderships in the same
  // epochs: elected or still leading, its cut log re-uses offsets others hold (KAFKA.md §1.2).
  const aba = 'a restart within the session goes unnoticed (abaBounce)';
  if (config.abaBounce) durable.push(aba);
  if (!(config.elr && config.hwNeedsMinIsr)) durable.push('no ELR/HW gate (last replica standing, KIP-966)');
  const durability = durable.length === 0 ? true : durable.join(', ');
  const acked =
    config.acks !== 'all' ? `acks=${config.acks}${durable.length ? `, ${durable.join(', ')}` : ''}` : durability;
  const truncationMatches =
    config.truncation === 'kip279' ||
    config.truncation === 'onFetch' ||
    (config.truncation === 'kip101' && !config.uncleanLeaderElection);
  const unmatched = [
    ...(truncationMatches
      ? []
      : [`truncation=${config.truncation}${config.uncleanLeaderElection ? ' with unclean election' : ''}`]),
    ...(config.abaBounce ? [aba] : []),
  ];
  const matching = unmatched.length === 0 ? true : unmatched.join(', ');
  return {
    'no-acked-write-lost': acked,
    'no-read-above-hw': true,
    'read-stability': durability,
    'log-matching': matching,
    'leader-completeness': durability,
    'leader-hw-monotonic': true,
    'committed-never-lost': durability,
    'no-duplicates': config.enableIdempotence ? true : 'idempotence off',
    'producer-order':
      config.enableIdempotence || config.maxInFlight === 1 ? true : 'idempotence off, max in flight > 1',
  };
}

function verdict(config: KafkaConfig, name: KafkaInvariantName, message: string): string {
  const promise = promisedInvariants(config)[name];
  return `${message} [${promise === true ? 'promised' : `not promised: ${promise}`}; ${describeConfig(config)}]`;
}

interface LeaderRef {
  readonly key: string;
  readonly node: NodeId;
  readonly replica: Replica;
}

interface KafkaRunMemory {
  readonly config: KafkaConfig;
  readonly brokers: readonly NodeId[];
  readonly producers: readonly NodeId[];
  readonly consumers: readonly NodeId[];
  /** Per producer: `<upSince>` and how many acked records were taken from it. */
  readonly ackedSeen: Map<NodeId, { upSince: number; count: number }>;
  readonly readsSeen: Map<NodeId, { upSince: number; count: number }>;
  /** Per partition: acknowledged records by offset (acks 1 and all). */
  readonly acked: Array<Map<number, { id: string; acks: string }>>;
  readonly reads: Array<Map<number, string>>;
  /** The true-HW ghost per partition, and the records it covered. */
  readonly trueHw: number[];
  readonly committed: Array<Map<number, string>>;
  readonly leaderKeys: Array<string | null>;
  /** The newest leader epoch seen per partition (a leader below it is a stale zombie). */
  readonly newestEpoch: number[];
  readonly leaderHw: Map<string, number>;
  readonly violations: Partial<Record<KafkaInvariantName, InvariantFailure>>;
  /** Violations found by the latest observation: each is reported once, at the step that broke it. */
  readonly fresh: Set<KafkaInvariantName>;
  /** A new leader started with a HW below the true HW (KAFKA.md §2.4, S10: benign). */
  sawStaleLeaderHw: boolean;
}

/**
 * The partition's current leader: a running broker leading in the newest leader epoch known (the
 * controller's, or the newest any broker has led in). A zombie still leading an older epoch is
 * stale (I-3: "every later non-stale leader"); with none current the check waits for one.
 */
function currentLeader(world: WorldView<KafkaState>, memory: KafkaRunMemory, partition: number): LeaderRef | null {
  const controller = world.state('c');
  let newest = memory.newestEpoch[partition]!;
  if (controller?.kind === 'controller') newest = Math.max(newest, controller.partitions[partition]?.leaderEpoch ?? -1);
  let best: LeaderRef | null = null;
  const brokers = memory.brokers;
  for (const node of brokers) {
    const state = world.state(node) as BrokerState | undefined;
    const replica = state?.replicas[partition];
    if (!replica || replica.role !== 'leader') continue;
    if (best === null || replica.leaderEpoch > best.replica.leaderEpoch)
      best = { key: `p${partition}/${node}/${replica.leaderEpoch}/${world.upSince(node) ?? 0}`, node, replica };
  }
  memory.newestEpoch[partition] = Math.max(newest, best?.replica.leaderEpoch ?? -1);
  if (best !== null && best.replica.leaderEpoch < memory.newestEpoch[partition]!) return null;
  return best;
}

/** Records a violation with the brokers and clients it involves, to be reported once. */
function violate(memory: KafkaRunMemory, name: KafkaInvariantName, message: string, nodes: readonly NodeId[]): void {
  if (memory.violations[name] !== undefined) return;
  memory.violations[name] = failure(verdict(memory.config, name, message), nodes);
  memory.fresh.add(name);
}

function checkAgainstLeader(memory: KafkaRunMemory, partition: number, leader: LeaderRef): void {
  const log = leader.replica.log;
  for (const [offset, record] of memory.acked[partition]!)
    if (log[offset]?.id !== record.id)
      violate(
        memory,
        'no-acked-write-lost',
        `${record.id} was acknowledged (acks=${record.acks}) at p${partition}@${offset}, but leader ${leader.node} (epoch ${leader.replica.leaderEpoch}) has ${log[offset]?.id ?? 'nothing'} there`,
        [leader.node],
      );
  for (const [offset, id] of memory.reads[partition]!)
    if (log[offset]?.id !== id)
      violate(
        memory,
        'read-stability',
        `a consumer read ${id} at p${partition}@${offset}, but leader ${leader.node} (epoch ${leader.replica.leaderEpoch}) has ${log[offset]?.id ?? 'nothing'} there`,
        [leader.node],
      );
  for (const [offset, id] of memory.committed[partition]!)
    if (log[offset]?.id !== id)
      violate(
        memory,
        'committed-never-lost',
        `${id} was committed at p${partition}@${offset} (true HW ${memory.trueHw[partition]}), but leader ${leader.node} (epoch ${leader.replica.leaderEpoch}) has ${log[offset]?.id ?? 'nothing'} there`,
        [leader.node],
      );
  if (log.length < memory.trueHw[partition]!)
    violate(
      memory,
      'leader-completeness',
      `leader ${leader.node} of p${partition} (epoch ${leader.replica.leaderEpoch}) has LEO ${log.length} below the true HW ${memory.trueHw[partition]}`,
      [leader.node],
    );
}

function observe(memory: KafkaRunMemory, world: WorldView<KafkaState>, changed: NodeId | undefined): void {
  memory.fresh.clear();
  const partitions = memory.config.partitions;
  const leaders: Array<LeaderRef | null> = [];
  for (let p = 0; p < partitions; p++) {
    const leader = currentLeader(world, memory, p);
    leaders.push(leader);
    if (leader === null) continue;
    if (memory.leaderKeys[p] !== leader.key) {
      if (memory.leaderKeys[p] !== null && leader.replica.hw < memory.trueHw[p]!) memory.sawStaleLeaderHw = true;
      memory.leaderKeys[p] = leader.key;
      checkAgainstLeader(memory, p, leader);
    }
    const lastHw = memory.leaderHw.get(leader.key);
    if (lastHw !== undefined && leader.replica.hw < lastHw)
      violate(
        memory,
        'leader-hw-monotonic',
        `leader ${leader.node} of p${p} moved its HW back from ${lastHw} to ${leader.replica.hw} in epoch ${leader.replica.leaderEpoch}`,
        [leader.node],
      );
    memory.leaderHw.set(leader.key, leader.replica.hw);
    const trueHw = memory.trueHw[p]!;
    if (leader.replica.hw > trueHw) {
      for (let offset = trueHw; offset < leader.replica.hw; offset++)
        memory.committed[p]!.set(offset, leader.replica.log[offset]!.id);
      memory.trueHw[p] = leader.replica.hw;
    }
  }
  for (const node of changed === undefined ? memory.producers : memory.producers.filter((n) => n === changed)) {
    const state = world.state(node);
    if (!state || state.kind !== 'producer') continue;
    const upSince = world.upSince(node) ?? 0;
    const seen = memory.ackedSeen.get(node);
    let from = seen && seen.upSince === upSince ? seen.count : 0;
    for (; from < state.acked.length; from++) {
      const record = state.acked[from]!;
      memory.acked[record.partition]!.set(record.offset, { id: record.id, acks: record.acks });
      const leader = leaders[record.partition];
      if (leader && leader.replica.log[record.offset]?.id !== record.id)
        violate(
          memory,
          'no-acked-write-lost',
          `${record.id} was acknowledged (acks=${record.acks}) at p${record.partition}@${record.offset}, but leader ${leader.node} (epoch ${leader.replica.leaderEpoch}) has ${leader.replica.log[record.offset]?.id ?? 'nothing'} there`,
          [leader.node, node],
        );
    }
    memory.ackedSeen.set(node, { upSince, count: state.acked.length });
  }
  for (const node of changed === undefined ? memory.consumers : memory.consumers.filter((n) => n === changed)) {
    const state = world.state(node);
    if (!state || state.kind !== 'consumer') continue;
    const upSince = world.upSince(node) ?? 0;
    const seen = memory.readsSeen.get(node);
    let from = seen && seen.upSince === upSince ? seen.count : 0;
    for (; from < state.reads.length; from++) {
      const read = state.reads[from]!;
      if (read.offset >= read.servedHw)
        violate(
          memory,
          'no-read-above-hw',
          `${node} read ${read.id} at p${read.partition}@${read.offset} from ${read.from}, whose HW was ${read.servedHw}`,
          [node, read.from],
        );
      memory.reads[read.partition]!.set(read.offset, read.id);
      const leader = leaders[read.partition];
      if (leader && leader.replica.log[read.offset]?.id !== read.id)
        violate(
          memory,
          'read-stability',
          `${node} read ${read.id} at p${read.partition}@${read.offset}, but leader ${leader.node} has ${leader.replica.log[read.offset]?.id ?? 'nothing'} there`,
          [node, leader.node],
        );
    }
    memory.readsSeen.set(node, { upSince, count: state.reads.length });
  }
  const controller = world.state('c') as ControllerState | undefined;
  if (controller && controller.kind === 'controller') {
    for (const partition of controller.partitions) {
      const trueHw = memory.trueHw[partition.partition]!;
      for (const member of [...partition.isr, ...partition.elr]) {
        const broker = world.state(member) as BrokerState | undefined;
        const replica = broker?.registered ? broker.replicas[partition.partition] : undefined;
        if (replica && replica.log.length < trueHw)
          violate(
            memory,
            'leader-completeness',
            `${member} is a leader candidate of p${partition.partition} (ISR ${partition.isr.join(',')}, ELR ${partition.elr.join(',') || '-'}) with LEO ${replica.log.length} below the true HW ${trueHw}`,
            [member],
          );
      }
    }
  }
  for (const node of changed === undefined ? memory.brokers : memory.brokers.filter((n) => n === changed))
    checkLogMatching(memory, world, node);
}

/** A replica whose HW speaks for its log: a leader, or a follower that has fetched in its epoch. */
function settled(replica: Replica): boolean {
  return replica.role === 'leader' || (replica.role === 'follower' && replica.syncedInEpoch);
}

/**
 * I-4: entries below min(HWa, HWb) are equal, for every pair of running replicas that are settled
 * (a restarted replica's checkpointed HW says nothing until its truncation is done).
 */
function checkLogMatching(memory: KafkaRunMemory, world: WorldView<KafkaState>, node: NodeId): void {
  const mine = world.state(node) as BrokerState | undefined;
  if (!mine) return;
  for (const other of memory.brokers) {
    if (other === node) continue;
    const theirs = world.state(other) as BrokerState | undefined;
    if (!theirs) continue;
    for (const replica of Object.values(mine.replicas)) {
      const peer = theirs.replicas[replica.partition];
      if (!peer || !settled(replica) || !settled(peer)) continue;
      const limit = Math.min(replica.hw, peer.hw);
      // The whole prefix: unlike Raft's logs, equal entries at one offset say nothing of earlier ones (S3).
      for (let offset = 0; offset < limit; offset++) {
        const a = replica.log[offset]!;
        const b = peer.log[offset]!;
        if (a.id === b.id && a.epoch === b.epoch) continue;
        violate(
          memory,
          'log-matching',
          `p${replica.partition}@${offset} differs below both HWs: ${node} has ${a.id} (epoch ${a.epoch}, HW ${replica.hw}), ${other} has ${b.id} (epoch ${b.epoch}, HW ${peer.hw})`,
          [node, other],
        );
        return;
      }
    }
  }
}

export const kafkaRunMemory = defineMemory<KafkaState, KafkaRunMemory>({
  name: 'kafka-run',
  create(world) {
    const config = world.config as KafkaConfig;
    const perPartition = <T>(make: () => T) => Array.from({ length: config.partitions }, make);
    return {
      config,
      brokers: world.nodes.filter((n) => roleOf(n) === 'broker'),
      producers: world.nodes.filter((n) => roleOf(n) === 'producer'),
      consumers: world.nodes.filter((n) => roleOf(n) === 'consumer'),
      ackedSeen: new Map(),
      readsSeen: new Map(),
      acked: perPartition(() => new Map()),
      reads: perPartition(() => new Map()),
      trueHw: perPartition(() => 0),
      committed: perPartition(() => new Map()),
      leaderKeys: perPartition(() => null),
      newestEpoch: perPartition(() => -1),
      leaderHw: new Map(),
      violations: {},
      fresh: new Set(),
      sawStaleLeaderHw: false,
    };
  },
  observe(memory, world, change) {
    observe(memory, world, change.node);
  },
});

function fromMemory(name: KafkaInvariantName, description: string): Invariant<KafkaState, KafkaRunMemory> {
  return always<KafkaState, KafkaRunMemory>(
    name,
    (_world, memory) => (memory.fresh.has(name) ? memory.violations[name]! : true),
    {
      description,
      memory: kafkaRunMemory,
    },
  );
}

/** I-1. Log matching (I-4) is checked pairwise below both HWs (the log the offset sits in at the check). */
export const noAckedWriteLost = fromMemory(
  'no-acked-write-lost',
  'I-1: every acknowledged record is in the current leader’s log at its acknowledged offset',
);
export const noReadAboveHw = fromMemory(
  'no-read-above-hw',
  'I-2: every record a consumer reads lies below the serving replica’s HW',
);
export const readStability = fromMemory(
  'read-stability',
  'I-3: a record read at offset o stays at o in every later leader',
);
export const logMatching = fromMemory(
  'log-matching',
  'I-4: for replicas a and b, entries below min(HWa, HWb) are equal',
);
export const leaderCompleteness = fromMemory(
  'leader-completeness',
  'I-5: a running leader, and every running, registered ISR/ELR member, has LEO ≥ the true HW',
);
export const leaderHwMonotonic = fromMemory(
  'leader-hw-monotonic',
  'I-6a: a leader’s HW never decreases within its epoch',
);
export const committedNeverLost = fromMemory(
  'committed-never-lost',
  'I-6b: the true HW never decreases: no committed record later disappears from the leader',
);

function producerOf(id: string): { stream: string; n: number } {
  const dot = id.lastIndexOf('.');
  return { stream: id.slice(0, dot), n: Number(id.slice(dot + 1)) };
}

function brokerLogs(world: WorldView<KafkaState>): Array<{ node: NodeId; replica: Replica }> {
  const logs: Array<{ node: NodeId; replica: Replica }> = [];
  for (const node of world.nodes) {
    const state = world.state(node);
    if (state?.kind !== 'broker') continue;
    for (const replica of Object.values(state.replicas)) logs.push({ node, replica });
  }
  return logs;
}

/** I-7: each record id appears at most once in every replica's log (checked over the final logs). */
export const noDuplicates = atEnd<KafkaState>(
  'no-duplicates',
  (world) => {
    for (const { node, replica } of brokerLogs(world)) {
      const seen = new Map<string, number>();
      for (let offset = 0; offset < replica.log.length; offset++) {
        const id = replica.log[offset]!.id;
        const first = seen.get(id);
        if (first !== undefined)
          return verdict(
            world.config as KafkaConfig,
            'no-duplicates',
            `${id} is in ${node}'s log of p${replica.partition} twice, at ${first} and ${offset}`,
          );
        seen.set(id, offset);
      }
    }
    return true;
  },
  'I-7: each record is logged at most once',
);

/** I-8: one producer's records to one partition appear in send order (duplicates aside). */
export const producerOrder = atEnd<KafkaState>(
  'producer-order',
  (world) => {
    for (const { node, replica } of brokerLogs(world)) {
      const last = new Map<string, { n: number; offset: number }>();
      for (let offset = 0; offset < replica.log.length; offset++) {
        const { stream, n } = producerOf(replica.log[offset]!.id);
        const previous = last.get(stream);
        if (previous && n < previous.n)
          return verdict(
            world.config as KafkaConfig,
            'producer-order',
            `${node}'s log of p${replica.partition} has ${stream}.${n} at ${offset} after ${stream}.${previous.n} at ${previous.offset}`,
          );
        last.set(stream, { n, offset });
      }
    }
    return true;
  },
  'I-8: records from one producer to one partition appear in send order',
);

export const invariants = [
  noAckedWriteLost,
  noReadAboveHw,
  readStability,
  logMatching,
  leaderCompleteness,
  leaderHwMonotonic,
  committedNeverLost,
  noDuplicates,
  producerOrder,
] as const;

/** The invariants Kafka promises under `config`, by name (what a sweep of that configuration checks). */
export function promisedInvariantNames(config: KafkaConfig): KafkaInvariantName[] {
  const promised = promisedInvariants(config);
  return (Object.keys(promised) as KafkaInvariantName[]).filter((name) => promised[name] === true);
}

function brokers(world: WorldView<KafkaState>): BrokerState[] {
  return world.nodes.map((n) => world.state(n)).filter((s): s is BrokerState => s?.kind === 'broker');
}

function anyReplica(world: WorldView<KafkaState>, test: (replica: Replica) => boolean): boolean {
  return brokers(world).some((b) => Object.values(b.replicas).some(test));
}

/** Proof that a scenario reached what it tests. */
export const uncleanElectionHappened = sometimes<KafkaState>('unclean-election', (world) => {
  const controller = world.state('c');
  return controller?.kind === 'controller' && controller.uncleanElections > 0;
});
export const isrShrank = sometimes<KafkaState>('isr-shrank', (world) => anyReplica(world, (r) => r.isrShrinks > 0));
export const writesRefused = sometimes<KafkaState>('writes-refused', (world) =>
  anyReplica(world, (r) => r.notEnoughReplicas > 0),
);
export const followerTruncated = sometimes<KafkaState>('follower-truncated', (world) =>
  anyReplica(world, (r) => r.truncatedEntries > 0),
);
export const writeAcknowledged = sometimes<KafkaState>('write-acknowledged', (world) =>
  world.nodes.some((n) => {
    const state = world.state(n);
    return state?.kind === 'producer' && state.acked.length > 0;
  }),
);
export const partitionOffline = sometimes<KafkaState>('partition-offline', (world) => {
  const controller = world.state('c');
  return controller?.kind === 'controller' && controller.partitions.some((p) => p.leader === null);
});

export const staleLeaderHw = sometimes<KafkaState, KafkaRunMemory>(
  'stale-leader-hw',
  (_world, memory) => memory.sawStaleLeaderHw,
  { description: 'a new leader started with a HW below the true HW (S10)', memory: kafkaRunMemory },
);

export const reachability = [
  staleLeaderHw,
  uncleanElectionHappened,
  isrShrank,
  writesRefused,
  followerTruncated,
  writeAcknowledged,
  partitionOffline,
] as const;
