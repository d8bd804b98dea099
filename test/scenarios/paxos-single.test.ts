import { runScenario, worldViewOf, type Scenario } from '@dsim/core';
import {
  agreement,
  integrity,
  learnedWasChosen,
  ownValue,
  paxos,
  paxosDefaults,
  promiseKept,
  validity,
  type Ballot,
  type PaxosState,
} from '@dsim/paxos';
import { registry } from '@dsim/registry';
import { describe, expect, it } from 'vitest';
import acceptorCrash from '../../simulations/paxos/acceptor-crash.ts';
import duelingBackoff from '../../simulations/paxos/dueling-backoff.ts';
import duelingLivelock from '../../simulations/paxos/dueling-livelock.ts';
import dueling from '../../simulations/paxos/dueling.ts';
import happy from '../../simulations/paxos/happy.ts';
import ignoresAcceptedValues from '../../simulations/paxos/ignores-accepted-values.ts';

const ballot = (round: number, node: string): Ballot => ({ round, node });

/** A node's state as the invariants read it: an idle acceptor unless overridden. */
function node(overrides: Partial<PaxosState> = {}): PaxosState {
  return {
    promised: null,
    accepted: null,
    input: null,
    round: 0,
    highestRoundSeen: 0,
    phase: 'idle',
    ballot: null,
    promises: [],
    highestReported: null,
    value: null,
    attempts: 0,
    nacks: 0,
    learned: null,
    tallies: {},
    waiting: [],
    ...overrides,
  };
}

const config = { ...paxosDefaults, proposers: 2 };
const accepted = (round: number, by: string, value: string) => ({
  promised: ballot(round, by),
  accepted: { ballot: ballot(round, by), value },
});

/**
 * Hand-made worlds: each `set` is one step of a run, and a run checks after every step, so the tests
 * check after each step whose state the run memory must see.
 */
describe('single-decree invariants, as "Paxos Made Simple" states them', () => {
  it('agreement: a second value accepted by a majority under another number is two values chosen', () => {
    const world = worldViewOf<PaxosState>({ a: node(), b: node(), c: node() }, { config });
    world.set('a', node(accepted(1, 'n1', ownValue('n1'))));
    world.set('b', node(accepted(1, 'n1', ownValue('n1'))));
    expect(world.check(agreement)).toBe(true);
    world.set('b', node(accepted(2, 'n2', ownValue('n2'))));
    world.set('c', node(accepted(2, 'n2', ownValue('n2'))));
    expect(world.check(agreement)).toBe(
      'two values chosen: v.n1 (by a majority at 1.n1) and v.n2 (by a majority at 2.n2)',
    );
  });

  it('agreement: the same value chosen again under a higher number is still one value', () => {
    const world = worldViewOf<PaxosState>({ a: node(), b: node(), c: node() }, { config });
    world.set('a', node(accepted(1, 'n1', ownValue('n1'))));
    world.set('b', node(accepted(1, 'n1', ownValue('n1'))));
    world.set('b', node(accepted(2, 'n2', ownValue('n1'))));
    world.set('c', node(accepted(2, 'n2', ownValue('n1'))));
    expect(world.check(agreement)).toBe(true);
  });

  it('agreement: two learners that learned different values', () => {
    const world = worldViewOf<PaxosState>({ a: node(), b: node(), c: node() }, { config });
    world.set('a', node({ learned: ownValue('n1') }));
    world.set('b', node({ learned: ownValue('n2') }));
    expect(world.check(agreement)).toBe('a learned v.n1 but b learned v.n2');
  });

  it('promise-kept: a restarted acceptor that promises below its old promise', () => {
    const world = worldViewOf<PaxosState>({ a: node(), b: node(), c: node() }, { config });
    world.set('a', node({ promised: ballot(2, 'n2') }));
    expect(world.check(promiseKept)).toBe(true);
    world.set('a', undefined);
    world.set('a', node({ promised: null }));
    expect(world.check(promiseKept)).toBe(true);
    world.set('a', node({ promised: ballot(1, 'n1') }));
    expect(world.check(promiseKept)).toBe('a promised 1.n1 after promising 2.n2');
  });

  it('promise-kept: an acceptance below the promise', () => {
    const world = worldViewOf<PaxosState>({ a: node(), b: node(), c: node() }, { config });
    world.set('a', node({ promised: ballot(2, 'n2') }));
    expect(world.check(promiseKept)).toBe(true);
    world.set('a', node({ promised: ballot(2, 'n2'), accepted: { ballot: ballot(1, 'n1'), value: 'v.n1' } }));
    expect(world.check(promiseKept)).toBe('a accepted 1.n1 after promising 2.n2');
  });

  it('learned-was-chosen: learning from one acceptance', () => {
    const world = worldViewOf<PaxosState>({ a: node(), b: node(), c: node() }, { config });
    world.set('a', node({ ...accepted(1, 'n1', ownValue('n1')), learned: ownValue('n1') }));
    expect(world.check(learnedWasChosen)).toBe('a learned v.n1 before a majority accepted it');
  });

  it('validity: a value nobody proposed', () => {
    const world = worldViewOf<PaxosState>({ a: node(), b: node(), c: node() }, { config });
    world.set('a', node(accepted(1, 'n1', 'invented')));
    world.set('b', node(accepted(1, 'n1', 'invented')));
    expect(world.check(validity)).toBe('invented was chosen but nobody proposed it');
  });

  it('integrity: a learner that changes its value', () => {
    const world = worldViewOf<PaxosState>({ a: node(), b: node(), c: node() }, { config });
    world.set('a', node({ learned: ownValue('n1') }));
    expect(world.check(integrity)).toBe(true);
    world.set('a', node({ learned: ownValue('n2') }));
    expect(world.check(integrity)).toBe('a learned v.n1 and later v.n2: a value is learned once');
  });
});

function run(scenario: Scenario, mode: 'mutable' | 'immutable' = 'mutable') {
  return runScenario(scenario, { registry }, { trace: 'memory', stateMode: mode });
}

describe('single-decree scenarios', () => {
  it('happy: both phases run, one proposed value is chosen, every node learns it', () => {
    const result = run(happy);
    expect(result.violations).toEqual([]);
    const learned = result.summaries.map(([, summary]) => summary?.learned);
    expect(new Set(learned).size).toBe(1);
    expect([ownValue('n1'), ownValue('n2')]).toContain(learned[0]);
    const kinds = new Set(result.trace.map((line) => /"desc":"(\w+)/.exec(line)?.[1]).filter(Boolean));
    for (const kind of ['Prepare', 'Promise', 'Accept', 'Accepted']) expect(kinds).toContain(kind);
  });

  it('dueling: proposers preempt each other with NACKs, and one value is still chosen', () => {
    const result = run(dueling);
    expect(result.violations).toEqual([]);
    expect(result.reached).toEqual(expect.arrayContaining(['competing-proposers', 'nack-received', 'value-learned']));
    const nacks = result.trace.filter((line) => line.includes('"desc":"Nack')).length;
    expect(nacks).toBeGreaterThan(1);
  });

  it('dueling-livelock: with an immediate fixed retry the two proposers preempt each other forever', () => {
    const result = run({ ...duelingLivelock, stopOnViolation: false });
    expect(new Set(result.violations.map((violation) => violation.invariant))).toEqual(new Set(['value-learned']));
    expect(result.reached).toEqual(expect.arrayContaining(['competing-proposers', 'nack-received']));
    // Nothing is ever accepted, let alone learned.
    for (const [, summary] of result.summaries) {
      expect(summary?.accepted).toBe('-');
      expect(summary?.learned).toBeNull();
    }
    expect(result.trace.some((line) => line.includes('"desc":"Accepted'))).toBe(false);
    // Each proposer's ballots keep rising to the end of the run, both proposers every second.
    const prepares = result.trace
      .filter((line) => line.includes('"k":"send"') && line.includes('"desc":"Prepare'))
      .map((line) => JSON.parse(line) as { t: number; from: string; msg: { ballot: Ballot } });
    for (const proposer of ['n1', 'n2']) {
      const rounds = [...new Map(prepares.filter((p) => p.from === proposer).map((p) => [p.t, p.msg.ballot.round]))];
      for (let i = 1; i < rounds.length; i++) expect(rounds[i]![1]).toBeGreaterThan(rounds[i - 1]![1]);
      for (let second = 0; second < 6; second++)
        expect(rounds.some(([t]) => t >= second * 1e6 && t < (second + 1) * 1e6)).toBe(true);
      expect(rounds.at(-1)![1]).toBeGreaterThan(100);
    }
  });

  it('dueling-backoff: the same schedule with randomized back-off converges on one value', () => {
    const result = run(duelingBackoff);
    expect(result.violations).toEqual([]);
    expect(result.reached).toEqual(expect.arrayContaining(['competing-proposers', 'nack-received', 'value-learned']));
    const learned = new Set(result.summaries.map(([, summary]) => summary?.learned));
    expect(learned.size).toBe(1);
    expect([ownValue('n1'), ownValue('n2')]).toContain([...learned][0]);
  });

  it('acceptor crash between promise and accept: a majority still chooses; the acceptor keeps its promise and learns after restart', () => {
    const result = run(acceptorCrash);
    expect(result.violations).toEqual([]);
    const n3 = result.summaries.find(([id]) => id === 'n3')![1]!;
    expect(n3.learned).toBe(ownValue('n1'));
    expect(n3.promised).toBe('1.n1');
    expect(n3.accepted).toBe('-');
    expect(result.trace.some((line) => line.includes('"from":"n3"') && line.includes('"desc":"WhatIsChosen'))).toBe(
      true,
    );
  });

  it('proposerIgnoresAcceptedValues: two values chosen; the same run without the switch agrees', () => {
    const buggy = run(ignoresAcceptedValues);
    expect(buggy.violations.map((violation) => violation.invariant)).toEqual(['agreement']);
    const fixed = run({ ...ignoresAcceptedValues, bugs: [] });
    expect(fixed.violations).toEqual([]);
  });

  it('is deterministic: the same seed twice, and the immutable and mutable state modes, give one trace hash', () => {
    for (const scenario of [happy, dueling, acceptorCrash]) {
      const first = run(scenario, 'immutable');
      expect(run(scenario, 'immutable').hash).toBe(first.hash);
      expect(run(scenario, 'mutable').hash).toBe(first.hash);
    }
  });

  it('rejects a bad config with the field named', () => {
    expect(() => run({ ...happy, config: { proposers: 9, backoffMicros: -1 } })).toThrow(
      /backoffMicros: must be a whole number, at least 0 \(got -1\)[\s\S]*proposers: at most the number of nodes \(3\), got 9/,
    );
  });
});

describe('the single-decree view', () => {
  it('shows the ballot, the promise, the accepted proposal and the learned value', () => {
    const state = node({
      phase: 'accepting',
      ballot: ballot(3, 'n1'),
      ...accepted(3, 'n1', 'v.n1'),
      tallies: { '3.n1|v.n1': ['n1', 'n2'] },
    });
    const view = paxos.view!(state, 'n1');
    expect(view.role).toBe('proposer-phase2');
    expect(view.badges).toEqual([
      { label: 'ballot', value: '3.n1' },
      { label: 'promised', value: '3.n1' },
      { label: 'accepted', value: '3.n1:v.n1' },
      { label: 'learned', value: '-', tone: 'plain' },
    ]);
    expect(view.tables![0]!.rows).toEqual([['3.n1|v.n1', 'n1 n2']]);
    expect(paxos.view!(node({ learned: 'v.n1' }), 'n1').role).toBe('learned');
  });
});
