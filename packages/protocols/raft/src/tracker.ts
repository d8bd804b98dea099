import type { NodeId } from '@dsim/core';

/**
 * The leader's view of one follower (etcd tracker.Progress), and the rules that move it between
 * its three states:
 * - probe: the leader does not know where the follower's log ends; it sends one AppendEntries
 *   and waits for its answer (or a heartbeat answer) before the next;
 * - replicate: the follower is known to match up to `match`; entries stream optimistically,
 *   at most `maxInflight` messages unacknowledged (etcd MaxInflightMsgs);
 * - snapshot: an InstallSnapshot is on its way; nothing else is sent until it is answered.
 */
export interface Progress {
  readonly id: NodeId;
  /** Next index to send. */
  next: number;
  /** Highest index known to match the leader's log. */
  match: number;
  mode: 'probe' | 'replicate' | 'snapshot';
  /** In probe mode: a message is in flight, so do not send another until we hear back. */
  paused: boolean;
  /** In replicate mode: the last index of each AppendEntries not yet acknowledged, oldest first (etcd Inflights). */
  inflight: number[];
  /** The configurations this follower votes in (quorum.ts VOTES_* bits); 0 for a learner. */
  votes: number;
  /** Heard from since the last CheckQuorum (etcd RecentActive). */
  recentActive: boolean;
  /** Highest ReadIndex context this follower acknowledged. */
  readAck: number;
  /** Leader-local send time of the newest heartbeat this follower acknowledged in this term (lease). */
  ackedSentAt: number | null;
}

/** A follower the leader knows nothing about yet: probe from the leader's next index (etcd becomeLeader). */
export function newProgress(id: NodeId, next: number, votes: number): Progress {
  return {
    id,
    next,
    match: 0,
    mode: 'probe',
    paused: false,
    inflight: [],
    votes,
    recentActive: false,
    readAck: 0,
    ackedSentAt: null,
  };
}

/** The progress record of `id`, if the leader has one. */
export function progressOf(all: readonly Progress[], id: NodeId): Progress | undefined {
  for (let i = 0; i < all.length; i++) if (all[i]!.id === id) return all[i];
  return undefined;
}

/**
 * etcd Progress.IsPaused: whether an AppendEntries may go out now. A probe waits for its answer, a
 * snapshot for its installation, and a stream stops at the in-flight limit (0 = no limit).
 */
export function isPaused(progress: Progress, maxInflight: number): boolean {
  if (progress.mode === 'snapshot') return true;
  if (progress.mode === 'probe') return progress.paused;
  return maxInflight > 0 && progress.inflight.length >= maxInflight;
}

/** Records an AppendEntries that carried entries up to `last` (etcd Progress.SentEntries). */
export function sentEntries(progress: Progress, last: number, count: number): void {
  if (progress.mode === 'replicate') {
    if (count > 0) {
      progress.next = last + 1;
      progress.inflight.push(last);
    }
  } else progress.paused = true;
}

/** etcd Progress.MaybeUpdate: an acknowledgement up to `index`; true when `match` advanced. */
export function maybeUpdate(progress: Progress, index: number): boolean {
  const advanced = index > progress.match;
  if (advanced) progress.match = index;
  if (progress.next < index + 1) progress.next = index + 1;
  freeInflightTo(progress, index);
  return advanced;
}

/**
 * etcd Inflights.FreeLE: messages whose entries end at or before `index` are acknowledged. The
 * rest move to the front in place: an acknowledgement arrives for nearly every AppendEntries, and
 * `splice` would build an array of the freed ones each time. The list is short (at most a few
 * messages), so moving its rest costs less than keeping a ring.
 */
function freeInflightTo(progress: Progress, index: number): void {
  const inflight = progress.inflight;
  const length = inflight.length;
  let freed = 0;
  while (freed < length && inflight[freed]! <= index) freed++;
  if (freed === 0) return;
  for (let i = freed; i < length; i++) inflight[i - freed] = inflight[i]!;
  // Shortened in place, as the list was moved.
  for (let i = 0; i < freed; i++) inflight.pop();
}

/** etcd Progress.BecomeReplicate: the follower matches up to `match`; stream from there. */
export function becomeReplicate(progress: Progress): void {
  progress.mode = 'replicate';
  progress.next = Math.max(progress.next, progress.match + 1);
  if (progress.inflight.length > 0) progress.inflight.length = 0;
}

/** etcd Progress.BecomeProbe: fall back to one message at a time, from after `match`. */
export function becomeProbe(progress: Progress): void {
  progress.mode = 'probe';
  progress.paused = false;
  if (progress.inflight.length > 0) progress.inflight.length = 0;
}

/** etcd Progress.BecomeSnapshot: an InstallSnapshot up to `index` is on its way. */
export function becomeSnapshot(progress: Progress, index: number): void {
  progress.mode = 'snapshot';
  progress.next = index + 1;
  if (progress.inflight.length > 0) progress.inflight.length = 0;
}

/**
 * etcd Progress.MaybeDecrTo: a rejection of the AppendEntries at `rejected`, with the follower's
 * hint. In replicate mode a rejection at or below `match` is stale (a reordered or duplicated
 * answer); otherwise fall back to `match + 1`. In probe mode only the answer to the probe in
 * flight counts; the hint jumps over the conflicting term. True when `next` moved.
 */
export function maybeDecreaseNext(progress: Progress, rejected: number, hint: number): boolean {
  if (progress.mode === 'snapshot') return false;
  if (progress.mode === 'replicate') {
    if (rejected <= progress.match) return false;
    progress.next = progress.match + 1;
    return true;
  }
  if (progress.next - 1 !== rejected) return false;
  progress.next = Math.max(Math.min(rejected, hint + 1), progress.match + 1);
  progress.paused = false;
  return true;
}
