import type { Draft, NodeId } from '@dsim/core';
import { effectiveMinIsr } from './config.ts';
import { ms, type KafkaContext } from './context.ts';
import {
  canJoinIsr,
  endOffsetFor,
  endOffsetForKip101,
  isOutOfSync,
  nextHighWatermark,
  type FollowerLeo,
} from './log.ts';
import type { KafkaMessage, PartitionState, ProduceError } from './messages.ts';
import { appendEntry, stampEpoch } from './replica-log.ts';
import type { BrokerState, Replica } from './state.ts';

/** The leader's side of a partition: produce (§2.1), follower fetch (§2.2), HW (§2.3), ISR (§2.5–2.6). */

/** Far in the past: a replica outside the ISR at election has never caught up in this epoch. */
const NEVER = Number.MIN_SAFE_INTEGER;

export function maximalIsr(replica: Draft<Replica> | Replica): NodeId[] {
  const isr = [...(replica.meta?.isr ?? [])];
  for (const member of replica.pendingIsr ?? []) if (!isr.includes(member)) isr.push(member);
  return isr;
}

/**
 * Becoming leader (§1.1, `Replica.resetReplicaState`): every follower's LEO becomes unknown, ISR
 * members count as caught up now, others never; the LESO is the LEO. Since 2.1 the epoch's start
 * goes into the cache at once; before, at the first append.
 */
export function becomeLeader(replica: Draft<Replica>, meta: PartitionState, ctx: KafkaContext): void {
  replica.role = 'leader';
  replica.leaderEpoch = meta.leaderEpoch;
  replica.fetchState = 'idle';
  ctx.cancelTimer(`fetch:${replica.partition}`);
  replica.leso = replica.log.length;
  replica.pendingIsr = null;
  replica.parkedProduces = [];
  replica.parkedFetches = {};
  const now = ctx.now();
  replica.followers = {};
  for (const follower of meta.replicas) {
    if (follower === ctx.self) continue;
    replica.followers[follower] = {
      leo: -1,
      lastFetchTime: NEVER,
      lastCaughtUpTime: meta.isr.includes(follower) ? now : NEVER,
      leaderLeoAtLastFetch: -1,
      fetchedInEpoch: false,
    };
  }
  if (ctx.config.truncation === 'kip279' || ctx.config.truncation === 'onFetch')
    stampEpoch(replica, meta.leaderEpoch, ctx);
  ctx.annotate(
    `${ctx.self} leads p${replica.partition} in epoch ${meta.leaderEpoch} (LEO ${replica.log.length}, HW ${replica.hw})`,
  );
  maybeAdvanceHw(replica, ctx);
}

/** Leaving leadership: parked acks=all requests fail with NOT_LEADER_OR_FOLLOWER (§2.1 step 6). */
export function abandonLeadership(replica: Draft<Replica>, ctx: KafkaContext): void {
  for (const parked of replica.parkedProduces) {
    ctx.cancelTimer(produceTimer(replica.partition, parked));
    replyProduce(ctx, parked, replica.partition, parked.offset, 'NOT_LEADER_OR_FOLLOWER');
  }
  replica.parkedProduces = [];
  replica.parkedFetches = {};
  replica.followers = {};
  replica.pendingIsr = null;
}

/** A produce request as its reply needs it: who sent it, on which connection, and its correlation id. */
interface ProduceRequestRef {
  readonly from: NodeId;
  readonly connection: number;
  readonly requestId: number;
}

function replyProduce(
  ctx: KafkaContext,
  request: ProduceRequestRef,
  partition: number,
  offset: number,
  error?: ProduceError,
): void {
  const { from, connection, requestId } = request;
  ctx.send(from, { type: 'ProduceReply', partition, connection, requestId, offset, ...(error ? { error } : {}) });
}

function produceTimer(partition: number, request: ProduceRequestRef): `produce:${string}` {
  return `produce:${partition}:${request.from}:${request.connection}:${request.requestId}`;
}

function followerLeos(replica: Draft<Replica>): FollowerLeo[] {
  return Object.entries(replica.followers).map(([node, progress]) => ({
    node,
    leo: progress.leo,
    lastCaughtUpTime: progress.lastCaughtUpTime,
  }));
}

/** §2.3, then completes parked acks=all requests the new HW covers (§2.1 step 5). */
export function maybeAdvanceHw(replica: Draft<Replica>, ctx: KafkaContext): void {
  if (replica.role !== 'leader' || replica.meta === null) return;
  const rf = replica.meta.replicas.length;
  const next = nextHighWatermark({
    leaderLeo: replica.log.length,
    currentHw: replica.hw,
    maximalIsr: maximalIsr(replica),
    committedIsrSize: replica.meta.isr.length,
    followers: followerLeos(replica),
    now: ctx.now(),
    replicaLagTimeMaxMs: ctx.config.replicaLagTimeMaxMs,
    minIsrGate: ctx.config.hwNeedsMinIsr ? effectiveMinIsr(ctx.config, rf) : 0,
    fromAllKnownReplicas: ctx.bugs.has('hwFromAllReplicas'),
  });
  if (next <= replica.hw) return;
  replica.hw = next;
  if (replica.parkedProduces.length === 0) return;
  const enough = maximalIsr(replica).length >= effectiveMinIsr(ctx.config, rf);
  const remaining = [];
  for (const parked of replica.parkedProduces) {
    if (parked.requiredHw > replica.hw) {
      remaining.push(parked);
      continue;
    }
    ctx.cancelTimer(produceTimer(replica.partition, parked));
    replyProduce(
      ctx,
      parked,
      replica.partition,
      parked.offset,
      enough ? undefined : 'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
    );
  }
  replica.parkedProduces = remaining;
}

/** §2.1. */
export function handleProduce(
  state: Draft<BrokerState>,
  from: NodeId,
  msg: Extract<KafkaMessage, { type: 'Produce' }>,
  ctx: KafkaContext,
): void {
  const request: ProduceRequestRef = { from, connection: msg.connection, requestId: msg.requestId };
  const replica = state.replicas[msg.partition];
  if (!replica || replica.role !== 'leader' || replica.meta === null)
    return replyProduce(ctx, request, msg.partition, -1, 'NOT_LEADER_OR_FOLLOWER');
  const rf = replica.meta.replicas.length;
  if (msg.acks === 'all' && replica.meta.isr.length < effectiveMinIsr(ctx.config, rf)) {
    replica.notEnoughReplicas++;
    return replyProduce(ctx, request, msg.partition, -1, 'NOT_ENOUGH_REPLICAS');
  }
  let offset: number;
  const duplicate =
    msg.pid >= 0 && !ctx.bugs.has('idempotenceIgnoresSequence')
      ? replica.producers[String(msg.pid)]?.recent.find((batch) => batch.seq === msg.seq)
      : undefined;
  if (duplicate) {
    offset = duplicate.offset;
  } else {
    if (msg.pid >= 0 && !ctx.bugs.has('idempotenceIgnoresSequence')) {
      const expected = (replica.producers[String(msg.pid)]?.lastSeq ?? -1) + 1;
      if (msg.seq !== expected) return replyProduce(ctx, request, msg.partition, -1, 'OUT_OF_ORDER_SEQUENCE_NUMBER');
    }
    if (ctx.config.truncation === 'hw' || ctx.config.truncation === 'kip101')
      stampEpoch(replica, replica.leaderEpoch, ctx);
    offset = appendEntry(replica, { epoch: replica.leaderEpoch, id: msg.id, pid: msg.pid, seq: msg.seq }, ctx);
    completeParkedFetches(replica, ctx);
    maybeAdvanceHw(replica, ctx);
  }
  if (msg.acks === '0') return;
  if (msg.acks === '1' || replica.hw > offset) return replyProduce(ctx, request, msg.partition, offset);
  replica.parkedProduces.push({ ...request, requiredHw: offset + 1, offset });
  ctx.setTimer(produceTimer(msg.partition, request), ms(ctx.config.requestTimeoutMs));
}

/** A parked acks=all request past the producer's request timeout (§2.1 step 6). */
export function onProduceTimeout(state: Draft<BrokerState>, key: string, ctx: KafkaContext): void {
  const [partitionText, from, connectionText, requestText] = key.split(':');
  const replica = state.replicas[Number(partitionText)];
  if (!replica) return;
  const index = replica.parkedProduces.findIndex(
    (p) => p.from === from && p.connection === Number(connectionText) && p.requestId === Number(requestText),
  );
  if (index < 0) return;
  const [parked] = replica.parkedProduces.splice(index, 1);
  replyProduce(ctx, parked!, replica.partition, parked!.offset, 'REQUEST_TIMED_OUT');
}

function fetchError(
  ctx: KafkaContext,
  to: NodeId,
  msg: Extract<KafkaMessage, { type: 'Fetch' }>,
  error: 'NOT_LEADER_OR_FOLLOWER' | 'FENCED_LEADER_EPOCH' | 'UNKNOWN_LEADER_EPOCH' | 'OFFSET_OUT_OF_RANGE',
  replica?: Draft<Replica>,
): void {
  ctx.send(to, {
    type: 'FetchReply',
    partition: msg.partition,
    fetchId: msg.fetchId,
    leaderEpoch: msg.leaderEpoch,
    error,
    startOffset: msg.fetchOffset,
    entries: [],
    hw: replica?.hw ?? 0,
    leo: replica?.log.length ?? 0,
  });
}

/** §2.2, leader side. */
export function handleFetch(
  state: Draft<BrokerState>,
  from: NodeId,
  msg: Extract<KafkaMessage, { type: 'Fetch' }>,
  ctx: KafkaContext,
): void {
  const replica = state.replicas[msg.partition];
  if (!replica || replica.role !== 'leader') return fetchError(ctx, from, msg, 'NOT_LEADER_OR_FOLLOWER');
  if (msg.leaderEpoch < replica.leaderEpoch) return fetchError(ctx, from, msg, 'FENCED_LEADER_EPOCH', replica);
  if (msg.leaderEpoch > replica.leaderEpoch) return fetchError(ctx, from, msg, 'UNKNOWN_LEADER_EPOCH', replica);
  const progress = replica.followers[from];
  if (!progress) return fetchError(ctx, from, msg, 'NOT_LEADER_OR_FOLLOWER', replica);
  const leo = replica.log.length;
  if (ctx.config.truncation === 'onFetch' && msg.lastFetchedEpoch >= 0) {
    const end = endOffsetFor(replica.epochCache, leo, msg.lastFetchedEpoch);
    if (end.epoch < msg.lastFetchedEpoch || end.endOffset < msg.fetchOffset) {
      ctx.send(from, {
        type: 'FetchReply',
        partition: msg.partition,
        fetchId: msg.fetchId,
        leaderEpoch: replica.leaderEpoch,
        startOffset: msg.fetchOffset,
        entries: [],
        hw: replica.hw,
        leo,
        diverging: { epoch: end.epoch, endOffset: end.endOffset },
      });
      return;
    }
  }
  if (msg.fetchOffset > leo) return fetchError(ctx, from, msg, 'OFFSET_OUT_OF_RANGE', replica);
  const hwAtRead = replica.hw;
  const entries = replica.log.slice(msg.fetchOffset, msg.fetchOffset + ctx.config.replicaFetchMaxEntries);
  const now = ctx.now();
  if (msg.fetchOffset >= leo) progress.lastCaughtUpTime = now;
  else if (progress.leaderLeoAtLastFetch >= 0 && msg.fetchOffset >= progress.leaderLeoAtLastFetch)
    progress.lastCaughtUpTime = Math.max(progress.lastCaughtUpTime, progress.lastFetchTime);
  progress.leaderLeoAtLastFetch = leo;
  progress.lastFetchTime = now;
  progress.leo = msg.fetchOffset;
  progress.fetchedInEpoch = true;
  maybeExpandIsr(replica, from, state, ctx);
  maybeAdvanceHw(replica, ctx);
  if (entries.length === 0) {
    replica.parkedFetches[from] = { fetchId: msg.fetchId, fetchOffset: msg.fetchOffset };
    ctx.setTimer(`park:${msg.partition}:${from}`, ms(ctx.config.replicaFetchWaitMaxMs));
    return;
  }
  ctx.send(from, {
    type: 'FetchReply',
    partition: msg.partition,
    fetchId: msg.fetchId,
    leaderEpoch: replica.leaderEpoch,
    startOffset: msg.fetchOffset,
    entries,
    hw: hwAtRead,
    leo,
  });
}

/** A long poll ends early on new data (§2.2 step 6), re-reading the HW then. */
export function completeParkedFetches(replica: Draft<Replica>, ctx: KafkaContext): void {
  for (const [follower, parked] of Object.entries(replica.parkedFetches)) answerParked(replica, follower, parked, ctx);
  replica.parkedFetches = {};
}

function answerParked(
  replica: Draft<Replica>,
  follower: NodeId,
  parked: { fetchId: number; fetchOffset: number },
  ctx: KafkaContext,
): void {
  ctx.send(follower, {
    type: 'FetchReply',
    partition: replica.partition,
    fetchId: parked.fetchId,
    leaderEpoch: replica.leaderEpoch,
    startOffset: parked.fetchOffset,
    entries: replica.log.slice(parked.fetchOffset, parked.fetchOffset + ctx.config.replicaFetchMaxEntries),
    hw: replica.hw,
    leo: replica.log.length,
  });
}

export function onParkExpired(state: Draft<BrokerState>, key: string, ctx: KafkaContext): void {
  const [partitionText, follower] = key.split(':') as [string, string];
  const replica = state.replicas[Number(partitionText)];
  if (!replica || replica.role !== 'leader') return;
  const parked = replica.parkedFetches[follower];
  if (!parked) return;
  delete replica.parkedFetches[follower];
  answerParked(replica, follower, parked, ctx);
}

/** §3.4: the leader's answer to OffsetsForLeaderEpoch (an offset only before 2.0). */
export function handleOffsetsForLeaderEpoch(
  state: Draft<BrokerState>,
  from: NodeId,
  msg: Extract<KafkaMessage, { type: 'OffsetsForLeaderEpoch' }>,
  ctx: KafkaContext,
): void {
  const replica = state.replicas[msg.partition];
  const reply = (error: 'NOT_LEADER_OR_FOLLOWER' | 'FENCED_LEADER_EPOCH' | 'UNKNOWN_LEADER_EPOCH') =>
    ctx.send(from, {
      type: 'OffsetsForLeaderEpochReply',
      partition: msg.partition,
      fetchId: msg.fetchId,
      error,
      epoch: -1,
      endOffset: -1,
    });
  if (!replica || replica.role !== 'leader') return reply('NOT_LEADER_OR_FOLLOWER');
  if (msg.leaderEpoch < replica.leaderEpoch) return reply('FENCED_LEADER_EPOCH');
  if (msg.leaderEpoch > replica.leaderEpoch) return reply('UNKNOWN_LEADER_EPOCH');
  const lookup = ctx.config.truncation === 'kip101' ? endOffsetForKip101 : endOffsetFor;
  const end = lookup(replica.epochCache, replica.log.length, msg.epoch);
  ctx.send(from, {
    type: 'OffsetsForLeaderEpochReply',
    partition: msg.partition,
    fetchId: msg.fetchId,
    epoch: end.epoch,
    endOffset: end.endOffset,
  });
}

function proposeIsr(replica: Draft<Replica>, isr: NodeId[], state: Draft<BrokerState>, ctx: KafkaContext): void {
  if (replica.meta === null) return;
  const ordered = replica.meta.replicas.filter((r) => isr.includes(r));
  replica.pendingIsr = ordered;
  sendAlterPartition(replica, state, ctx);
}

function sendAlterPartition(replica: Draft<Replica>, state: Draft<BrokerState>, ctx: KafkaContext): void {
  if (replica.meta === null || replica.pendingIsr === null) return;
  ctx.send('c', {
    type: 'AlterPartition',
    partition: replica.partition,
    leaderEpoch: replica.leaderEpoch,
    partitionEpoch: replica.meta.partitionEpoch,
    isr: [...replica.pendingIsr],
    brokerEpoch: state.brokerEpoch,
  });
}

/** §2.6: checked on each fetch; one proposal in flight at a time. */
function maybeExpandIsr(replica: Draft<Replica>, follower: NodeId, state: Draft<BrokerState>, ctx: KafkaContext): void {
  if (replica.pendingIsr !== null || replica.meta === null || replica.meta.isr.includes(follower)) return;
  const progress = replica.followers[follower]!;
  if (!canJoinIsr(progress.leo, replica.hw, replica.leso, progress.fetchedInEpoch)) return;
  proposeIsr(replica, [...replica.meta.isr, follower], state, ctx);
}

/** §2.5: the periodic ISR check; a pending proposal is re-sent until the controller answers. */
export function onIsrCheck(state: Draft<BrokerState>, ctx: KafkaContext): void {
  const lag = ctx.config.replicaLagTimeMaxMs;
  ctx.setTimer('isrCheck', ms(ctx.config.isrLag === 'time' ? lag / 2 : lag));
  const now = ctx.now();
  for (const replica of Object.values(state.replicas)) {
    if (replica.role !== 'leader' || replica.meta === null) continue;
    if (replica.pendingIsr !== null) {
      sendAlterPartition(replica, state, ctx);
      continue;
    }
    const leo = replica.log.length;
    const outOfSync = replica.meta.isr.filter((member) => {
      if (member === ctx.self) return false;
      const progress = replica.followers[member];
      if (!progress) return false;
      return isOutOfSync(
        { node: member, leo: progress.leo, lastCaughtUpTime: progress.lastCaughtUpTime },
        leo,
        now,
        lag,
        ctx.config.isrLag,
        ctx.config.replicaLagMaxMessages,
      );
    });
    if (outOfSync.length === 0) continue;
    ctx.annotate(`p${replica.partition}: ${outOfSync.join(',')} out of sync`);
    proposeIsr(
      replica,
      replica.meta.isr.filter((member) => !outOfSync.includes(member)),
      state,
      ctx,
    );
  }
}
