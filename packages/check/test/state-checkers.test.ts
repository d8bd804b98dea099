import { worldViewOf, type NodeSummary, type WorldView } from '@dsim/core';
import { describe, expect, it } from 'vitest';
import {
  allAgree,
  atMostOne,
  checkAtomicCommit,
  checkCompensation,
  checkConvergence,
  forAllNodes,
  forAllStates,
} from '../src/index.ts';

function world(nodes: Record<string, { summary: NodeSummary; state: unknown } | undefined>): WorldView {
  const states = Object.fromEntries(Object.entries(nodes).map(([node, entry]) => [node, entry?.state]));
  return worldViewOf(states, { summary: (node) => nodes[node]?.summary });
}

describe('node invariants', () => {
  const cluster = world({
    n1: { summary: { role: 'leader', term: 2 }, state: { log: [1, 2] } },
    n2: { summary: { role: 'follower', term: 2 }, state: { log: [1, 2] } },
    n3: { summary: { role: 'leader', term: 1 }, state: { log: [1] } },
    n4: undefined,
  });

  it('atMostOne: one leader per term, and names both when there are two', () => {
    expect(atMostOne('one-leader-per-term', (s) => s.role === 'leader' && (s.term as number)).check(cluster)).toBe(
      true,
    );
    expect(atMostOne('one-leader', (s) => s.role === 'leader').check(cluster)).toBe('n1 and n3 are both leader');
    expect(atMostOne('x', () => 'term 1').kind).toBe('always');
  });

  it('forAllNodes and forAllStates skip crashed nodes and explain failures', () => {
    expect(forAllNodes('has-term', (s) => typeof s.term === 'number').check(cluster)).toBe(true);
    expect(forAllNodes('term-2', (s) => s.term === 2 || `term is ${s.term}`).check(cluster)).toBe('n3: term is 1');
    expect(
      forAllStates<{ log: number[] }>('log-starts-at-1', (state) => state.log[0] === 1).check(
        cluster as WorldView<{ log: number[] }>,
      ),
    ).toBe(true);
    expect(
      forAllStates<{ log: number[] }>('long-log', (state) => state.log.length === 2).check(
        cluster as WorldView<{ log: number[] }>,
      ),
    ).toBe("n3 does not satisfy 'long-log'");
  });

  it('allAgree compares values as JSON, and can be an eventually invariant', () => {
    const invariant = allAgree<{ log: number[] }>('logs-agree', (_s, _n, state) => state.log, {
      kind: 'eventually',
      withinMicros: 5_000_000,
    });
    expect(invariant).toMatchObject({ kind: 'eventually', withinMicros: 5_000_000 });
    expect(invariant.check(cluster as WorldView<{ log: number[] }>)).toBe('n1 has [1,2] but n3 has [1]');
    expect(
      allAgree('terms', (s) => s.role).check(
        world({ a: { summary: { role: 'x' }, state: {} }, b: { summary: { role: 'x' }, state: {} } }),
      ),
    ).toBe(true);
    expect(allAgree('terms', (s) => s.role, { requireAllUp: true }).check(cluster)).toMatch(/n4 is down|has/);
  });
});

describe('checkAtomicCommit', () => {
  it('accepts a unanimous commit and an abort after a no vote', () => {
    const result = checkAtomicCommit([
      {
        id: 't1',
        participants: ['p1', 'p2'],
        votes: { p1: 'yes', p2: 'yes' },
        decisions: { c: 'commit', p1: 'commit', p2: 'commit' },
        failureFree: true,
      },
      { id: 't2', participants: ['p1', 'p2'], votes: { p1: 'yes', p2: 'no' }, decisions: { p1: 'abort', p2: 'abort' } },
    ]);
    expect(result.ok).toBe(true);
    expect(result.message).toBe('atomic commit holds for 2 transactions');
  });

  it('catches split decisions, commits without unanimous yes, reversals and needless aborts', () => {
    const result = checkAtomicCommit([
      {
        id: 'split',
        participants: ['p1', 'p2'],
        votes: { p1: 'yes', p2: 'yes' },
        decisions: { p1: 'commit', p2: 'abort' },
      },
      { id: 'invalid', participants: ['p1', 'p2'], votes: { p1: 'yes' }, decisions: { p1: 'commit', p2: 'commit' } },
      { id: 'reversed', participants: ['p1'], votes: { p1: 'yes' }, decisions: { p1: ['abort', 'commit'] } },
      { id: 'trivial', participants: ['p1'], votes: { p1: 'yes' }, decisions: { p1: 'abort' }, failureFree: true },
    ]);
    expect(result.violations.map((violation) => [violation.transaction, violation.rule])).toEqual([
      ['split', 'agreement'],
      ['invalid', 'validity'],
      ['reversed', 'no-reversal'],
      ['trivial', 'non-triviality'],
    ]);
    expect(result.violations[1]!.message).toBe('invalid: p1, p2 committed although p2 voted nothing');
  });

  it('reports blocked sites and how long they held locks', () => {
    const result = checkAtomicCommit(
      [
        {
          id: 't',
          participants: ['p1', 'p2'],
          votes: { p1: 'yes', p2: 'yes' },
          decisions: { p1: 'commit' },
          lockHolds: [
            { site: 'p1', from: 100, to: 300 },
            { site: 'p2', from: 100 },
          ],
        },
      ],
      { endTime: 1_000 },
    );
    expect(result.ok).toBe(true);
    expect(result.blocked).toEqual([
      { transaction: 't', site: 'p1', undecided: false, lockHeldMicros: 200 },
      { transaction: 't', site: 'p2', undecided: true, lockHeldMicros: 900 },
    ]);
    expect(result.totalLockHeldMicros).toBe(1_100);
    expect(result.message).toContain('1 site blocked undecided (p2 in t)');
    expect(() =>
      checkAtomicCommit([
        { id: 't', participants: ['p'], votes: {}, decisions: {}, lockHolds: [{ site: 'p', from: 1 }] },
      ]),
    ).toThrow(/pass options.endTime/);
  });
});

describe('checkCompensation', () => {
  it('accepts fully confirmed, fully cancelled and empty-rollback TCC transactions, and sagas', () => {
    const result = checkCompensation([
      {
        id: 'confirmed',
        events: [
          { participant: 'a', action: 'try', outcome: 'ok' },
          { participant: 'b', action: 'try', outcome: 'ok' },
          { participant: 'a', action: 'confirm', outcome: 'ok' },
          { participant: 'b', action: 'confirm', outcome: 'ok' },
        ],
      },
      {
        id: 'cancelled',
        events: [
          { participant: 'a', action: 'try', outcome: 'ok' },
          { participant: 'b', action: 'try', outcome: 'fail' },
          { participant: 'a', action: 'cancel', outcome: 'ok' },
          { participant: 'b', action: 'cancel', outcome: 'ok', changed: false },
        ],
      },
      {
        id: 'saga',
        events: [
          { participant: 'a', action: 'execute', outcome: 'ok' },
          { participant: 'b', action: 'execute', outcome: 'fail' },
          { participant: 'a', action: 'compensate', outcome: 'ok' },
        ],
      },
    ]);
    expect(result.ok).toBe(true);
    expect(result.outcomes.map((outcome) => outcome.outcome)).toEqual(['applied', 'compensated', 'compensated']);
  });

  it('catches each rule', () => {
    const result = checkCompensation([
      {
        id: 'half',
        events: [
          { participant: 'a', action: 'execute', outcome: 'ok' },
          { participant: 'b', action: 'execute', outcome: 'fail' },
        ],
      },
      { id: 'no-try', events: [{ participant: 'a', action: 'confirm', outcome: 'ok' }] },
      {
        id: 'suspended',
        finished: false,
        events: [
          { participant: 'a', action: 'cancel', outcome: 'ok', changed: false },
          { participant: 'a', action: 'try', outcome: 'ok' },
        ],
      },
      { id: 'dirty-cancel', events: [{ participant: 'a', action: 'cancel', outcome: 'ok' }] },
    ]);
    expect(result.violations.map((violation) => [violation.transaction, violation.rule])).toEqual([
      ['half', 'atomicity'],
      ['no-try', 'confirm-without-try'],
      ['suspended', 'try-after-cancel'],
      ['dirty-cancel', 'empty-rollback-changed'],
    ]);
    expect(result.outcomes.find((outcome) => outcome.transaction === 'suspended')?.outcome).toBe('unfinished');
    expect(result.message).toMatch(
      /^compensation violated: \[atomicity\] half ended half applied: a applied but b compensated or never applied/,
    );
  });
});

describe('checkCompensation: idempotency and compensation order', () => {
  it('reports a phase-2 effect applied twice, and not a repeat that changed nothing', () => {
    const result = checkCompensation([
      {
        id: 'twice',
        events: [
          { participant: 'a', action: 'try', outcome: 'ok' },
          { participant: 'a', action: 'confirm', outcome: 'ok' },
          { participant: 'a', action: 'confirm', outcome: 'ok' },
        ],
      },
      {
        id: 'repeat-noop',
        events: [
          { participant: 'a', action: 'try', outcome: 'ok' },
          { participant: 'a', action: 'cancel', outcome: 'ok' },
          { participant: 'a', action: 'cancel', outcome: 'ok', changed: false },
        ],
      },
    ]);
    expect(result.violations.map((violation) => [violation.transaction, violation.rule])).toEqual([
      ['twice', 'applied-twice'],
    ]);
  });

  it('reports a saga step compensated while a later step still stands', () => {
    const steps = (order: number[]) => [
      ...[0, 1, 2].map((step) => ({
        participant: `s${step}`,
        action: 'execute' as const,
        outcome: 'ok' as const,
        step,
      })),
      ...order.map((step) => ({
        participant: `s${step}`,
        action: 'compensate' as const,
        outcome: 'ok' as const,
        step,
      })),
    ];
    const result = checkCompensation([
      { id: 'reverse', events: steps([2, 1, 0]) },
      { id: 'forward', events: steps([0, 1, 2]) },
    ]);
    expect(result.violations.map((violation) => [violation.transaction, violation.rule])).toEqual([
      ['forward', 'compensation-order'],
    ]);
    expect(result.outcomes.map((outcome) => outcome.outcome)).toEqual(['compensated', 'compensated']);
  });
});

describe('checkConvergence', () => {
  const snapshots = [
    { time: 0, replicas: { a: { x: 1 }, b: { x: 1 } } },
    { time: 10, replicas: { a: { x: 2 }, b: { x: 1 } } },
    { time: 20, replicas: { a: { x: 2 }, b: { x: 1 } } },
    { time: 30, replicas: { a: { x: 2 }, b: { x: 2 } } },
    { time: 40, replicas: { a: { x: 2 }, b: { x: 2 } } },
  ];

  it('measures how long after the heal the replicas agreed', () => {
    expect(checkConvergence(snapshots, { healAt: 15, withinMicros: 20 })).toMatchObject({
      converged: true,
      convergedAt: 30,
      convergenceMicros: 15,
    });
  });

  it('fails beyond the bound, or when they never agree, showing the disagreement', () => {
    const late = checkConvergence(snapshots, { healAt: 15, withinMicros: 10 });
    expect(late.converged).toBe(false);
    expect(late.message).toBe(
      'replicas agreed only 15us after the heal, beyond the bound of 10us; at 20us: a={"x":2}, b={"x":1}',
    );
    const never = checkConvergence(snapshots.slice(0, 3), { healAt: 5, withinMicros: 100 });
    expect(never.message).toBe('replicas never agreed after the heal at 5us; at 20us: a={"x":2}, b={"x":1}');
    expect(
      checkConvergence([{ time: 50, replicas: { a: 1, b: undefined } }], { healAt: 0, withinMicros: 100 }).converged,
    ).toBe(false);
  });
});
