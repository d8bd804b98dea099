import type { LogView, NodeView, TableView, ViewEdge } from '@dsim/core';
import type { CommitState, CoordinatorState, DecisionRecord, ParticipantState } from './state.ts';

/** How many of the latest decisions a node's decision log shows. */
const DECISIONS_SHOWN = 12;

/**
 * A commit site as the tools draw it: what it decided and how (the decision log, newest last,
 * marked commit or abort), what it is waiting for (a table of open transactions, and edges to the
 * sites it waits on), and what blocking has cost a participant (locks held, time blocked).
 */
export function view(state: CommitState): NodeView {
  return state.role === 'coordinator' ? coordinatorView(state) : participantView(state);
}

function coordinatorView(state: CoordinatorState): NodeView {
  const open = Object.values(state.txs);
  const transactions: TableView = {
    name: 'transactions',
    columns: ['tx', 'phase', 'decision', 'votes', 'acks'],
    rows: open.map((tx) => [
      tx.tx,
      tx.phase,
      tx.decision,
      tx.participants.map((p) => `${p}:${tx.votes.find((vote) => vote.from === p)?.vote ?? '?'}`).join(' '),
      tx.acks.join(' '),
    ]),
  };
  const edges: ViewEdge[] = [];
  for (const tx of open) {
    if (tx.phase !== 'wait') continue;
    for (const p of tx.participants)
      if (!tx.votes.some((vote) => vote.from === p)) edges.push({ to: p, kind: 'awaits', label: `vote tx${tx.tx}` });
  }
  return {
    role: 'coordinator',
    badges: [
      { label: 'committed', value: state.committed, tone: 'good' },
      { label: 'aborted', value: state.aborted, tone: state.aborted > 0 ? 'warn' : 'plain' },
    ],
    logs: [decisionLog(state.decisionLog)],
    fields: [{ label: 'next transaction', value: state.nextTx }],
    tables: [transactions],
    edges,
  };
}

function participantView(state: ParticipantState): NodeView {
  const open = Object.values(state.txs);
  const blocked = open.filter((tx) => tx.blockedSince !== null);
  const backup = open.some((tx) => tx.backupAwaiting !== null);
  const role = blocked.length > 0 ? 'blocked' : backup ? 'backup' : open.length > 0 ? 'prepared' : 'participant';
  const inDoubt: TableView = {
    name: 'in doubt',
    columns: ['tx', 'phase', 'blocked since', 'termination rounds', 'recovered'],
    rows: open.map((tx) => [tx.tx, tx.phase, tx.blockedSince, tx.roundsRun, tx.recovered]),
  };
  const locks = Object.keys(state.locks).length;
  return {
    role,
    badges: [
      { label: 'locks', value: locks, tone: locks > 0 ? 'warn' : 'plain' },
      {
        label: 'blocked',
        value: `${Math.round(state.blockedMicros / 1000)}ms`,
        tone: blocked.length > 0 ? 'bad' : 'plain',
      },
    ],
    logs: [decisionLog(state.decisionLog)],
    fields: [
      { label: 'committed', value: state.committed, tone: 'good' },
      { label: 'aborted', value: state.aborted },
      { label: 'blocked episodes', value: state.blockedEpisodes },
      { label: 'termination rounds', value: state.terminationRounds },
      ...Object.entries(state.balances).map(([account, balance]) => ({ label: account, value: balance })),
    ],
    tables: [inDoubt],
    edges: open.map((tx) => ({
      to: tx.coordinator,
      kind: tx.blockedSince !== null ? 'blocked-on' : 'awaits',
      label: `decision tx${tx.tx}`,
    })),
  };
}

/** The latest decisions, oldest first: 'tx3 commit (votes)', marked with the decision. */
function decisionLog(records: readonly DecisionRecord[]): LogView {
  const start = Math.max(0, records.length - DECISIONS_SHOWN);
  return {
    name: 'decisions',
    start: start + 1,
    entries: records.slice(start).map((record) => ({
      label: `tx${record.tx} ${record.decision} (${record.how})`,
      marks: [record.decision === 'commit' ? 'committed' : 'aborted'],
    })),
  };
}
