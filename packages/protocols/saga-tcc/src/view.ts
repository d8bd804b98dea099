import type { NodeView, TableView, ViewEdge } from '@dsim/core';
import type { CoordinatorState, ParticipantState, TxnState } from './state.ts';

/**
 * A node as the tools draw it. The coordinator: each open global transaction's phase and which
 * branches have answered, with edges to the branches it waits on. A participant: its branches
 * (tried, confirmed, cancelled, empty-rolled-back, suspended; saga steps executed, compensated),
 * the frozen amounts, and the barrier's defences counted (empty rollbacks, refused late Tries).
 */
export function view(state: TxnState): NodeView {
  return state.role === 'coordinator' ? coordinatorView(state) : participantView(state);
}

function coordinatorView(state: CoordinatorState): NodeView {
  const rows: TableView['rows'][number][] = [];
  const edges: ViewEdge[] = [];
  for (const global of Object.values(state.tcc)) {
    const branches = global.branches.map((branch) => branch.participant);
    rows.push([
      `g${global.gid}`,
      global.phase,
      global.how,
      branches.map((p) => `${p}:${global.done.includes(p) ? 'done' : 'waiting'}`).join(' '),
      global.retries,
    ]);
    for (const p of branches)
      if (!global.done.includes(p))
        edges.push({
          to: p,
          kind: 'awaits',
          label: `${global.phase === 'trying' ? 'try' : global.phase === 'confirming' ? 'confirm' : 'cancel'} g${global.gid}`,
        });
  }
  for (const saga of Object.values(state.saga)) {
    rows.push([
      `g${saga.gid}`,
      saga.phase,
      `step ${saga.current + 1}/${saga.steps.length}`,
      saga.steps
        .map(
          (step, index) =>
            `${index + 1}@${step.participant}:${saga.status[index]}${saga.compensated[index] ? '↩' : ''}`,
        )
        .join(' '),
      saga.attempts,
    ]);
    const step = saga.steps[saga.current];
    if (step)
      edges.push({
        to: step.participant,
        kind: 'awaits',
        label: `${saga.phase === 'running' ? 'step' : 'compensate'} ${saga.current + 1} g${saga.gid}`,
      });
  }
  return {
    role: 'coordinator',
    badges: [
      { label: 'committed', value: state.committed, tone: 'good' },
      { label: 'rolled back', value: state.aborted, tone: state.aborted > 0 ? 'warn' : 'plain' },
    ],
    fields: [
      { label: 'next gid', value: state.nextGid },
      { label: 'phase-2 retries', value: state.phaseTwoRetries },
      { label: 'compensations sent', value: state.compensationsRun },
    ],
    tables: [{ name: 'global transactions', columns: ['gid', 'phase', 'detail', 'branches', 'retries'], rows }],
    edges,
  };
}

function participantView(state: ParticipantState): NodeView {
  const branches = Object.entries(state.branches);
  const frozen = Object.entries(state.frozen).filter(([, amount]) => amount !== 0);
  const frozenTotal = frozen.reduce((sum, [, amount]) => sum + amount, 0);
  const tried = branches.filter(([, branch]) => branch.status === 'tried').length;
  return {
    role: tried > 0 ? 'frozen' : 'participant',
    badges: [
      { label: 'frozen', value: frozenTotal, tone: frozenTotal !== 0 ? 'warn' : 'plain' },
      { label: 'empty rollbacks', value: state.emptyRollbacks, tone: state.emptyRollbacks > 0 ? 'warn' : 'plain' },
      { label: 'refused late', value: state.suspendedTries, tone: state.suspendedTries > 0 ? 'warn' : 'plain' },
    ],
    fields: [
      { label: 'duplicates ignored', value: state.duplicates },
      { label: 'fences cleaned', value: state.fencesCleaned },
      ...Object.entries(state.semanticLocks).map(([account, gid]) => ({
        label: `${account} pending`,
        value: `g${gid}`,
        tone: 'warn' as const,
      })),
      ...Object.entries(state.balances).map(([account, balance]) => ({
        label: account,
        value: state.frozen[account] ? `${balance} (${state.frozen[account]} frozen)` : balance,
      })),
    ],
    tables: [
      {
        name: 'branches',
        columns: ['branch', 'status', 'writes', 'since'],
        rows: branches.map(([key, branch]) => [
          key,
          branch.status,
          branch.writes.map((write) => `${write.account}${write.delta >= 0 ? '+' : ''}${write.delta}`).join(' '),
          branch.since,
        ]),
      },
    ],
    edges: [],
  };
}
