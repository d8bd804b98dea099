import type { NodeId } from '@dsim/core';
import type { MutableState, RaftContext } from './context.ts';
import type { InstallSnapshot } from './messages.ts';
import { loadSnapshot, saveSnapshot, truncateEntries } from './persistence.ts';
import { commitTo } from './commit.ts';
import { compactTo, resetTo, termAt } from './log.ts';
import type { Membership } from './membership.ts';
import { initialMembership, membershipFromLog, setMembership } from './membership-state.ts';
import type { SnapshotData } from './state.ts';
import { becomeSnapshot, type Progress } from './tracker.ts';

/**
 * Log compaction and InstallSnapshot (paper §7). Each node snapshots its own applied state once
 * enough entries pile up; a follower whose next entry was compacted away gets the snapshot.
 */

export function takeSnapshot(state: MutableState, ctx: RaftContext, index: number): SnapshotData {
  const term = termAt(state, index);
  if (term === undefined) throw new Error(`cannot snapshot at ${index}: its term is unknown`);
  const inForce = membershipAt(state, ctx, index);
  return {
    index,
    term,
    kv: Object.keys(state.kv)
      .sort()
      .map((key) => [key, state.kv[key]!] as const),
    sessions: Object.keys(state.sessions)
      .sort()
      .map((client) => [client, { ...state.sessions[client]! }] as const),
    // The initial configuration goes without saying (every node derives it from the scenario).
    ...(inForce.index > 0 ? { membership: inForce.membership, membershipIndex: inForce.index } : {}),
  };
}

/** The configuration in force at `index` (≤ the last entry): the latest configuration entry at or before it. */
function membershipAt(state: MutableState, ctx: RaftContext, index: number): { membership: Membership; index: number } {
  if (state.membershipIndex <= index) return { membership: state.membership, index: state.membershipIndex };
  return membershipFromLog(
    { log: state.log.slice(0, index - state.snapshotIndex), snapshotIndex: state.snapshotIndex },
    loadSnapshot(ctx.storage),
    ctx,
  );
}

/** etcd's SnapshotCount: compact once `snapshotThresholdEntries` applied entries follow the last snapshot. */
export function maybeCompact(state: MutableState, ctx: RaftContext): void {
  const threshold = ctx.config.snapshotThresholdEntries;
  if (threshold <= 0 || state.appliedIndex - state.snapshotIndex < threshold) return;
  const snapshot = takeSnapshot(state, ctx, state.appliedIndex);
  // The entries it covers need no deleting: the log's durable part now starts after the snapshot.
  saveSnapshot(ctx.storage, snapshot);
  compactTo(state, snapshot.index, snapshot.term);
}

export function sendSnapshot(state: MutableState, ctx: RaftContext, progress: Progress): void {
  const snapshot = loadSnapshot(ctx.storage);
  if (!snapshot || snapshot.index !== state.snapshotIndex)
    throw new Error(`${ctx.self} must send a snapshot to ${progress.id} but has none at ${state.snapshotIndex}`);
  ctx.annotate(`${ctx.self} sends snapshot ${snapshot.index}/${snapshot.term} to ${progress.id}`);
  ctx.send(progress.id, { type: 'InstallSnapshot', term: state.term, snapshot });
  becomeSnapshot(progress, snapshot.index);
}

/** The follower side (paper Figure 13; etcd raft.restore). */
export function handleInstallSnapshot(state: MutableState, ctx: RaftContext, from: NodeId, msg: InstallSnapshot): void {
  const snapshot = msg.snapshot;
  const reply = (index: number) => {
    ctx.storage.sync();
    ctx.send(from, {
      type: 'AppendEntriesResponse',
      term: state.term,
      index,
      reject: false,
      hintIndex: 0,
      hintTerm: 0,
    });
  };
  if (snapshot.index <= state.commitIndex) return reply(state.commitIndex);
  if (termAt(state, snapshot.index) === snapshot.term) {
    // We hold the snapshot's last entry, so our log already contains what it covers: just commit.
    commitTo(state, snapshot.index);
    return reply(state.commitIndex);
  }
  ctx.annotate(`${ctx.self} installs snapshot ${snapshot.index}/${snapshot.term} from ${from}`, {
    index: snapshot.index,
  });
  saveSnapshot(ctx.storage, snapshot);
  truncateEntries(ctx.storage, snapshot.index);
  resetTo(state, snapshot.index, snapshot.term);
  setMembership(state, snapshot.membership ?? initialMembership(ctx), snapshot.membershipIndex ?? 0);
  state.commitIndex = snapshot.index;
  state.appliedIndex = snapshot.index;
  state.kv = restoreRecord(snapshot.kv);
  state.sessions = restoreRecord(snapshot.sessions.map(([client, session]) => [client, { ...session }] as const));
  reply(snapshot.index);
}

export function restoreRecord<V>(pairs: ReadonlyArray<readonly [string, V]>): Record<string, V> {
  const record: Record<string, V> = {};
  for (const [key, value] of pairs) record[key] = value;
  return record;
}
