import type { NodeId } from '@dsim/core';

/**
 * Pure building blocks of the replica log: the leader-epoch cache lookups (KAFKA.md §3.4,
 * `LeaderEpochFileCache.endOffsetFor`), the high-watermark rule (§2.3,
 * `Partition.maybeIncrementLeaderHW`) and the ISR membership tests (§2.5–2.6).
 */
export type EpochCache = ReadonlyArray<readonly [epoch: number, start: number]>;

export interface EpochEnd {
  /** -1 when the lookup is undefined. */
  readonly epoch: number;
  readonly endOffset: number;
}

export const UNDEFINED_EPOCH_END: EpochEnd = { epoch: -1, endOffset: -1 };

/**
 * The leader's answer for epoch `e` since KIP-279 (2.0+):
 * - `e` is the latest epoch: (e, LEO);
 * - else the largest epoch e' ≤ e: (e', start of the first epoch > e);
 * - no epoch ≤ e: (e, start of the first epoch > e).
 */
export function endOffsetFor(cache: EpochCache, leo: number, e: number): EpochEnd {
  if (cache.length === 0) return UNDEFINED_EPOCH_END;
  const latest = cache[cache.length - 1]!;
  if (e >= latest[0]) return { epoch: latest[0], endOffset: leo };
  let floor = -1;
  let nextStart = leo;
  for (let i = 0; i < cache.length; i++) {
    const [epoch, start] = cache[i]!;
    if (epoch <= e) floor = epoch;
    else {
      nextStart = start;
      break;
    }
  }
  return { epoch: floor === -1 ? e : floor, endOffset: nextStart };
}

/**
 * The leader's answer before 2.0 (KIP-101 alone): an offset only. The latest epoch gives the LEO;
 * an epoch with a later one gives the start of the first epoch above it; it is undefined when `e`
 * precedes the cache or no later epoch exists (the follower then falls back to its HW).
 */
export function endOffsetForKip101(cache: EpochCache, leo: number, e: number): EpochEnd {
  if (cache.length === 0) return UNDEFINED_EPOCH_END;
  const latest = cache[cache.length - 1]!;
  if (e === latest[0]) return { epoch: e, endOffset: leo };
  if (e < cache[0]![0] || e > latest[0]) return UNDEFINED_EPOCH_END;
  for (const [epoch, start] of cache) if (epoch > e) return { epoch: e, endOffset: start };
  return UNDEFINED_EPOCH_END;
}

/** The follower's own end of the largest epoch ≤ e (the same lookup on its own cache). */
export function ownEndOffsetFor(cache: EpochCache, leo: number, e: number): EpochEnd {
  let found = -1;
  let end = -1;
  for (let i = 0; i < cache.length; i++) {
    const [epoch] = cache[i]!;
    if (epoch > e) break;
    found = epoch;
    end = i + 1 < cache.length ? cache[i + 1]![1] : leo;
  }
  return found === -1 ? { epoch: -1, endOffset: 0 } : { epoch: found, endOffset: end };
}

/** Drops cache entries that start at or after `offset` (truncation, §3.4). */
export function truncateCache(cache: Array<[number, number]>, offset: number): void {
  while (cache.length > 0 && cache[cache.length - 1]![1] >= offset) cache.pop();
}

/** The last epoch in the cache, -1 when empty. */
export function latestEpoch(cache: EpochCache): number {
  return cache.length === 0 ? -1 : cache[cache.length - 1]![0];
}

export interface FollowerLeo {
  readonly node: NodeId;
  /** -1 when unknown (no fetch in this epoch yet). */
  readonly leo: number;
  readonly lastCaughtUpTime: number;
}

export interface HighWatermarkInput {
  readonly leaderLeo: number;
  readonly currentHw: number;
  /** The maximal ISR: the committed ISR plus a pending proposal's members (§2.5). */
  readonly maximalIsr: readonly NodeId[];
  readonly committedIsrSize: number;
  readonly followers: readonly FollowerLeo[];
  readonly now: number;
  readonly replicaLagTimeMaxMs: number;
  /** 3.7+: no advance while |ISR| < effective min ISR. */
  readonly minIsrGate: number;
  /** The `hwFromAllReplicas` bug: min over every replica whose LEO is known, ISR or not. */
  readonly fromAllKnownReplicas?: boolean;
}

/**
 * The leader's HW rule (§2.3): min LEO over the leader, every follower in the maximal ISR, and
 * every follower caught up within `replica.lag.time.max.ms` though not yet in the ISR. A required
 * follower whose LEO is unknown holds it still. It only moves forward.
 */
export function nextHighWatermark(input: HighWatermarkInput): number {
  if (input.committedIsrSize < input.minIsrGate) return input.currentHw;
  let candidate = input.leaderLeo;
  const lagMicros = input.replicaLagTimeMaxMs * 1000;
  for (const follower of input.followers) {
    if (input.fromAllKnownReplicas) {
      if (follower.leo >= 0) candidate = Math.min(candidate, follower.leo);
      continue;
    }
    const inIsr = input.maximalIsr.includes(follower.node);
    const caughtUp = follower.leo >= 0 && input.now - follower.lastCaughtUpTime <= lagMicros;
    if (!inIsr && !caughtUp) continue;
    if (follower.leo < 0) return input.currentHw;
    candidate = Math.min(candidate, follower.leo);
  }
  return Math.max(candidate, input.currentHw);
}

/**
 * An ISR follower is out of sync when its LEO differs from the leader's and it last caught up more
 * than `replica.lag.time.max.ms` ago (0.9+); 0.8.x also removed it when more than
 * `replica.lag.max.messages` behind at the check.
 */
export function isOutOfSync(
  follower: FollowerLeo,
  leaderLeo: number,
  now: number,
  lagTimeMs: number,
  lagMode: 'time' | 'count+time',
  lagMaxMessages: number,
): boolean {
  const knownLeo = Math.max(follower.leo, 0);
  if (lagMode === 'count+time' && leaderLeo - knownLeo > lagMaxMessages) return true;
  return follower.leo !== leaderLeo && now - follower.lastCaughtUpTime > lagTimeMs * 1000;
}

/** §2.6: LEO ≥ HW, LEO ≥ LESO, and a fetch in the current leader epoch. */
export function canJoinIsr(followerLeo: number, hw: number, leso: number, fetchedInEpoch: boolean): boolean {
  return fetchedInEpoch && followerLeo >= hw && followerLeo >= leso;
}
