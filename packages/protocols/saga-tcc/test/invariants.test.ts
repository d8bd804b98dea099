import { runScenario, worldViewOf, type HandMadeWorld, type Invariant, type NodeId } from '@dsim/core';
import {
  compensationRules,
  dirtyRead,
  fuzzyRead,
  lostUpdate,
  emptyRollbackChangesNothing,
  idempotentPhaseTwo,
  moneyConserved,
  noHangingTry,
  noOverdraft,
  sagaProtocol,
  semanticAtomicity,
  type BranchEffect,
  type TxnState,
} from '@dsim/saga-tcc';
import { describe, expect, it } from 'vitest';
import type { CoordinatorState, GlobalOutcome, ParticipantState } from '../src/state.ts';

function world(states: Record<NodeId, TxnState | undefined>): HandMadeWorld<TxnState> {
  return worldViewOf(states, { config: { initialBalance: 100 } });
}

const coordinator = (ended: GlobalOutcome[] = [], boot = 1): TxnState => ({
  role: 'coordinator',
  protocol: 'tcc',
  boot,
  nextGid: 2,
  tcc: {},
  saga: {},
  ended,
  committed: 0,
  aborted: 0,
  phaseTwoRetries: 0,
  compensationsRun: 0,
});

const participant = (effects: BranchEffect[], extra: Partial<ParticipantState> = {}, boot = 1): TxnState => ({
  role: 'participant',
  protocol: 'tcc',
  boot,
  balances: { 'p/a0': 100 },
  frozen: { 'p/a0': 0 },
  branches: {},
  barrier: {},
  semanticLocks: {},
  outbox: {},
  effects,
  emptyRollbacks: 0,
  suspendedTries: 0,
  duplicates: 0,
  fencesCleaned: 0,
  ...extra,
});

const effect = (action: BranchEffect['action'], changed = true, outcome: 'ok' | 'fail' = 'ok'): BranchEffect => ({
  gid: 1,
  action,
  outcome,
  changed,
  reason: changed ? 'done' : 'empty-rollback',
});

describe('compensation (the checkCompensation rules, as the run goes)', () => {
  it('holds for Try then Confirm, and for an empty rollback followed by a refused Try', () => {
    expect(
      world({ c: coordinator(), p1: participant([effect('try'), effect('confirm')]) }).check(compensationRules),
    ).toBe(true);
    const refused = { ...effect('try', false, 'fail'), reason: 'suspended' as const };
    expect(
      world({ c: coordinator(), p1: participant([effect('cancel', false), refused]) }).check(compensationRules),
    ).toBe(true);
  });

  it('reports a Confirm without a Try, a Try after Cancel, a changing empty rollback, a Confirm applied twice', () => {
    const check = (effects: BranchEffect[], invariant: typeof compensationRules) =>
      world({ c: coordinator(), p1: participant(effects) }).check(invariant) as string;
    expect(check([effect('confirm')], compensationRules)).toMatch(
      /^confirm-without-try: g1: p1 confirmed without a successful Try/,
    );
    expect(check([effect('cancel', false), effect('try')], noHangingTry)).toMatch(/^try-after-cancel: g1: p1 reserved/);
    expect(check([effect('cancel')], emptyRollbackChangesNothing)).toMatch(
      /^empty-rollback-changed: g1: p1 cancelled without a successful Try/,
    );
    expect(check([effect('try'), effect('confirm'), effect('confirm')], idempotentPhaseTwo)).toMatch(
      /^applied-twice: g1: p1 applied its confirm twice/,
    );
    // Each anomaly is reported by its own invariant only.
    expect(check([effect('cancel')], compensationRules)).toBe(true);
  });

  it('remembers what a participant did before it crashed and restarted with a fresh effect log', () => {
    const view = world({ c: coordinator(), p1: participant([effect('try'), effect('cancel')]) });
    expect(view.check(compensationRules)).toBe(true);
    view.set('p1', undefined);
    view.set('p1', participant([effect('try')], {}, 2));
    expect(view.check(noHangingTry)).toMatch(/^try-after-cancel/);
  });

  it('reports a freeze still held when the coordinator ends the transaction', () => {
    const tried = { gid: 1, writes: [{ account: 'p/a0', delta: -5 }], status: 'tried' as const, since: 0 };
    const view = world({
      c: coordinator(),
      p1: participant([effect('try')], { branches: { g1: tried }, frozen: { 'p/a0': 5 } }),
    });
    expect(view.check(noHangingTry)).toBe(true);
    view.set('c', coordinator([{ gid: 1, outcome: 'cancelled', participants: ['p1'] }]));
    expect(view.check(noHangingTry)).toBe('frozen-after-end: p1 still holds the freeze of g=1, which ended cancelled');
  });
});

describe('money and freezes', () => {
  it('no-overdraft reports a negative frozen amount (a release without a reservation)', () => {
    expect(world({ c: coordinator(), p1: participant([], { frozen: { 'p/a0': -5 } }) }).check(noOverdraft)).toBe(
      'p/a0 has a negative frozen amount -5: a release without a reservation',
    );
  });

  it('money-conserved compares the balances with the opening total once nothing is open', () => {
    expect(world({ c: coordinator(), p1: participant([]) }).check(moneyConserved)).toBe(true);
    expect(world({ c: coordinator(), p1: participant([], { balances: { 'p/a0': 89 } }) }).check(moneyConserved)).toBe(
      'the balances add up to 89, not 100: money was created or destroyed',
    );
  });
});

/**
 * What an invariant reports on a fresh hand-made world, with the nodes it names (HandMadeWorld's
 * `check` gives the message only): its run memory observes the whole world once, then it checks.
 */
function report(view: HandMadeWorld<TxnState>, invariant: Invariant<TxnState>) {
  const memory: unknown = invariant.memory?.create(view);
  invariant.memory?.observe(memory, view, { node: undefined });
  return invariant.check(view, memory);
}

describe('violations name the nodes involved', () => {
  it('a broken branch rule names the participant that broke it', () => {
    const view = world({ c: coordinator(), p1: participant([]), p2: participant([effect('confirm')]) });
    expect(report(view, compensationRules)).toEqual({
      message: 'confirm-without-try: g1: p2 confirmed without a successful Try',
      nodes: ['p2'],
    });
  });

  it('a freeze outliving its transaction names the participant holding it', () => {
    const tried = { gid: 1, writes: [{ account: 'p/a0', delta: -5 }], status: 'tried' as const, since: 0 };
    const view = world({
      c: coordinator([{ gid: 1, outcome: 'cancelled', participants: ['p1', 'p2'] }]),
      p1: participant([]),
      p2: participant([effect('try')], { branches: { g1: tried }, frozen: { 'p/a0': 5 } }),
    });
    expect(report(view, noHangingTry)).toEqual({
      message: 'frozen-after-end: p2 still holds the freeze of g=1, which ended cancelled',
      nodes: ['p2'],
    });
  });

  it('an overdrawn account names the participant that holds it', () => {
    const view = world({ c: coordinator(), p1: participant([]), p2: participant([], { balances: { 'p/a0': -1 } }) });
    expect(report(view, noOverdraft)).toEqual({ message: 'p/a0 is overdrawn: -1', nodes: ['p2'] });
  });

  it('a transaction that ended half applied names every participant in it', () => {
    const view = world({
      c: coordinator([{ gid: 1, outcome: 'confirmed', participants: ['p1', 'p2'] }]),
      p1: participant([effect('try'), effect('confirm')]),
      p2: participant([effect('try'), effect('cancel')]),
      p3: participant([]),
    });
    expect(report(view, semanticAtomicity)).toEqual({
      message: expect.stringContaining('[atomicity] g1 ended half applied: p1 applied but p2 compensated'),
      nodes: ['p1', 'p2'],
    });
  });

  it("each saga isolation anomaly names the participant holding the shared account (p2's p2/a0)", () => {
    for (const scenario of [lostUpdate, dirtyRead, fuzzyRead]) {
      const { violations } = runScenario(
        { ...scenario, name: 'anomaly', protocol: sagaProtocol },
        {},
        { trace: 'off', stateMode: 'mutable' },
      );
      expect(violations[0]).toMatchObject({ message: expect.stringMatching(/ p2\/a0/), nodes: ['p2'] });
    }
  });
});
