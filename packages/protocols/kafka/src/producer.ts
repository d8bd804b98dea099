import type { Draft } from '@dsim/core';
import { ms, type KafkaContext } from './context.ts';
import type { KafkaMessage, ProduceError } from './messages.ts';
import type { PendingBatch, ProducerState } from './state.ts';

/**
 * A producer (KAFKA.md §1.3): one record per batch, sent to the leader its metadata names, with
 * `acks`, retries after `retry.backoff.ms` until `delivery.timeout.ms`, at most
 * `max.in.flight.requests.per.connection` requests per partition, and, with idempotence, a
 * producer id plus a per-partition sequence that the broker deduplicates. A restart is a new
 * producer id (its unsent records are gone).
 */
export function initProducer(ctx: KafkaContext): ProducerState {
  const incarnation = (ctx.storage.get<number>('incarnation') ?? 0) + 1;
  ctx.storage.put('incarnation', incarnation);
  ctx.storage.sync();
  const index = ctx.indexOf(ctx.self);
  ctx.send('c', { type: 'MetadataRequest' });
  ctx.setTimer('metadata', ms(1000));
  const schedule = ctx.config.producerScheduleMs;
  ctx.setTimer('produce', ms(schedule.length > 0 ? schedule[0]! : ctx.config.producerStartMs));
  const leaders: Record<number, string | null> = {};
  const nextSeq: Record<number, number> = {};
  for (let p = 0; p < ctx.config.partitions; p++) {
    leaders[p] = null;
    nextSeq[p] = 0;
  }
  return {
    kind: 'producer',
    incarnation,
    pid: ctx.config.enableIdempotence ? index * 1000 + incarnation : -1,
    nextRecord: 0,
    nextRequestId: 1,
    nextSeq,
    queue: [],
    leaders,
    metadataPending: true,
    acked: [],
    sentUnacknowledged: [],
    failed: [],
    errors: {},
  };
}

function recordCount(ctx: KafkaContext): number {
  const schedule = ctx.config.producerScheduleMs;
  return schedule.length > 0 ? schedule.length : ctx.config.producerRecords;
}

export function onProduceTimer(state: Draft<ProducerState>, ctx: KafkaContext): void {
  const schedule = ctx.config.producerScheduleMs;
  // Every record due now (a scripted burst lists the same time several times).
  do {
    if (state.nextRecord >= recordCount(ctx)) return;
    enqueueRecord(state, ctx);
  } while (schedule.length > 0 && schedule[state.nextRecord] === schedule[state.nextRecord - 1]);
  if (state.nextRecord < recordCount(ctx))
    ctx.setTimer(
      'produce',
      schedule.length > 0
        ? ms(schedule[state.nextRecord]! - schedule[state.nextRecord - 1]!)
        : ms(ctx.config.producerIntervalMs),
    );
  pump(state, ctx);
}

function enqueueRecord(state: Draft<ProducerState>, ctx: KafkaContext): void {
  const n = state.nextRecord++;
  const partition = n % ctx.config.partitions;
  const seq = state.nextSeq[partition]!;
  state.nextSeq[partition] = seq + 1;
  state.queue.push({
    id: `${ctx.self}.${state.incarnation}.${n}`,
    partition,
    pid: state.pid,
    seq,
    createdAt: ctx.now(),
    attempts: 0,
    status: 'queued',
    requestId: 0,
    retryAt: 0,
  });
}

/**
 * Metadata refresh every second while records are pending or a leader is unknown: it stands in for
 * the client noticing a dead connection (an acks=0 producer gets no error replies to learn from).
 */
export function onMetadataTimer(state: Draft<ProducerState>, ctx: KafkaContext): void {
  if (state.metadataPending || state.queue.length > 0 || ctx.config.acks === '0')
    ctx.send('c', { type: 'MetadataRequest' });
  ctx.setTimer('metadata', ms(1000));
}

function requestMetadata(state: Draft<ProducerState>, ctx: KafkaContext): void {
  if (state.metadataPending) return;
  state.metadataPending = true;
  ctx.send('c', { type: 'MetadataRequest' });
}

/**
 * Sends queued batches in order while fewer than max in flight are out. A batch waiting out its
 * backoff holds back the later ones (Kafka's accumulator re-enqueues a retried batch at the head),
 * so retries reorder only batches that were already in flight together (S8); idempotence then
 * refuses the overtaking batch with OUT_OF_ORDER_SEQUENCE_NUMBER.
 */
export function pump(state: Draft<ProducerState>, ctx: KafkaContext): void {
  const now = ctx.now();
  const config = ctx.config;
  let earliestRetry = Number.MAX_SAFE_INTEGER;
  for (let p = 0; p < config.partitions; p++) {
    const leader = state.leaders[p] ?? null;
    let inFlight = state.queue.filter((b) => b.partition === p && b.status === 'inflight').length;
    for (const batch of state.queue) {
      if (batch.partition !== p || batch.status !== 'queued') continue;
      if (now - batch.createdAt > ms(config.deliveryTimeoutMs)) {
        fail(state, batch, 'delivery timeout', ctx);
        continue;
      }
      if (batch.retryAt > now) {
        earliestRetry = Math.min(earliestRetry, batch.retryAt);
        break;
      }
      if (leader === null) {
        // No leader known: the metadata timer asks again (at most once a second, like
        // metadata.max.age's refresh backoff), so an offline partition does not become a storm.
        state.metadataPending = true;
        break;
      }
      if (inFlight >= config.maxInFlight) break;
      if (
        batch.attempts === 0 &&
        awaitsOlderProducerId(state.queue, batch) &&
        !ctx.bugs.has('producerSendsAcrossEpochs')
      )
        break;
      inFlight++;
      send(state, batch, leader, ctx);
    }
  }
  state.queue = state.queue.filter((b) => b.status !== 'queued' || !state.failed.includes(b.id));
  if (earliestRetry < Number.MAX_SAFE_INTEGER) ctx.setTimer('retry', Math.max(1, earliestRetry - now));
}

/**
 * After an epoch bump (here a new producer id), a batch never sent waits while batches sent under
 * an older id are still unresolved on its partition. Kafka's accumulator does the same
 * (`RecordAccumulator.shouldStopDrainBatchesForPartition`: "Don't drain any new batches while the
 * partition has in-flight batches with a different epoch and/or producer ID. Otherwise, a batch with
 * a new epoch and sequence number 0 could be written before earlier batches complete"), and bumps
 * only once the partition has nothing in flight (`TransactionManager.maybeResolveSequences`). The
 * broker keeps sequences per producer id, so it cannot order an old id's retry after a new id's
 * batches: only the producer can.
 */
function awaitsOlderProducerId(queue: readonly Draft<PendingBatch>[], batch: Draft<PendingBatch>): boolean {
  return queue.some((other) => other.partition === batch.partition && other.attempts > 0 && other.pid !== batch.pid);
}

function send(state: Draft<ProducerState>, batch: Draft<PendingBatch>, leader: string, ctx: KafkaContext): void {
  batch.attempts++;
  batch.requestId = state.nextRequestId++;
  ctx.send(leader, {
    type: 'Produce',
    partition: batch.partition,
    connection: state.incarnation,
    requestId: batch.requestId,
    acks: ctx.config.acks,
    id: batch.id,
    pid: batch.pid,
    seq: batch.seq,
  });
  if (ctx.config.acks === '0') {
    // No response and no retry: the record is "sent" (offset -1).
    state.sentUnacknowledged.push(batch.id);
    state.queue = state.queue.filter((b) => b.id !== batch.id);
    return;
  }
  batch.status = 'inflight';
  ctx.setTimer(`request:${batch.requestId}`, ms(ctx.config.requestTimeoutMs));
}

function fail(state: Draft<ProducerState>, batch: Draft<PendingBatch>, reason: string, ctx: KafkaContext): void {
  state.failed.push(batch.id);
  state.errors[reason] = (state.errors[reason] ?? 0) + 1;
  batch.status = 'queued';
  bumpEpoch(state, ctx);
}

/**
 * An idempotent producer whose batch expired leaves a gap in its sequence that every later batch
 * would hit (OUT_OF_ORDER_SEQUENCE_NUMBER). Kafka bumps the producer epoch and restarts the
 * partition's sequence at 0 (KIP-360); here the bump is a new producer id.
 */
function bumpEpoch(state: Draft<ProducerState>, ctx: KafkaContext): void {
  if (state.pid < 0) return;
  state.pid += 100_000;
  for (let p = 0; p < ctx.config.partitions; p++) {
    let seq = 0;
    for (const batch of state.queue)
      if (batch.partition === p && batch.attempts === 0) {
        batch.pid = state.pid;
        batch.seq = seq++;
      }
    state.nextSeq[p] = seq;
  }
}

function retryOrFail(state: Draft<ProducerState>, batch: Draft<PendingBatch>, error: string, ctx: KafkaContext): void {
  state.errors[error] = (state.errors[error] ?? 0) + 1;
  const now = ctx.now();
  const outOfOrder = error === 'OUT_OF_ORDER_SEQUENCE_NUMBER';
  if (
    (!outOfOrder && batch.attempts > ctx.config.retries) ||
    now - batch.createdAt > ms(ctx.config.deliveryTimeoutMs)
  ) {
    state.failed.push(batch.id);
    state.queue = state.queue.filter((b) => b.id !== batch.id);
    return;
  }
  batch.status = 'queued';
  batch.retryAt = now + ms(ctx.config.retryBackoffMs);
}

export function onRequestTimeout(state: Draft<ProducerState>, requestId: number, ctx: KafkaContext): void {
  const batch = state.queue.find((b) => b.status === 'inflight' && b.requestId === requestId);
  if (!batch) return;
  retryOrFail(state, batch, 'REQUEST_TIMED_OUT', ctx);
  requestMetadata(state, ctx);
  pump(state, ctx);
}

export function handleProducerMessage(state: Draft<ProducerState>, msg: KafkaMessage, ctx: KafkaContext): void {
  if (msg.type === 'MetadataReply') {
    state.metadataPending = false;
    for (const partition of msg.partitions) state.leaders[partition.partition] = partition.leader;
    return pump(state, ctx);
  }
  if (msg.type !== 'ProduceReply' || msg.connection !== state.incarnation) return;
  const batch = state.queue.find((b) => b.status === 'inflight' && b.requestId === msg.requestId);
  if (!batch) return;
  ctx.cancelTimer(`request:${msg.requestId}`);
  if (msg.error === undefined) {
    state.acked.push({ id: batch.id, partition: batch.partition, offset: msg.offset, acks: ctx.config.acks });
    state.queue = state.queue.filter((b) => b.id !== batch.id);
    return pump(state, ctx);
  }
  retryOrFail(state, batch, msg.error satisfies ProduceError, ctx);
  if (msg.error === 'NOT_LEADER_OR_FOLLOWER') {
    state.leaders[msg.partition] = null;
    requestMetadata(state, ctx);
  }
  pump(state, ctx);
}
