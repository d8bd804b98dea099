import type { Draft } from '@dsim/core';
import { ms, type KafkaContext } from './context.ts';
import { latestEpoch, ownEndOffsetFor } from './log.ts';
import type { KafkaMessage, PartitionState } from './messages.ts';
import { appendEntry, truncateTo } from './replica-log.ts';
import type { BrokerState, Replica } from './state.ts';

/**
 * The follower's side (KAFKA.md §2.2, §3): on a new leader it truncates by the configured
 * generation, then fetches with its LEO; it appends what it gets and learns the HW from the
 * response, one fetch late (§2.4).
 */
export function becomeFollower(replica: Draft<Replica>, meta: PartitionState, ctx: KafkaContext): void {
  replica.role = 'follower';
  replica.leaderEpoch = meta.leaderEpoch;
  replica.syncedInEpoch = false;
  switch (ctx.config.truncation) {
    case 'hw':
      // Before 0.11 (`ReplicaManager.makeFollowers`): cut to the local HW, then fetch from there.
      truncateTo(replica, replica.hw, ctx);
      return sendFetch(replica, ctx);
    case 'kip101':
    case 'kip279':
      return askEpochEnd(replica, latestEpoch(replica.epochCache), ctx);
    case 'onFetch':
      return sendFetch(replica, ctx);
  }
}

function leaderOf(replica: Draft<Replica>): string | null {
  return replica.meta?.leader ?? null;
}

function askEpochEnd(replica: Draft<Replica>, epoch: number, ctx: KafkaContext): void {
  const leader = leaderOf(replica);
  if (epoch < 0 || leader === null) return sendFetch(replica, ctx);
  replica.fetchId++;
  replica.fetchState = 'truncating';
  ctx.send(leader, {
    type: 'OffsetsForLeaderEpoch',
    partition: replica.partition,
    fetchId: replica.fetchId,
    leaderEpoch: replica.leaderEpoch,
    epoch,
  });
  ctx.setTimer(`fetch:${replica.partition}`, ms(ctx.config.replicaSocketTimeoutMs));
}

export function sendFetch(replica: Draft<Replica>, ctx: KafkaContext): void {
  const leader = leaderOf(replica);
  if (replica.role !== 'follower' || leader === null) return;
  replica.fetchId++;
  replica.fetchState = 'fetching';
  const last = replica.log[replica.log.length - 1];
  ctx.send(leader, {
    type: 'Fetch',
    partition: replica.partition,
    fetchId: replica.fetchId,
    fetchOffset: replica.log.length,
    leaderEpoch: replica.leaderEpoch,
    lastFetchedEpoch: last ? last.epoch : -1,
  });
  ctx.setTimer(`fetch:${replica.partition}`, ms(ctx.config.replicaSocketTimeoutMs + ctx.config.replicaFetchWaitMaxMs));
}

function backoff(replica: Draft<Replica>, ctx: KafkaContext): void {
  replica.fetchState = 'backoff';
  ctx.setTimer(`fetch:${replica.partition}`, ms(ctx.config.replicaFetchBackoffMs));
}

/** The fetch timer: a timeout (no answer) or the end of a backoff. Truncation restarts from the top. */
export function onFetchTimer(state: Draft<BrokerState>, partition: number, ctx: KafkaContext): void {
  const replica = state.replicas[partition];
  if (!replica || replica.role !== 'follower' || replica.meta === null) return;
  if (replica.fetchState === 'truncating') return becomeFollower(replica, replica.meta, ctx);
  sendFetch(replica, ctx);
}

export function handleFetchReply(
  state: Draft<BrokerState>,
  msg: Extract<KafkaMessage, { type: 'FetchReply' }>,
  ctx: KafkaContext,
): void {
  const replica = state.replicas[msg.partition];
  if (!replica || replica.role !== 'follower' || msg.fetchId !== replica.fetchId || replica.fetchState !== 'fetching')
    return;
  if (msg.error === 'OFFSET_OUT_OF_RANGE') {
    // Kafka's follower resets to the leader's end when it is ahead of it.
    if (replica.log.length > msg.leo) truncateTo(replica, msg.leo, ctx);
    return sendFetch(replica, ctx);
  }
  if (msg.error) return backoff(replica, ctx);
  if (msg.diverging) {
    // 2.8+: truncate to min(divergingEpoch.endOffset, own end of the largest epoch ≤ it), refetch.
    const own = ownEndOffsetFor(replica.epochCache, replica.log.length, msg.diverging.epoch);
    truncateTo(replica, Math.min(msg.diverging.endOffset, own.endOffset), ctx);
    return sendFetch(replica, ctx);
  }
  if (msg.startOffset !== replica.log.length) return sendFetch(replica, ctx);
  for (const entry of msg.entries) appendEntry(replica, entry, ctx);
  // May go down (§2.2): a follower's HW is not monotonic.
  replica.hw = Math.min(msg.hw, replica.log.length);
  replica.syncedInEpoch = true;
  sendFetch(replica, ctx);
}

/** §3.4: the follower's truncation from the leader's answer (KIP-101 before 2.0, KIP-279 after). */
export function handleOffsetsForLeaderEpochReply(
  state: Draft<BrokerState>,
  msg: Extract<KafkaMessage, { type: 'OffsetsForLeaderEpochReply' }>,
  ctx: KafkaContext,
): void {
  const replica = state.replicas[msg.partition];
  if (!replica || replica.role !== 'follower' || msg.fetchId !== replica.fetchId || replica.fetchState !== 'truncating')
    return;
  if (msg.error) {
    replica.fetchState = 'truncating';
    ctx.setTimer(`fetch:${replica.partition}`, ms(ctx.config.replicaFetchBackoffMs));
    return;
  }
  const leo = replica.log.length;
  if (msg.endOffset < 0) {
    // Undefined: fall back to the HW (the pre-2.0 behaviour).
    truncateTo(replica, replica.hw, ctx);
    return sendFetch(replica, ctx);
  }
  if (ctx.config.truncation === 'kip101') {
    truncateTo(replica, Math.min(msg.endOffset, leo), ctx);
    return sendFetch(replica, ctx);
  }
  const own = ownEndOffsetFor(replica.epochCache, leo, msg.epoch);
  if (own.epoch === msg.epoch || own.epoch < 0) {
    truncateTo(replica, Math.min(msg.endOffset, own.endOffset, leo), ctx);
    return sendFetch(replica, ctx);
  }
  // KIP-279: the follower does not know the leader's epoch: cut to the end of its own largest
  // epoch below it and ask again with that epoch.
  truncateTo(replica, own.endOffset, ctx);
  askEpochEnd(replica, own.epoch, ctx);
}
