import type { Draft } from '@dsim/core';
import { ms, type KafkaContext } from './context.ts';
import type { KafkaMessage } from './messages.ts';
import type { ConsumerState } from './state.ts';

/**
 * A consumer (KAFKA.md §1.4, read_uncommitted): polls each partition from its position, at the
 * leader or (KIP-392) a follower, and records what it read with the serving replica's HW.
 * No group protocol: one consumer reads every partition.
 */
export function initConsumer(ctx: KafkaContext): ConsumerState {
  const positions: Record<number, number> = {};
  const fetchIds: Record<number, number> = {};
  const leaders: ConsumerState['leaders'] = {};
  for (let p = 0; p < ctx.config.partitions; p++) {
    positions[p] = 0;
    fetchIds[p] = 0;
    leaders[p] = null;
  }
  ctx.send('c', { type: 'MetadataRequest' });
  ctx.setTimer('poll', ms(ctx.config.consumerPollMs));
  ctx.setTimer('metadata', ms(5000));
  return { kind: 'consumer', positions, fetchIds, leaders, reads: [] };
}

export function onPoll(state: Draft<ConsumerState>, ctx: KafkaContext): void {
  ctx.setTimer('poll', ms(ctx.config.consumerPollMs));
  for (let p = 0; p < ctx.config.partitions; p++) {
    const meta = state.leaders[p];
    if (!meta || meta.leader === null) continue;
    const target =
      ctx.config.consumerReadsFrom === 'follower'
        ? (meta.replicas.find((r) => r !== meta.leader && meta.isr.includes(r)) ?? meta.leader)
        : meta.leader;
    state.fetchIds[p] = state.fetchIds[p]! + 1;
    ctx.send(target, { type: 'ConsumerFetch', partition: p, fetchId: state.fetchIds[p]!, offset: state.positions[p]! });
  }
}

export function onConsumerMetadataTimer(_state: Draft<ConsumerState>, ctx: KafkaContext): void {
  ctx.send('c', { type: 'MetadataRequest' });
  ctx.setTimer('metadata', ms(5000));
}

export function handleConsumerMessage(
  state: Draft<ConsumerState>,
  from: string,
  msg: KafkaMessage,
  ctx: KafkaContext,
): void {
  if (msg.type === 'MetadataReply') {
    for (const partition of msg.partitions)
      state.leaders[partition.partition] = {
        ...partition,
        replicas: [...partition.replicas],
        isr: [...partition.isr],
        elr: [...partition.elr],
      };
    return;
  }
  if (msg.type !== 'ConsumerFetchReply' || msg.fetchId !== state.fetchIds[msg.partition]) return;
  if (msg.error === 'OFFSET_OUT_OF_RANGE') {
    // auto.offset.reset = latest, as far as the serving replica knows.
    state.positions[msg.partition] = msg.hw;
    return;
  }
  if (msg.error) {
    ctx.send('c', { type: 'MetadataRequest' });
    return;
  }
  msg.ids.forEach((id, i) =>
    state.reads.push({ partition: msg.partition, offset: msg.offset + i, id, from, servedHw: msg.hw }),
  );
  state.positions[msg.partition] = msg.offset + msg.ids.length;
}
