import type { NodeId } from '@dsim/core';
import type { MutableState, RaftContext } from './context.ts';
import type { InstallSnapshot } from './messages.ts';
import { loadSnapshot, saveSnapshot, truncateEntries } from './persistence.ts';
import { commitTo } from './replication.ts';
import { lastIndex, termAt, type Progress, type SnapshotData } from './state.ts';

/**
 * Log compaction and InstallSnapshot (paper §7). Each node snapshots its own applied state once
 * enough entries pile up; a follower whose next entry was compacted away gets the snapshot.
 */

export function takeSnapshot(state: MutableState, index: number): SnapshotData {
  const term = termAt(state, index);
  if (term === undefined) throw new Error(`cannot snapshot at ${index}: its term is unknown`);
  return {
    index,
    term,
    kv: Object.keys(state.kv)
      .sort()
      .map((key) => [key, state.kv[key]!] as const),
    sessions: Object.keys(state.sessions)
      .sort()
      .map((client) => [client, { ...state.sessions[client]! }] as const),
  };
}

/** etcd's SnapshotCount: compact once `snapshotThresholdEntries` applied entries follow the last snapshot. */
export function maybeCompact(state: MutableState, ctx: RaftContext): void {
  const threshold = ctx.config.snapshotThresholdEntries;
  if (threshold <= 0 || state.appliedIndex - state.snapshotIndex < threshold) return;
  const snapshot = takeSnapshot(state, state.appliedIndex);
  // The entries it covers need no deleting: the log's durable part now starts after the snapshot.
  saveSnapshot(ctx.storage, snapshot);
  state.log.splice(0, snapshot.index - state.snapshotIndex);
  state.snapshotIndex = snapshot.index;
  state.snapshotTerm = snapshot.term;
}

export function sendSnapshot(state: MutableState, ctx: RaftContext, progress: Progress): void {
  const snapshot = loadSnapshot(ctx.storage);
  if (!snapshot || snapshot.index !== state.snapshotIndex)
    throw new Error(`${ctx.self} must send a snapshot to ${progress.id} but has none at ${state.snapshotIndex}`);
  ctx.annotate(`${ctx.self} sends snapshot ${snapshot.index}/${snapshot.term} to ${progress.id}`);
  ctx.send(progress.id, { type: 'InstallSnapshot', term: state.term, snapshot });
  progress.mode = 'snapshot';
  progress.next = snapshot.index + 1;
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
    commitTo(state, ctx, snapshot.index);
    return reply(state.commitIndex);
  }
  ctx.annotate(`${ctx.self} installs snapshot ${snapshot.index}/${snapshot.term} from ${from}`, {
    index: snapshot.index,
  });
  saveSnapshot(ctx.storage, snapshot);
  truncateEntries(ctx.storage, snapshot.index);
  state.log.splice(0);
  state.snapshotIndex = snapshot.index;
  state.snapshotTerm = snapshot.term;
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
