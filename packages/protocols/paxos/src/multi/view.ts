import type { LogEntryView, NodeId, NodeView, ViewEdge } from '@dsim/core';
import { formatBallot } from '../ballot.ts';
import { describeCommand } from './messages.ts';
import { forEachSlot, slotGet } from './slots.ts';
import type { MultiPaxosState } from './state.ts';

/** How many slots a node shows: the newest ones. */
const SLOTS_SHOWN = 32;

/**
 * A Multi-Paxos replica as the tools draw it: its role and ballot, its promise, and the slot log:
 * per slot the chosen command (marked chosen) or the accepted one (coloured by the round it was
 * accepted in), with the commit and applied marks. A leader lists its in-flight slots.
 */
export function view(state: MultiPaxosState, node: NodeId): NodeView {
  let last = Math.max(state.commitIndex, state.highestAcceptedSlot);
  forEachSlot(state.chosen, last + 1, (slot) => (last = Math.max(last, slot)));
  const start = Math.max(1, last - SLOTS_SHOWN + 1);
  const entries: LogEntryView[] = [];
  for (let slot = start; slot <= last; slot++) {
    const chosen = slotGet(state.chosen, slot);
    const accepted = slotGet(state.accepted, slot);
    if (chosen !== undefined)
      entries.push({ label: describeCommand(chosen), term: accepted?.ballot.round, marks: ['chosen'] });
    else if (accepted !== undefined)
      entries.push({ label: describeCommand(accepted.command), term: accepted.ballot.round, marks: ['accepted'] });
    else entries.push({ label: '', marks: ['empty'] });
  }
  const edges: ViewEdge[] = [];
  if (state.role !== 'leader' && state.leader !== null && state.leader !== node)
    edges.push({ to: state.leader, kind: 'follows' });
  return {
    role: state.role,
    badges: [
      { label: 'ballot', value: formatBallot(state.ballot) },
      { label: 'promised', value: formatBallot(state.promised) },
      { label: 'commit', value: state.commitIndex },
    ],
    logs: [{ name: 'slots', start, entries, marks: { commit: state.commitIndex, applied: state.appliedIndex } }],
    fields: [
      { label: 'leader', value: state.leader },
      { label: 'commit index', value: state.commitIndex },
      { label: 'applied index', value: state.appliedIndex },
      { label: 'leader commit', value: state.leaderCommit },
      { label: 'recovered slots', value: state.recoveredSlots },
      { label: 'no-op fills', value: state.noopFills },
      { label: 'nacks', value: state.nacks, tone: state.nacks > 0 ? 'warn' : 'plain' },
    ],
    ...(state.role === 'leader'
      ? {
          tables: [
            {
              name: 'in flight',
              columns: ['slot', 'command', 'accepted by'],
              rows: Object.keys(state.inFlight).map((key) => {
                const proposal = state.inFlight[Number(key)]!;
                return [Number(key), describeCommand(proposal.command), proposal.acks.join(' ')];
              }),
            },
          ],
        }
      : {}),
    edges,
  };
}
