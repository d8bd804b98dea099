import type { Draft, NodeId } from '@dsim/core';
import { assignment } from './config.ts';
import { ms, type KafkaContext } from './context.ts';
import { becomeFollower, handleFetchReply, handleOffsetsForLeaderEpochReply, sendFetch } from './follower.ts';
import {
  abandonLeadership,
  becomeLeader,
  handleFetch,
  handleOffsetsForLeaderEpoch,
  handleProduce,
  maybeAdvanceHw,
} from './leader.ts';
import type { KafkaMessage, PartitionState } from './messages.ts';
import { loadReplica } from './replica-log.ts';
import type { BrokerState, Replica } from './state.ts';

/**
 * A broker: hosts replicas, registers with the controller and heartbeats to it, applies the
 * partition states it learns (newer partition epochs only, §1.2), flushes its page cache every
 * `osFlushIntervalMs` and checkpoints HWs every `hwCheckpointIntervalMs`.
 */
export function initBroker(ctx: KafkaContext): BrokerState {
  const incarnation = (ctx.storage.get<number>('incarnation') ?? 0) + 1;
  ctx.storage.put('incarnation', incarnation);
  // The incarnation must survive a power loss, or the controller could not tell restarts apart.
  ctx.storage.sync();
  const replicas: Record<number, Replica> = {};
  assignment(ctx.config, ctx.nodes).forEach((hosts, partition) => {
    if (hosts.includes(ctx.self)) replicas[partition] = loadReplica(partition, ctx);
  });
  ctx.send('c', { type: 'Register', incarnation });
  ctx.setTimer('heartbeat', ms(ctx.config.heartbeatIntervalMs));
  ctx.setTimer('isrCheck', ms(ctx.config.replicaLagTimeMaxMs / (ctx.config.isrLag === 'time' ? 2 : 1)));
  ctx.setTimer('flush', ms(ctx.config.osFlushIntervalMs));
  ctx.setTimer('hwCheckpoint', ms(ctx.config.hwCheckpointIntervalMs));
  return { kind: 'broker', incarnation, brokerEpoch: -1, controllerEpoch: -1, registered: false, replicas };
}

export function onHeartbeatTimer(state: Draft<BrokerState>, ctx: KafkaContext): void {
  ctx.setTimer('heartbeat', ms(ctx.config.heartbeatIntervalMs));
  if (!state.registered) ctx.send('c', { type: 'Register', incarnation: state.incarnation });
  else ctx.send('c', { type: 'Heartbeat', brokerEpoch: state.brokerEpoch });
}

/** The OS writes the page cache back: everything written so far survives a power loss. */
export function onFlush(state: Draft<BrokerState>, ctx: KafkaContext): void {
  ctx.setTimer('flush', ms(ctx.config.osFlushIntervalMs));
  ctx.storage.sync();
  for (const replica of Object.values(state.replicas)) replica.flushed = replica.log.length;
}

/** `replication-offset-checkpoint`: what a restart reloads as the HW (§3.1). */
export function onHwCheckpoint(state: Draft<BrokerState>, ctx: KafkaContext): void {
  ctx.setTimer('hwCheckpoint', ms(ctx.config.hwCheckpointIntervalMs));
  for (const replica of Object.values(state.replicas)) ctx.storage.put(`hw/${replica.partition}`, replica.hw);
}

function acceptController(state: Draft<BrokerState>, controllerEpoch: number): boolean {
  if (controllerEpoch < state.controllerEpoch) return false;
  state.controllerEpoch = controllerEpoch;
  return true;
}

export function handleBrokerMessage(
  state: Draft<BrokerState>,
  from: NodeId,
  msg: KafkaMessage,
  ctx: KafkaContext,
): void {
  switch (msg.type) {
    case 'Registered':
      if (!acceptController(state, msg.controllerEpoch)) return;
      state.registered = true;
      state.brokerEpoch = msg.brokerEpoch;
      for (const partition of msg.partitions) applyPartitionState(state, partition, ctx);
      return;
    case 'HeartbeatReply':
      if (!acceptController(state, msg.controllerEpoch)) return;
      if (msg.reregister) {
        state.registered = false;
        ctx.send('c', { type: 'Register', incarnation: state.incarnation });
        return;
      }
      for (const partition of msg.partitions) applyPartitionState(state, partition, ctx);
      return;
    case 'LeaderAndIsr':
      // A starting broker takes no partition role before the controller accepted this
      // incarnation's registration. KRaft: the broker installs its metadata publishers after the
      // initial catch-up, which follows registration (`BrokerLifecycleManager`). ZooKeeper: a
      // broker whose znode is not created has failed its startup and serves nothing, and from 2.2
      // it rejects control requests stamped with an older broker epoch (KIP-380). A controller
      // that has not yet seen the restart may still name it leader from its previous
      // registration, and a log cut by a power loss would then lead. The registration reply
      // carries the state. `abaBounce` (pre-0.11) keeps the hole of KAFKA.md §1.2, which S1 needs.
      if (!state.registered && !ctx.config.abaBounce && !ctx.bugs.has('brokerLeadsBeforeRegistering')) return;
      if (!acceptController(state, msg.controllerEpoch)) return;
      return applyPartitionState(state, msg.state, ctx);
    case 'AlterPartitionReply': {
      if (!acceptController(state, msg.controllerEpoch)) return;
      const replica = state.replicas[msg.state.partition];
      if (replica && replica.role === 'leader') {
        // Accepted or rejected, the proposal is decided: the maximal ISR is the committed ISR again.
        replica.pendingIsr = null;
      }
      applyPartitionState(state, msg.state, ctx);
      if (replica) maybeAdvanceHw(replica, ctx);
      return;
    }
    case 'Produce':
      return handleProduce(state, from, msg, ctx);
    case 'Fetch':
      return handleFetch(state, from, msg, ctx);
    case 'FetchReply':
      return handleFetchReply(state, msg, ctx);
    case 'OffsetsForLeaderEpoch':
      return handleOffsetsForLeaderEpoch(state, from, msg, ctx);
    case 'OffsetsForLeaderEpochReply':
      return handleOffsetsForLeaderEpochReply(state, msg, ctx);
    case 'ConsumerFetch':
      return serveConsumer(state, from, msg, ctx);
    default:
      return;
  }
}

/**
 * Applies a partition state newer than the one known (by partition epoch). A new leader epoch
 * naming this broker makes it leader; naming another makes it follow; none takes it offline.
 * Within an epoch only the ISR changes.
 */
export function applyPartitionState(state: Draft<BrokerState>, meta: PartitionState, ctx: KafkaContext): void {
  const replica = state.replicas[meta.partition];
  if (!replica) return;
  const known = replica.meta;
  if (known !== null && meta.partitionEpoch <= known.partitionEpoch) return;
  replica.meta = {
    ...meta,
    replicas: [...meta.replicas],
    isr: [...meta.isr],
    elr: [...meta.elr],
  } as Draft<PartitionState>;
  if (meta.leader === ctx.self) {
    if (replica.role !== 'leader' || meta.leaderEpoch > replica.leaderEpoch) {
      if (replica.role === 'leader') abandonLeadership(replica, ctx);
      becomeLeader(replica, meta, ctx);
      return;
    }
    if (known !== null) {
      if (meta.isr.length < known.isr.length) replica.isrShrinks++;
      if (meta.isr.length > known.isr.length) replica.isrExpands++;
    }
    maybeAdvanceHw(replica, ctx);
    return;
  }
  if (replica.role === 'leader') abandonLeadership(replica, ctx);
  if (meta.leader === null) {
    replica.role = 'offline';
    replica.leaderEpoch = meta.leaderEpoch;
    replica.fetchState = 'idle';
    ctx.cancelTimer(`fetch:${meta.partition}`);
    return;
  }
  if (replica.role !== 'follower' || meta.leaderEpoch > replica.leaderEpoch || known?.leader !== meta.leader) {
    becomeFollower(replica, meta, ctx);
    return;
  }
  if (replica.fetchState === 'idle') sendFetch(replica, ctx);
}

/**
 * A consumer's fetch (§1.4): records below the serving replica's HW. The leader serves; with
 * `consumerReadsFrom: 'follower'` (KIP-392) a follower serves up to its own, lagging HW.
 */
function serveConsumer(
  state: Draft<BrokerState>,
  from: NodeId,
  msg: Extract<KafkaMessage, { type: 'ConsumerFetch' }>,
  ctx: KafkaContext,
): void {
  const replica = state.replicas[msg.partition];
  const reply = (extra: { error?: 'NOT_LEADER_OR_FOLLOWER' | 'OFFSET_OUT_OF_RANGE'; ids?: string[] }) =>
    ctx.send(from, {
      type: 'ConsumerFetchReply',
      partition: msg.partition,
      fetchId: msg.fetchId,
      offset: msg.offset,
      ids: extra.ids ?? [],
      hw: replica?.hw ?? 0,
      ...(extra.error ? { error: extra.error } : {}),
    });
  const serves =
    replica !== undefined &&
    (replica.role === 'leader' || (replica.role === 'follower' && ctx.config.consumerReadsFrom === 'follower'));
  if (!serves) return reply({ error: 'NOT_LEADER_OR_FOLLOWER' });
  const limit = ctx.bugs.has('followerServesAboveHW') ? replica.log.length : replica.hw;
  if (msg.offset > replica.log.length) return reply({ error: 'OFFSET_OUT_OF_RANGE' });
  const ids: string[] = [];
  for (let offset = msg.offset; offset < Math.min(limit, msg.offset + 100); offset++) ids.push(replica.log[offset]!.id);
  reply({ ids });
}
