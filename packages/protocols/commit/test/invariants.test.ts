import { worldViewOf, type HandMadeWorld, type NodeId } from '@dsim/core';
import { atomicity, moneyConserved, validity } from '@dsim/commit';
import { describe, expect, it } from 'vitest';
import type { CommitState, DecisionRecord, ParticipantState } from '../src/state.ts';

/** A hand-built world: the invariants read states and up/down; the memory is per world object. */
function world(states: Record<NodeId, CommitState | undefined>, time = 0): HandMadeWorld<CommitState> {
  return worldViewOf(states, { time, config: { initialBalance: 100 } });
}

const coordinator = (log: DecisionRecord[], boot = 1): CommitState => ({
  role: 'coordinator',
  protocol: '2pc',
  boot,
  nextTx: 2,
  decisions: {},
  decisionLog: log,
  fanout: [],
  txs: {},
  committed: 0,
  aborted: 0,
});

const participant = (log: DecisionRecord[], extra: Partial<ParticipantState> = {}, boot = 1): CommitState => ({
  role: 'participant',
  protocol: '2pc',
  boot,
  decisions: {},
  decisionLog: log,
  fanout: [],
  balances: {},
  locks: {},
  txs: {},
  blockedMicros: 0,
  blockedEpisodes: 0,
  terminationRounds: 0,
  backupDecisions: 0,
  committed: 0,
  aborted: 0,
  ...extra,
});

const commitAt = (vote?: 'yes'): DecisionRecord => ({
  tx: 1,
  decision: 'commit',
  how: 'votes',
  participants: ['p1', 'p2'],
  ...(vote ? { vote } : {}),
});
const abortAt = (vote: 'yes' | 'no' | 'none'): DecisionRecord => ({
  tx: 1,
  decision: 'abort',
  how: 'coordinator',
  participants: ['p1', 'p2'],
  vote,
});

describe('atomicity', () => {
  it('holds while every site that decided agrees', () => {
    const view = world({
      c: coordinator([commitAt()]),
      p1: participant([commitAt('yes')]),
      p2: participant([commitAt('yes')]),
    });
    expect(view.check(atomicity)).toBe(true);
  });

  it('reports two sites deciding differently', () => {
    const view = world({
      c: coordinator([commitAt()]),
      p1: participant([commitAt('yes')]),
      p2: participant([abortAt('yes')]),
    });
    expect(view.check(atomicity)).toBe('c committed tx=1 but p2 aborted it');
  });

  it('remembers the decision of a site that crashed afterwards', () => {
    const view = world({ c: coordinator([commitAt()]), p1: participant([commitAt('yes')]), p2: participant([]) });
    expect(view.check(atomicity)).toBe(true);
    view.set('p1', undefined); // p1 crashes: its state is gone, its decision is not
    view.set('p2', participant([abortAt('yes')]));
    expect(view.check(atomicity)).toBe('c committed tx=1 but p2 aborted it');
  });

  it('reports a site that changes its decision across a restart', () => {
    const view = world({ c: coordinator([commitAt()]), p1: participant([]), p2: participant([]) });
    expect(view.check(atomicity)).toBe(true);
    view.set('c', coordinator([{ tx: 1, decision: 'abort', how: 'presumed-abort', participants: ['p1', 'p2'] }], 2));
    expect(view.check(atomicity)).toBe('c committed tx=1 and later aborted it: a decision is irrevocable');
  });
});

describe('validity', () => {
  it('holds when every participant voted YES before the commit', () => {
    const inDoubt = {
      tx: 1,
      coordinator: 'c',
      participants: ['p1', 'p2'],
      writes: [],
      phase: 'uncertain' as const,
      recovered: false,
      blockedSince: null,
      round: null,
      roundsRun: 0,
      backupAwaiting: null,
    };
    const view = world({
      c: coordinator([]),
      p1: participant([], { txs: { tx1: inDoubt } }),
      p2: participant([], { txs: { tx1: { ...inDoubt } } }),
    });
    expect(view.check(validity)).toBe(true);
    view.set('c', coordinator([commitAt()]));
    expect(view.check(validity)).toBe(true);
  });

  it('reports a commit without every YES', () => {
    const view = world({
      c: coordinator([commitAt()]),
      p1: participant([commitAt('yes')]),
      p2: participant([abortAt('no')]),
    });
    expect(view.check(validity)).toBe('c committed tx=1 but p2 never voted YES');
  });
});

describe('money-conserved', () => {
  it('checks the total only when nothing is in doubt', () => {
    const view = world({
      c: coordinator([]),
      p1: participant([], { balances: { 'p1/a0': 90 } }),
      p2: participant([], { balances: { 'p2/a0': 110 } }),
    });
    expect(view.check(moneyConserved)).toBe(true);
    view.set('p2', participant([], { balances: { 'p2/a0': 100 } }));
    expect(view.check(moneyConserved)).toBe('the balances add up to 190, not 200: money was created or destroyed');
  });
});
