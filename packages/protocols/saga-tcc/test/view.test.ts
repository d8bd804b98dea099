import { describe, expect, it } from 'vitest';
import type { CoordinatorState, ParticipantState } from '../src/state.ts';
import { view } from '../src/view.ts';

describe('view', () => {
  it('a participant shows its branch states, frozen amounts and the barrier work', () => {
    const state: ParticipantState = {
      role: 'participant',
      protocol: 'tcc',
      boot: 1,
      balances: { 'p1/a0': 100, 'p1/a1': 90 },
      frozen: { 'p1/a0': 11, 'p1/a1': 0 },
      branches: {
        g1: { gid: 1, writes: [{ account: 'p1/a0', delta: -11 }], status: 'tried', since: 4_000 },
        g2: { gid: 2, writes: [{ account: 'p1/a1', delta: 5 }], status: 'suspended', since: 9_000 },
      },
      barrier: { 'g1|try': true, 'g2|try': true, 'g2|cancel': true },
      semanticLocks: {},
      outbox: {},
      effects: [],
      emptyRollbacks: 1,
      suspendedTries: 1,
      duplicates: 0,
      fencesCleaned: 0,
    };
    const drawn = view(state);
    expect(drawn.role).toBe('frozen');
    expect(drawn.badges).toContainEqual({ label: 'frozen', value: 11, tone: 'warn' });
    expect(drawn.fields).toContainEqual({ label: 'p1/a0', value: '100 (11 frozen)' });
    expect(drawn.tables![0]!.rows).toEqual([
      ['g1', 'tried', 'p1/a0-11', 4_000],
      ['g2', 'suspended', 'p1/a1+5', 9_000],
    ]);
  });

  it('the coordinator shows each global transaction with its phase and waits on the silent branches', () => {
    const state: CoordinatorState = {
      role: 'coordinator',
      protocol: 'tcc',
      boot: 1,
      nextGid: 4,
      tcc: {
        g3: {
          gid: 3,
          branches: [
            { participant: 'p1', writes: [{ account: 'p1/a0', delta: -5 }] },
            { participant: 'p2', writes: [{ account: 'p2/a0', delta: 5 }] },
          ],
          phase: 'cancelling',
          how: 'timeout',
          done: ['p1'],
          retries: 2,
          request: null,
        },
      },
      saga: {},
      ended: [],
      committed: 2,
      aborted: 0,
      phaseTwoRetries: 2,
      compensationsRun: 0,
    };
    const drawn = view(state);
    expect(drawn.tables![0]!.rows).toEqual([['g3', 'cancelling', 'timeout', 'p1:done p2:waiting', 2]]);
    expect(drawn.edges).toEqual([{ to: 'p2', kind: 'awaits', label: 'cancel g3' }]);
  });
});
