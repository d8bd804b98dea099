import { runScenario, type Scenario } from '@dsim/core';
import { reachability, transactionOutcomes } from '@dsim/commit';
import { registry } from '@dsim/registry';
import { describe, expect, it } from 'vitest';
import type { ParticipantState } from '../src/state.ts';

const transfer = { from: 'p1/a0', to: 'p2/a0', amount: 10, fee: 1, feeTo: 'p3/a0' };

function scenario(protocol: '2pc' | '3pc', faults: Scenario['faults'], extra: Partial<Scenario> = {}): Scenario {
  return {
    name: `recovery-${protocol}`,
    protocol,
    nodes: ['c', 'p1', 'p2', 'p3'],
    until: '4s',
    network: { latency: '2ms', clientLatency: '2ms' },
    workload: { name: 'scripted', clients: 1, options: { transfers: [transfer] } },
    faults,
    invariants: ['atomicity', 'validity', 'no-overdraft', 'money-conserved', 'resolved-after-heal'],
    ...extra,
  };
}

/** The final state of a node, read through a run's last summaries and a fresh run's end state. */
function balancesAt(result: ReturnType<typeof runScenario>, node: string): string {
  return JSON.stringify(result.summaries.find(([id]) => id === node)?.[1]);
}

describe('participant recovery', () => {
  for (const protocol of ['2pc', '3pc'] as const) {
    it(`${protocol}: a participant that crashed after voting YES comes back in doubt, holds its locks again, asks, and commits`, () => {
      // p2 votes YES at 5 ms and crashes at 5.5 ms; the decision reaches everyone but p2.
      const result = runScenario(
        scenario(protocol, [
          { at: '5500us', fault: { type: 'crash', node: 'p2' } },
          { at: '1s', fault: { type: 'restart', node: 'p2' } },
        ]),
        { registry },
      );
      expect(result.violations).toEqual([]);
      const trace = result.trace.join('\n');
      expect(trace).toContain('p2 recovered in doubt on tx=1 (prepared), locks p2/a0 held again');
      for (const [node, summary] of result.summaries)
        expect(summary, `${node}: ${balancesAt(result, node)}`).toMatchObject({ committed: 1, aborted: 0 });
      expect(transactionOutcomes(result)).toMatchObject({ committed: 1 });
    });
  }

  it('3pc: after a total failure the recovered sites never decide alone; once every site has answered, the lowest participant applies the TR rules', () => {
    // Everyone votes YES; c forces PRECOMMIT and sends PRE-COMMIT to p1 at 8 ms and p2 at 9 ms, but
    // every site crashes before one arrives. They restart one by one; c last, in PRECOMMIT, so it asks.
    const result = runScenario(
      scenario('3pc', [
        { at: '9ms', fault: { type: 'crash', node: 'p1' } },
        { at: '9100us', fault: { type: 'crash', node: 'p2' } },
        { at: '9200us', fault: { type: 'crash', node: 'p3' } },
        { at: '9500us', fault: { type: 'crash', node: 'c' } },
        { at: '1s', fault: { type: 'restart', node: 'p2' } },
        { at: '1200ms', fault: { type: 'restart', node: 'p3' } },
        { at: '1400ms', fault: { type: 'restart', node: 'p1' } },
        { at: '1600ms', fault: { type: 'restart', node: 'c' } },
      ]),
      { registry },
    );
    expect(result.violations).toEqual([]);
    const trace = result.trace.join('\n');
    expect(trace).toContain('c recovered in PRECOMMIT for tx=1: it must ask, not decide');
    expect(trace).toContain(
      'p1: every site of tx=1 failed and is back; with complete information the TR rules are safe again',
    );
    // The coordinator's PRECOMMIT record proves every vote was YES: TR4 commits.
    expect(trace).toContain('p1 is backup for tx=1: someone is committable, TR4');
    const firstDecision = result.trace
      .map((line) => JSON.parse(line) as { t: number; k: string; text?: string })
      .find((event) => event.k === 'note' && event.text?.includes('is backup for tx=1'));
    expect(firstDecision!.t).toBeGreaterThanOrEqual(1_600_000);
    for (const [node, summary] of result.summaries) expect(summary, node).toMatchObject({ committed: 1, aborted: 0 });
  });
});

describe('coordinator recovery', () => {
  it('2pc: a coordinator that crashed after forcing COMMIT resends it after restart until every participant acknowledges', () => {
    // c decides at 8 ms and sends COMMIT to p1 at 8 ms, p2 at 9 ms; it crashes at 8.5 ms, so p2 and p3 never hear it from this incarnation.
    const result = runScenario(
      scenario('2pc', [
        { at: '8500us', fault: { type: 'crash', node: 'c' } },
        { at: '2s', fault: { type: 'restart', node: 'c' } },
      ]),
      { registry },
    );
    expect(result.violations).toEqual([]);
    const events = result.trace.map(
      (line) => JSON.parse(line) as { t: number; k: string; desc?: string; from?: string },
    );
    const resent = events.filter(
      (event) => event.k === 'send' && event.from === 'c' && event.desc === 'Commit tx=1' && event.t >= 2_000_000,
    );
    expect(resent.length).toBeGreaterThan(0);
    for (const [node, summary] of result.summaries) expect(summary, node).toMatchObject({ committed: 1 });
  });
});

describe('message faults', () => {
  it('duplicated and reordered messages change nothing: votes, decisions and polls are idempotent', () => {
    const result = runScenario(
      scenario('3pc', [], {
        network: { latency: { dist: 'uniform', min: '1ms', max: '30ms' }, duplicate: 0.5 },
        workload: { name: 'transfers', clients: 3, thinkTime: '5ms', stopAt: '3s' },
        invariants: [
          'atomicity',
          'validity',
          'no-overdraft',
          'money-conserved',
          ...reachability.filter((invariant) => invariant.name === 'transaction-committed'),
        ],
      }),
      { registry },
      { stateMode: 'mutable' },
    );
    expect(result.violations).toEqual([]);
    expect(result.stats.messagesDuplicated).toBeGreaterThan(100);
    expect(transactionOutcomes(result).committed).toBeGreaterThan(20);
  });

  it('the participant state keeps locks only for transactions in doubt', () => {
    const result = runScenario(scenario('2pc', []), { registry });
    const p1 = result.summaries.find(([node]) => node === 'p1')![1] as unknown as Pick<
      ParticipantState,
      'committed'
    > & { locks: number };
    expect(p1).toMatchObject({ committed: 1, locks: 0 });
  });
});
