import { applyViewDiff, type LogEntryView, type LogView, type NodeView, type TraceEvent } from '@dsim/core';
import { KIND, type TraceModel } from './trace-model.ts';

/**
 * Marks that promise an entry will never change: Raft's commit and applied indexes, Kafka's high
 * watermark, a chosen Paxos slot. An entry at or under one of them (and not itself marked
 * 'uncommitted', as Kafka marks offsets at the high watermark) is committed as far as its node knows.
 */
const COMMIT_MARKS = ['commit', 'applied', 'hw', 'chosen', 'committed'];

/** How a log is named across nodes: its name, or its position among the node's logs. */
export function logKey(log: LogView, position: number): string {
  return log.name ?? String(position);
}

/** The highest position under a commit-like mark, or -Infinity when the log has none. */
export function committedThrough(log: LogView): number {
  let through = -Infinity;
  const marks = log.marks;
  if (marks)
    for (const name of COMMIT_MARKS) if (marks[name] !== undefined && marks[name]! > through) through = marks[name]!;
  return through;
}

function isCommitted(log: LogView, index: number, entry: LogEntryView): boolean {
  return index <= committedThrough(log) && !(entry.marks ?? []).includes('uncommitted');
}

export function sameEntry(a: LogEntryView, b: LogEntryView): boolean {
  return a.label === b.label && a.term === b.term;
}

/** An entry a node had committed that later left its log or was replaced (Raft's Figure 8). */
export interface LostEntry {
  readonly log: string;
  readonly index: number;
  readonly was: LogEntryView;
  /** What the log holds there now, if anything. */
  readonly now: LogEntryView | undefined;
  readonly time: number;
}

/** Entries committed in `previous` that `next` no longer holds as they were. */
export function lostEntries(previous: NodeView | undefined, next: NodeView, time: number): LostEntry[] {
  const lost: LostEntry[] = [];
  const before = previous?.logs;
  if (!before || before === next.logs) return lost;
  before.forEach((log, position) => {
    const through = committedThrough(log);
    if (through === -Infinity) return;
    const after = next.logs?.[position];
    for (let k = 0; k < log.entries.length; k++) {
      const index = log.start + k;
      const entry = log.entries[k]!;
      if (!isCommitted(log, index, entry)) continue;
      // Entries sliding out of the window at the front are compaction, not loss.
      if (after && index < after.start) continue;
      const now = after?.entries[index - after.start];
      if (now === undefined || !sameEntry(now, entry))
        lost.push({ log: logKey(log, position), index, was: entry, now, time });
    }
  });
  return lost;
}

/** The first entry any node held committed at a position of a log, with who and when. */
export interface CommittedEntry {
  readonly entry: LogEntryView;
  readonly node: number;
  readonly time: number;
}

/** For each log (by key), the first committed entry seen at each index across all nodes. */
export type CommittedEntries = ReadonlyMap<string, ReadonlyMap<number, CommittedEntry>>;

const committedCache = new WeakMap<TraceModel, CommittedEntries>();

/**
 * What the cluster had committed, index by index, over the whole trace: a node whose log holds a
 * different entry at a committed index disagrees with a commitment (the Figure 8 conflict, seen
 * before it does harm). Built once per trace from the view lines.
 */
export function committedEntriesOf(model: TraceModel): CommittedEntries {
  const cached = committedCache.get(model);
  if (cached) return cached;
  const result = new Map<string, Map<number, CommittedEntry>>();
  const views: Array<NodeView | undefined> = model.nodes.map(() => undefined);
  const { kinds, nodeA, events, times } = model;
  for (let i = 0; i < kinds.length; i++) {
    const kind = kinds[i]!;
    const node = nodeA[i]!;
    if (node < 0) continue;
    if (kind === KIND.init) {
      if ((events[i] as Extract<TraceEvent, { k: 'init' }>).restart) views[node] = undefined;
      continue;
    }
    if (kind !== KIND.view) continue;
    const diff = events[i] as Extract<TraceEvent, { k: 'view' }>;
    // A diff that leaves the logs as they were commits nothing new (only the first sighting of
    // an index counts), and the views here are read for their logs only.
    if (diff.logs === undefined) continue;
    const view = applyViewDiff(views[node], diff);
    views[node] = view;
    view.logs?.forEach((log, position) => {
      const through = committedThrough(log);
      if (through === -Infinity) return;
      const key = logKey(log, position);
      let byIndex = result.get(key);
      for (let k = 0; k < log.entries.length && log.start + k <= through; k++) {
        const index = log.start + k;
        const entry = log.entries[k]!;
        if (!isCommitted(log, index, entry)) continue;
        if (!byIndex) result.set(key, (byIndex = new Map()));
        if (!byIndex.has(index)) byIndex.set(index, { entry, node, time: times[i]! });
      }
    });
  }
  committedCache.set(model, result);
  return result;
}
