import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runScenario, type Scenario } from '@dsim/core';
import { registry } from '@dsim/registry';
import { describe, expect, it } from 'vitest';
import { multiPaxosScenario, singleDecreeScenario } from '../src/index.ts';

/** The violations of a run, checked in the mutable state mode without a trace. */
const violations = (scenario: Scenario) =>
  runScenario(scenario, { registry }, { trace: 'off', stateMode: 'mutable' }).violations;

/**
 * A violation names the nodes whose states break the rule, so a viewer marks them from data:
 * the runs are the shipped bug-switch scenarios (simulations/paxos) and the shrunk fixture.
 */
describe('violations name the nodes involved', () => {
  it('two values chosen: the acceptor shared by both majorities, which accepted each value', () => {
    const scenario = singleDecreeScenario({ bugs: ['proposerIgnoresAcceptedValues'], kinds: [], seed: 19 });
    const [twoChosen] = violations(scenario);
    expect(twoChosen).toMatchObject({
      invariant: 'agreement',
      message: 'two values chosen: v.n2 (by a majority at 1.n2) and v.n3 (by a majority at 1.n3)',
      nodes: ['n1'],
    });
  });

  it('a node that learned nothing after the heal is named by value-learned', () => {
    const scenario = singleDecreeScenario({ kinds: [], seed: 19 });
    // n1 is cut off from everyone for good: it cannot learn, the others can.
    const [unlearned] = violations({
      ...scenario,
      faults: [{ at: '0ms', fault: { type: 'partition', groups: [['n1'], ['n2', 'n3']] } }],
    });
    expect(unlearned).toMatchObject({
      invariant: 'value-learned',
      message: expect.stringMatching(/: n1 has learned nothing$/),
      nodes: ['n1'],
    });
  });

  it('Multi-Paxos learners that disagree on a slot: the first learner, then the one that differs', () => {
    const [disagreement] = violations({
      ...multiPaxosScenario({ bugs: ['newLeaderSkipsRecovery'], kinds: [], seed: 416096452 }),
      faults: [
        { at: '200ms', fault: { type: 'partition', groups: [['n1'], ['n2', 'n3']] } },
        { at: '684215us', fault: { type: 'heal' } },
        { at: '4s', fault: { type: 'heal' } },
      ],
    });
    expect(disagreement).toMatchObject({
      invariant: 'agreement',
      message: 'slot 1: n3 learned get k2 (c2:15) but n1 learned get k0 (c2:31)',
      nodes: ['n3', 'n1'],
    });
  });

  it('a broken promise names the acceptor that broke it', () => {
    const file = join(import.meta.dirname, 'fixtures', 'multipaxos-bug-acceptorforgetspromiseonrestart.json');
    const [broken] = violations(JSON.parse(readFileSync(file, 'utf8')) as Scenario);
    expect(broken).toMatchObject({
      invariant: 'promise-kept',
      message: 'n3 promised 1.n3 after promising 3.n1',
      nodes: ['n3'],
    });
  });
});
