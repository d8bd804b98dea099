import type { LogEntryView, NodeId, NodeView, ViewEdge } from '@dsim/core';
import { describeKvOp } from '@dsim/services';
import { describeMembership, isJoint } from './membership.ts';
import { VOTES_INCOMING, VOTES_OUTGOING } from './quorum.ts';
import { lastIndex, type Entry, type RaftState } from './state.ts';

/** How many of the newest log entries a node shows. */
const ENTRIES_SHOWN = 32;

/**
 * A Raft server as the tools draw it: its term and role, the tail of its log with the commit and
 * applied marks (each entry coloured by its term, so an entry overwritten by another term shows),
 * and whom it follows or votes for. A leader's table lists each follower's progress (etcd's
 * tracker: match, next and mode).
 */
export function view(state: RaftState, node: NodeId): NodeView {
  const last = lastIndex(state);
  const start = Math.max(state.snapshotIndex + 1, last - ENTRIES_SHOWN + 1);
  const entries: LogEntryView[] = [];
  for (let index = start; index <= last; index++) {
    const entry = state.log[index - state.snapshotIndex - 1]!;
    entries.push({ label: entryLabel(entry), term: entry.term });
  }
  const edges: ViewEdge[] = [];
  if (state.role !== 'leader' && state.leader !== null && state.leader !== node)
    edges.push({ to: state.leader, kind: 'follows' });
  if (state.vote !== null && state.vote !== node && state.role !== 'leader')
    edges.push({ to: state.vote, kind: 'votes-for', label: `term ${state.term}` });
  return {
    role: state.role,
    badges: [
      { label: 'term', value: state.term },
      { label: 'commit', value: state.commitIndex },
    ],
    logs: [{ start, entries, marks: { commit: state.commitIndex, applied: state.appliedIndex } }],
    fields: [
      { label: 'voted for', value: state.vote },
      { label: 'leader', value: state.leader },
      { label: 'last index', value: last },
      // The end of the log's stable part: entries after it are written but not yet on disk.
      { label: 'stable index', value: state.unstableOffset - 1 },
      { label: 'commit index', value: state.commitIndex },
      { label: 'applied index', value: state.appliedIndex },
      { label: 'snapshot index', value: state.snapshotIndex },
      // The configuration in force (the latest in the log, committed or not), and whether it is.
      { label: 'voters', value: state.membership.voters.join(' ') },
      ...(isJoint(state.membership)
        ? [{ label: 'joint: outgoing voters', value: state.membership.outgoing.join(' '), tone: 'warn' as const }]
        : []),
      ...(state.membership.learners.length > 0
        ? [{ label: 'learners', value: state.membership.learners.join(' ') }]
        : []),
      {
        label: 'configuration',
        value:
          state.membershipIndex === 0
            ? 'initial'
            : `entry ${state.membershipIndex}${state.membershipIndex <= state.commitIndex ? ' (committed)' : ' (uncommitted)'}`,
      },
    ],
    ...(state.role === 'leader'
      ? {
          tables: [
            {
              name: 'progress',
              columns: ['follower', 'match', 'next', 'mode', 'active', 'votes'],
              rows: state.progress.map((p) => [
                p.id,
                p.match,
                p.next,
                p.mode,
                p.recentActive,
                votesLabel(p.votes, isJoint(state.membership)),
              ]),
            },
          ],
        }
      : {}),
    edges,
  };
}

/** 'noop', 'put x=1', 'cas x 1→2', 'get x', 'transfer→n2'. */
function entryLabel(entry: Entry): string {
  const op = entry.op;
  if (entry.kind === 'noop') return 'noop';
  if (entry.kind === 'config' || op === undefined)
    return entry.membership ? describeMembership(entry.membership) : 'config';
  if (op.f === 'transfer') return `transfer→${op.value}`;
  if (op.f === 'conf') return 'conf';
  return describeKvOp(op);
}

/** 'voter' or 'learner', or in a joint configuration which halves the follower votes in. */
function votesLabel(votes: number, joint: boolean): string {
  if (votes === 0) return 'learner';
  if (!joint) return 'voter';
  if (votes === (VOTES_INCOMING | VOTES_OUTGOING)) return 'both halves';
  return votes === VOTES_INCOMING ? 'new half only' : 'old half only';
}
