import type { Draft } from '@dsim/core';
import type { KafkaContext } from './context.ts';
import { latestEpoch, truncateCache } from './log.ts';
import type { Entry } from './messages.ts';
import type { ProducerBatches, Replica } from './state.ts';

/**
 * A replica's log on its broker's storage: entries under `log<p>/<offset>`, the LEO, the epoch
 * cache (`leader-epoch-checkpoint`) and the HW checkpoint. Writes land in the page cache; the
 * broker's `flush` timer syncs them (Kafka leaves flushing to the OS, KAFKA.md §7).
 */
export function logFamily(partition: number): string {
  return `log${partition}`;
}

export function loadReplica(partition: number, ctx: KafkaContext): Replica {
  const storage = ctx.storage;
  const leo = storage.get<number>(`leo/${partition}`) ?? 0;
  const log: Entry[] = [];
  for (let offset = 0; offset < leo; offset++) {
    const entry = storage.get<Entry>(storage.keyAt(logFamily(partition), offset));
    if (entry === undefined) break;
    log.push(entry);
  }
  const epochCache = (storage.get<Array<[number, number]>>(`epochs/${partition}`) ?? []).filter(
    ([, start]) => start < log.length || log.length === 0,
  );
  const hw = Math.min(storage.get<number>(`hw/${partition}`) ?? 0, log.length);
  const replica: Replica = {
    partition,
    meta: null,
    role: 'offline',
    leaderEpoch: -1,
    log,
    hw,
    flushed: log.length,
    epochCache: log.length === 0 ? [] : epochCache,
    producers: {},
    leso: 0,
    followers: {},
    pendingIsr: null,
    parkedProduces: [],
    parkedFetches: {},
    fetchId: 0,
    fetchState: 'idle',
    syncedInEpoch: false,
    isrShrinks: 0,
    isrExpands: 0,
    notEnoughReplicas: 0,
    truncatedEntries: 0,
  };
  replica.producers = producersFromLog(log);
  return replica;
}

/** Producer dedupe state rebuilt from the log, as a follower or a restarted broker does (§1.3). */
export function producersFromLog(log: readonly Entry[]): Record<string, ProducerBatches> {
  const producers: Record<string, ProducerBatches> = {};
  for (let offset = 0; offset < log.length; offset++) recordBatch(producers, log[offset]!, offset);
  return producers;
}

export function recordBatch(producers: Record<string, ProducerBatches>, entry: Entry, offset: number): void {
  if (entry.pid < 0) return;
  const key = String(entry.pid);
  const batches = (producers[key] ??= { lastSeq: -1, recent: [] });
  batches.lastSeq = entry.seq;
  batches.recent.push({ seq: entry.seq, offset });
  if (batches.recent.length > 5) batches.recent.shift();
}

/** Appends one entry (leader or follower) and stamps the epoch cache at an epoch's first entry. */
export function appendEntry(replica: Draft<Replica>, entry: Entry, ctx: KafkaContext): number {
  const offset = replica.log.length;
  if (latestEpoch(replica.epochCache) < entry.epoch) {
    replica.epochCache.push([entry.epoch, offset]);
    ctx.storage.put(`epochs/${replica.partition}`, replica.epochCache);
  }
  replica.log.push(entry);
  recordBatch(replica.producers, entry, offset);
  ctx.storage.put(ctx.storage.keyAt(logFamily(replica.partition), offset), entry);
  ctx.storage.put(`leo/${replica.partition}`, replica.log.length);
  return offset;
}

/** Truncates to `offset` (exclusive end), dropping later epochs from the cache (§3.4). */
export function truncateTo(replica: Draft<Replica>, offset: number, ctx: KafkaContext): void {
  const end = replica.log.length;
  if (offset >= end) return;
  const target = Math.max(0, offset);
  for (let o = target; o < end; o++) ctx.storage.delete(ctx.storage.keyAt(logFamily(replica.partition), o));
  replica.log.length = target;
  truncateCache(replica.epochCache, target);
  replica.hw = Math.min(replica.hw, target);
  replica.flushed = Math.min(replica.flushed, target);
  replica.truncatedEntries += end - target;
  replica.producers = producersFromLog(replica.log as Entry[]);
  ctx.storage.put(`leo/${replica.partition}`, target);
  ctx.storage.put(`epochs/${replica.partition}`, replica.epochCache);
  ctx.annotate(`p${replica.partition}: truncated ${end - target} entries to offset ${target}`);
}

/** Records a leader epoch's start in the cache (on election since 2.1; at the first append before). */
export function stampEpoch(replica: Draft<Replica>, epoch: number, ctx: KafkaContext): void {
  if (latestEpoch(replica.epochCache) >= epoch) return;
  replica.epochCache.push([epoch, replica.log.length]);
  ctx.storage.put(`epochs/${replica.partition}`, replica.epochCache);
}
