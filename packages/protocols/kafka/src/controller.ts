import type { Draft, NodeId } from '@dsim/core';
import { assignment, brokersOf, effectiveMinIsr, sessionTimeoutMs } from './config.ts';
import { ms, type KafkaContext } from './context.ts';
import type { KafkaMessage, PartitionState } from './messages.ts';
import type { ControllerState } from './state.ts';

/**
 * The controller, abstracted as KAFKA.md §1.2 allows: one logical, single-threaded body that
 * applies each change atomically to a durable registry (KRaft's metadata log, synced before any
 * message that depends on it leaves). It detects broker failure by heartbeats and a session
 * timeout, elects leaders (§2.8), accepts or rejects leaders' ISR changes (AlterPartition, §2.5),
 * and tells brokers. It can crash: a restart bumps the controller epoch, and brokers ignore a
 * controller older than the newest they heard from.
 */
const META = 'meta';

interface DurableMeta {
  controllerEpoch: number;
  nextBrokerEpoch: number;
  brokers: Record<NodeId, { brokerEpoch: number; incarnation: number; registered: boolean; fenced: boolean }>;
  partitions: PartitionState[];
  uncleanElections: number;
  elections: number;
}

export function initController(ctx: KafkaContext): ControllerState {
  const stored = ctx.storage.get<DurableMeta>(META);
  const now = ctx.now();
  const brokers: ControllerState['brokers'] = {};
  let partitions: PartitionState[];
  if (stored) {
    for (const [id, broker] of Object.entries(stored.brokers)) brokers[id] = { ...broker, lastHeartbeat: now };
    partitions = stored.partitions;
  } else {
    for (const id of brokersOf(ctx.nodes))
      brokers[id] = { brokerEpoch: -1, incarnation: -1, registered: false, fenced: false, lastHeartbeat: now };
    partitions = assignment(ctx.config, ctx.nodes).map((replicas, partition) => ({
      partition,
      replicas,
      leader: replicas[0]!,
      leaderEpoch: 0,
      partitionEpoch: 0,
      isr: [...replicas],
      elr: [],
    }));
  }
  const state: ControllerState = {
    kind: 'controller',
    controllerEpoch: (stored?.controllerEpoch ?? -1) + 1,
    nextBrokerEpoch: stored?.nextBrokerEpoch ?? 1,
    brokers,
    partitions,
    uncleanElections: stored?.uncleanElections ?? 0,
    elections: stored?.elections ?? 0,
  };
  persist(state, ctx);
  ctx.setTimer('session', ms(1000));
  return state;
}

function persist(state: ControllerState | Draft<ControllerState>, ctx: KafkaContext): void {
  const brokers: DurableMeta['brokers'] = {};
  for (const [id, broker] of Object.entries(state.brokers))
    brokers[id] = {
      brokerEpoch: broker.brokerEpoch,
      incarnation: broker.incarnation,
      registered: broker.registered,
      fenced: broker.fenced,
    };
  ctx.storage.put(META, {
    controllerEpoch: state.controllerEpoch,
    nextBrokerEpoch: state.nextBrokerEpoch,
    brokers,
    partitions: state.partitions,
    uncleanElections: state.uncleanElections,
    elections: state.elections,
  } satisfies DurableMeta);
  ctx.storage.sync();
}

function snapshot(partition: Draft<PartitionState> | PartitionState): PartitionState {
  return {
    partition: partition.partition,
    replicas: [...partition.replicas],
    leader: partition.leader,
    leaderEpoch: partition.leaderEpoch,
    partitionEpoch: partition.partitionEpoch,
    isr: [...partition.isr],
    elr: [...partition.elr],
  };
}

function partitionsOf(state: Draft<ControllerState>, broker: NodeId): PartitionState[] {
  return state.partitions.filter((p) => p.replicas.includes(broker)).map(snapshot);
}

function isAlive(state: Draft<ControllerState>, broker: NodeId): boolean {
  const record = state.brokers[broker];
  return record !== undefined && record.registered && !record.fenced;
}

/** Tells every replica of the partition (KRaft brokers replay the change; ZooKeeper sent LeaderAndIsr). */
function announce(state: Draft<ControllerState>, partition: Draft<PartitionState>, ctx: KafkaContext): void {
  const message: KafkaMessage = {
    type: 'LeaderAndIsr',
    controllerEpoch: state.controllerEpoch,
    state: snapshot(partition),
  };
  for (const replica of partition.replicas) ctx.send(replica, message);
}

/**
 * Leader election (§2.8): the first replica in assignment order that is alive and in the ISR;
 * else (ELR on) an alive ELR member, moved into the ISR; else, with unclean election, the first
 * alive replica with ISR := [it]; else offline. Leader and partition epochs increase.
 */
function elect(state: Draft<ControllerState>, partition: Draft<PartitionState>, ctx: KafkaContext): void {
  const alive = (broker: NodeId) => isAlive(state, broker);
  const previous = partition.leader;
  let leader: NodeId | undefined;
  let unclean = false;
  if (ctx.bugs.has('electOutOfSyncLeader')) leader = partition.replicas.find(alive);
  if (leader === undefined) leader = partition.replicas.find((r) => alive(r) && partition.isr.includes(r));
  if (leader === undefined && ctx.config.elr) {
    leader = partition.replicas.find((r) => alive(r) && partition.elr.includes(r));
    if (leader !== undefined) {
      partition.isr = [leader];
      partition.elr = partition.elr.filter((r) => r !== leader);
    }
  }
  if (leader === undefined && ctx.config.uncleanLeaderElection) {
    leader = partition.replicas.find(alive);
    unclean = leader !== undefined;
  }
  if (leader !== undefined && ctx.bugs.has('electOutOfSyncLeader') && !partition.isr.includes(leader))
    partition.isr = [...partition.isr, leader];
  if (unclean) {
    partition.isr = [leader!];
    partition.elr = [];
    state.uncleanElections++;
    ctx.annotate(`unclean election: ${leader} leads p${partition.partition}`);
  }
  if (leader === undefined && previous === null) return;
  partition.leader = leader ?? null;
  partition.leaderEpoch++;
  partition.partitionEpoch++;
  if (leader !== undefined) state.elections++;
  announce(state, partition, ctx);
}

/**
 * Removes a broker from ISRs (§1.2: fenced or restarted). Without ELR an ISR never becomes empty
 * (its last member stays: the "last replica standing"). With ELR, a member whose removal leaves the
 * ISR below min ISR moves to the ELR, unless `clean` is false (it restarted after an unclean
 * shutdown, and leaves the ELR too). Partitions it led get a new leader.
 */
function removeBroker(state: Draft<ControllerState>, broker: NodeId, clean: boolean, ctx: KafkaContext): void {
  for (const partition of state.partitions) {
    if (!partition.replicas.includes(broker)) continue;
    const minIsr = effectiveMinIsr(ctx.config, partition.replicas.length);
    let changed = false;
    if (!clean && partition.elr.includes(broker)) {
      partition.elr = partition.elr.filter((r) => r !== broker);
      changed = true;
    }
    if (partition.isr.includes(broker)) {
      const rest = partition.isr.filter((r) => r !== broker);
      if (ctx.config.elr) {
        partition.isr = rest;
        if (clean && rest.length < minIsr) partition.elr = [...partition.elr, broker];
        changed = true;
      } else if (rest.length > 0) {
        partition.isr = rest;
        changed = true;
      }
    }
    if (partition.leader === broker) {
      elect(state, partition, ctx);
      continue;
    }
    if (changed) {
      partition.partitionEpoch++;
      announce(state, partition, ctx);
    }
  }
}

/** Offline partitions (leader none) get another chance whenever a broker comes back. */
function electOffline(state: Draft<ControllerState>, ctx: KafkaContext): void {
  for (const partition of state.partitions) if (partition.leader === null) elect(state, partition, ctx);
}

export function handleControllerMessage(
  state: Draft<ControllerState>,
  from: NodeId,
  msg: KafkaMessage,
  ctx: KafkaContext,
): void {
  switch (msg.type) {
    case 'Register':
      return handleRegister(state, from, msg.incarnation, ctx);
    case 'Heartbeat':
      return handleHeartbeat(state, from, msg.brokerEpoch, ctx);
    case 'AlterPartition':
      return handleAlterPartition(state, from, msg, ctx);
    case 'MetadataRequest':
      ctx.send(from, { type: 'MetadataReply', partitions: state.partitions.map(snapshot) });
      return;
    default:
      return;
  }
}

/**
 * Registration. KRaft: a new incarnation of a registered broker is a restart after an unclean
 * shutdown; it leaves every ISR and ELR before it gets its new broker epoch. ZooKeeper: a new
 * incarnation whose previous session has not expired is refused (its ephemeral znode still
 * exists); it retries, and once the session check has fenced the old one (ISRs shrunk, leaders
 * moved) it registers. With `abaBounce` (pre-0.11) it re-registers unnoticed instead, keeping
 * its ISR memberships and leaderships (the ABA hole of §1.2).
 */
function handleRegister(state: Draft<ControllerState>, from: NodeId, incarnation: number, ctx: KafkaContext): void {
  const record = state.brokers[from];
  if (!record) return;
  if (record.incarnation === incarnation && record.registered) {
    ctx.send(from, registered(state, from));
    return;
  }
  const restarted = record.registered && record.incarnation !== incarnation;
  const sessionLives = restarted && !record.fenced && ctx.config.controller === 'zk';
  if (sessionLives && !ctx.config.abaBounce && !ctx.bugs.has('zkFastRestartUnnoticed')) {
    ctx.annotate(`${from} registration refused: the session of its previous incarnation has not expired`);
    return;
  }
  if (restarted && ctx.config.controller === 'kraft') {
    record.fenced = true;
    removeBroker(state, from, false, ctx);
  }
  record.incarnation = incarnation;
  record.brokerEpoch = state.nextBrokerEpoch++;
  record.registered = true;
  record.fenced = false;
  record.lastHeartbeat = ctx.now();
  electOffline(state, ctx);
  persist(state, ctx);
  ctx.send(from, registered(state, from));
}

function registered(state: Draft<ControllerState>, broker: NodeId): KafkaMessage {
  return {
    type: 'Registered',
    brokerEpoch: state.brokers[broker]!.brokerEpoch,
    controllerEpoch: state.controllerEpoch,
    partitions: partitionsOf(state, broker),
  };
}

function handleHeartbeat(state: Draft<ControllerState>, from: NodeId, brokerEpoch: number, ctx: KafkaContext): void {
  const record = state.brokers[from];
  if (!record) return;
  if (!record.registered || record.brokerEpoch !== brokerEpoch) {
    ctx.send(from, {
      type: 'HeartbeatReply',
      controllerEpoch: state.controllerEpoch,
      reregister: true,
      partitions: [],
    });
    return;
  }
  record.lastHeartbeat = ctx.now();
  if (record.fenced) {
    // An unfenced broker is electable again (KRaft: heartbeats resume after the session expired).
    record.fenced = false;
    electOffline(state, ctx);
    persist(state, ctx);
  }
  ctx.send(from, {
    type: 'HeartbeatReply',
    controllerEpoch: state.controllerEpoch,
    reregister: false,
    partitions: partitionsOf(state, from),
  });
}

/** The failure detector: a broker silent for the session timeout is fenced (§1.2). */
export function onSessionCheck(state: Draft<ControllerState>, ctx: KafkaContext): void {
  ctx.setTimer('session', ms(1000));
  const timeout = ms(sessionTimeoutMs(ctx.config));
  const now = ctx.now();
  let changed = false;
  for (const [id, record] of Object.entries(state.brokers)) {
    if (record.fenced || now - record.lastHeartbeat <= timeout) continue;
    record.fenced = true;
    changed = true;
    ctx.annotate(`${id} fenced: no heartbeat for ${sessionTimeoutMs(ctx.config)} ms`);
    removeBroker(state, id, true, ctx);
  }
  if (changed) persist(state, ctx);
}

/**
 * AlterPartition (§2.5, KIP-497/903): accepted only from the current leader, in its leader epoch,
 * with the current partition epoch and broker epoch, and only adding live brokers. With ELR, a
 * shrink below min ISR moves the removed members to the ELR; an ISR back at min ISR clears it.
 */
function handleAlterPartition(
  state: Draft<ControllerState>,
  from: NodeId,
  msg: Extract<KafkaMessage, { type: 'AlterPartition' }>,
  ctx: KafkaContext,
): void {
  const partition = state.partitions[msg.partition];
  if (!partition) return;
  const record = state.brokers[from];
  const valid =
    partition.leader === from &&
    partition.leaderEpoch === msg.leaderEpoch &&
    partition.partitionEpoch === msg.partitionEpoch &&
    record !== undefined &&
    record.brokerEpoch === msg.brokerEpoch &&
    !record.fenced &&
    msg.isr.includes(from) &&
    msg.isr.every((r) => partition.isr.includes(r) || isAlive(state, r));
  if (valid) {
    const minIsr = effectiveMinIsr(ctx.config, partition.replicas.length);
    if (ctx.config.elr) {
      const removed = partition.isr.filter((r) => !msg.isr.includes(r));
      let elr = partition.elr.filter((r) => !msg.isr.includes(r));
      if (msg.isr.length < minIsr) elr = [...elr, ...removed.filter((r) => !elr.includes(r))];
      else elr = [];
      partition.elr = elr;
    }
    partition.isr = [...msg.isr];
    partition.partitionEpoch++;
    persist(state, ctx);
    for (const replica of partition.replicas)
      if (replica !== from)
        ctx.send(replica, { type: 'LeaderAndIsr', controllerEpoch: state.controllerEpoch, state: snapshot(partition) });
  }
  ctx.send(from, {
    type: 'AlterPartitionReply',
    controllerEpoch: state.controllerEpoch,
    accepted: valid,
    state: snapshot(partition),
  });
}
