import { planWrites, txnDefaults, validateConfig } from '@dsim/saga-tcc';
import { describe, expect, it } from 'vitest';

const nodes = ['c', 'p1', 'p2', 'p3'];

describe('validateConfig', () => {
  it('accepts the defaults', () => {
    expect(validateConfig(txnDefaults, nodes)).toEqual([]);
  });

  it('names the field and the fix for every bad setting', () => {
    expect(
      validateConfig(
        {
          ...txnDefaults,
          globalTimeoutMicros: 0,
          retryMaxMicros: 10,
          stepRetries: -1,
          countermeasures: ['optimism' as never],
        },
        ['c', 'p1'],
      ),
    ).toEqual([
      'nodes: a transfer needs a coordinator and at least two participants (the first node coordinates); got 2 node(s)',
      'globalTimeoutMicros: must be a positive whole number of microseconds (got 0)',
      'retryMaxMicros (10) must not be below retryIntervalMicros (100000)',
      'countermeasures: a list of commutative-updates, semantic-lock, reread-value (got ["optimism"])',
      'stepRetries: must be a whole number, 0 or more (got -1)',
    ]);
  });
});

describe('planWrites', () => {
  it('debits first, then the credits', () => {
    expect(planWrites({ from: 'p1/a0', to: 'p2/a1', amount: 10, fee: 1, feeTo: 'p3/a0' }, ['p1', 'p2', 'p3'])).toEqual([
      { account: 'p1/a0', delta: -11 },
      { account: 'p2/a1', delta: 10 },
      { account: 'p3/a0', delta: 1 },
    ]);
  });

  it('explains a malformed request instead of starting a transaction', () => {
    expect(planWrites({ from: 'p1/a0', to: 'p1/a0', amount: 1 }, ['p1', 'p2'])).toBe(
      'from and to are the same account',
    );
    expect(planWrites({ steps: [{ account: 'p9/a0', delta: 1 }] }, ['p1', 'p2'])).toBe(
      'account p9/a0 does not live on any participant (p1, p2)',
    );
    expect(planWrites({ steps: [{ account: 'p1/a0', delta: 3, op: 'read' }] }, ['p1', 'p2'])).toBe(
      'delta of p1/a0 must be 0 for a read (got 3)',
    );
  });
});
