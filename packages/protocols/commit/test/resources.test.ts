import type { Draft } from '@dsim/core';
import { describe, expect, it } from 'vitest';
import { accountsOn, ownerOf, planTransfer } from '@dsim/commit';
import { applyWrites, releaseLocks, tryLock } from '../src/resources.ts';
import type { ParticipantState } from '../src/state.ts';

const participants = ['p1', 'p2', 'p3'];

function participantState(): Draft<ParticipantState> {
  const state: ParticipantState = {
    role: 'participant',
    protocol: '2pc',
    boot: 1,
    decisions: {},
    decisionLog: [],
    fanout: [],
    balances: { 'p1/a0': 100, 'p1/a1': 5 },
    locks: {},
    txs: {},
    blockedMicros: 0,
    blockedEpisodes: 0,
    terminationRounds: 0,
    backupDecisions: 0,
    committed: 0,
    aborted: 0,
  };
  return state as Draft<ParticipantState>;
}

describe('accounts', () => {
  it('are named <participant>/a<i> and owned by the participant before the last slash', () => {
    expect(accountsOn('p2', 3)).toEqual(['p2/a0', 'p2/a1', 'p2/a2']);
    expect(ownerOf('p2/a1')).toBe('p2');
    expect(ownerOf('rack/7/a0')).toBe('rack/7');
  });
});

describe('planTransfer', () => {
  it('splits a transfer with a fee into per-participant writes, in participant order', () => {
    expect(planTransfer({ from: 'p2/a0', to: 'p1/a1', amount: 10, fee: 1, feeTo: 'p3/a0' }, participants)).toEqual({
      participants: ['p1', 'p2', 'p3'],
      writes: [
        { participant: 'p1', writes: [{ account: 'p1/a1', delta: 10 }] },
        { participant: 'p2', writes: [{ account: 'p2/a0', delta: -11 }] },
        { participant: 'p3', writes: [{ account: 'p3/a0', delta: 1 }] },
      ],
    });
  });

  it('enlists only the participants a transfer touches', () => {
    const plan = planTransfer({ from: 'p1/a0', to: 'p1/a1', amount: 3 }, participants);
    expect(plan).toEqual({
      participants: ['p1'],
      writes: [
        {
          participant: 'p1',
          writes: [
            { account: 'p1/a0', delta: -3 },
            { account: 'p1/a1', delta: 3 },
          ],
        },
      ],
    });
  });

  it('rejects malformed transfers with a reason', () => {
    expect(planTransfer({ from: 'p1/a0', to: 'p1/a0', amount: 3 }, participants)).toBe(
      'from and to are the same account',
    );
    expect(planTransfer({ from: 'p1/a0', to: 'p2/a0', amount: 0 }, participants)).toMatch(/positive whole number/);
    expect(planTransfer({ from: 'p1/a0', to: 'p2/a0', amount: 1, fee: 2 }, participants)).toMatch(/feeTo/);
    expect(planTransfer({ from: 'p9/a0', to: 'p2/a0', amount: 1 }, participants)).toMatch(/belongs to no participant/);
  });
});

describe('locks and balances', () => {
  it('locks every account of a prepared transaction and refuses a second transaction on them (no-wait)', () => {
    const state = participantState();
    expect(tryLock(state, 1, [{ account: 'p1/a0', delta: -10 }])).toEqual({ ok: true });
    expect(state.locks).toEqual({ 'p1/a0': 1 });
    expect(tryLock(state, 2, [{ account: 'p1/a0', delta: 5 }])).toEqual({ ok: false, reason: 'p1/a0 locked by tx=1' });
    releaseLocks(state, 1, [{ account: 'p1/a0', delta: -10 }]);
    expect(state.locks).toEqual({});
    expect(tryLock(state, 2, [{ account: 'p1/a0', delta: 5 }])).toEqual({ ok: true });
  });

  it('votes NO on insufficient funds and on unknown accounts, taking no lock', () => {
    const state = participantState();
    expect(tryLock(state, 1, [{ account: 'p1/a1', delta: -6 }])).toEqual({
      ok: false,
      reason: 'insufficient funds in p1/a1',
    });
    expect(tryLock(state, 1, [{ account: 'p1/a9', delta: 1 }])).toEqual({ ok: false, reason: 'no account p1/a9' });
    expect(state.locks).toEqual({});
  });

  it('applies committed writes to the balances', () => {
    const state = participantState();
    applyWrites(state, [
      { account: 'p1/a0', delta: -10 },
      { account: 'p1/a1', delta: 10 },
    ]);
    expect(state.balances).toEqual({ 'p1/a0': 90, 'p1/a1': 15 });
  });
});
