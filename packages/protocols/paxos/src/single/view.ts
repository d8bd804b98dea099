import type { NodeId, NodeView, ViewTone } from '@dsim/core';
import { formatBallot } from '../ballot.ts';
import type { PaxosState } from './state.ts';

/**
 * A single-decree node as the tools draw it: its ballot while it proposes, the acceptor's promise
 * and accepted proposal, and the learned value. The role names what the node is doing now.
 */
export function view(state: PaxosState, _node: NodeId): NodeView {
  const learnedTone: ViewTone = state.learned !== null ? 'good' : 'plain';
  return {
    role: roleOf(state),
    badges: [
      { label: 'ballot', value: formatBallot(state.ballot) },
      { label: 'promised', value: formatBallot(state.promised) },
      {
        label: 'accepted',
        value: state.accepted ? `${formatBallot(state.accepted.ballot)}:${state.accepted.value}` : '-',
      },
      { label: 'learned', value: state.learned ?? '-', tone: learnedTone },
    ],
    fields: [
      { label: 'phase', value: state.phase },
      { label: 'own value', value: state.input },
      { label: 'phase 2 value', value: state.value },
      { label: 'promises', value: state.promises.join(' ') },
      { label: 'rounds started', value: state.attempts },
      { label: 'nacks', value: state.nacks, tone: state.nacks > 0 ? 'warn' : 'plain' },
    ],
    tables: [
      {
        name: 'accepted messages heard',
        columns: ['proposal', 'acceptors'],
        rows: Object.keys(state.tallies)
          .sort()
          .map((key) => [key, state.tallies[key]!.join(' ')]),
      },
    ],
  };
}

/** 'learner' once done; otherwise what its proposer does, or 'acceptor'. */
export function roleOf(state: PaxosState): string {
  if (state.learned !== null) return 'learned';
  switch (state.phase) {
    case 'preparing':
      return 'proposer-phase1';
    case 'accepting':
      return 'proposer-phase2';
    case 'backoff':
      return 'backing-off';
    default:
      return 'acceptor';
  }
}
