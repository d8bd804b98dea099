import { runScenario, type Scenario } from '@dsim/core';
import { registry } from '@dsim/registry';
import { describe, expect, it } from 'vitest';
import { raft } from '../src/index.ts';
import { lossyLinkLeader, lostAppendWhileIdle } from './bug-scenarios.ts';

/**
 * Rules from etcd's raft and the paper that earlier versions missed, each on a schedule that
 * failed without the rule, and each pinned by a bug switch that removes it again.
 */
function run(scenario: Scenario, bugs: string[] = []): string[] {
  const result = runScenario({ ...scenario, bugs }, { registry }, { trace: 'off', stateMode: 'mutable' });
  expect(result.error).toBeUndefined();
  return result.violations.map((violation) => `${violation.invariant}: ${violation.message}`);
}

/** The terms in which some node became leader, in the order it happened. */
function leaderTerms(scenario: Scenario, bugs: string[] = []): number[] {
  // Election Safety only, so a run with the bug goes on past the first 'leader-ignores-votes'.
  const result = runScenario(
    { ...scenario, bugs, invariants: ['election-safety'] },
    { registry },
    { trace: 'memory', stateMode: 'mutable' },
  );
  expect(result.error).toBeUndefined();
  expect(result.violations).toEqual([]);
  const terms: number[] = [];
  for (const line of result.trace.slice(1)) {
    const match = /becomes leader of term (\d+)/.exec(line);
    if (match) terms.push(Number(match[1]));
  }
  return terms;
}

describe('raft repairs', () => {
  it('(b) with CheckQuorum the leader counts itself in the vote lease: one lossy link does not depose it', () => {
    expect(leaderTerms(lossyLinkLeader)).toEqual([1]);
    // Without the rule the leader grants the pre-vote and the vote of the node it cannot hear.
    expect(leaderTerms(lossyLinkLeader, ['leaderOutsideVoteLease']).length).toBeGreaterThanOrEqual(3);
  });

  it('(a) a lost AppendEntries is resent while the leader is idle', () => {
    expect(run(lostAppendWhileIdle)).toEqual([]);
    expect(run(lostAppendWhileIdle, ['noProbeOnHeartbeat'])).toEqual([
      expect.stringMatching(/^progress-after-heal: .*n3 applied 1 of 2/),
    ]);
  });
});

/**
 * (c) A doomed campaign without PreVote: n3 is cut off while n1 leads and the client writes, so
 * its log falls behind, and it campaigns again and again in rising terms. After the heal its
 * RequestVote reaches n1 and n2 with a higher term; both refuse it (n3's log is shorter) and move
 * to that term. n1 steps down at the first such request (1.004 s, which starts its timer) and
 * refuses n3's next one at 1.097 s: with etcd's rule (the default) that restarts its 100 ms
 * timer again; with the paper's it keeps running, so n1 campaigns sooner.
 */
const doomedCampaign: Scenario = {
  name: 'raft-doomed-campaign',
  protocol: raft,
  nodes: 3,
  seed: 1,
  until: '3s',
  config: {
    preVote: false,
    checkQuorum: false,
    nodeElectionTimeoutMicros: { n1: 100_000, n2: 400_000, n3: 150_000 },
  },
  network: { latency: '1ms' },
  workload: {
    name: 'kv',
    clients: 1,
    thinkTime: '20ms',
    timeout: '200ms',
    stopAt: '900ms',
    options: { keys: 1, pin: { c1: 'n1' }, mix: { get: 0, put: 1, append: 0, cas: 0 } },
  },
  faults: [
    { at: '500ms', fault: { type: 'isolate', node: 'n3' } },
    { at: '1s', fault: { type: 'heal' } },
  ],
};

/** When n1 first campaigns after n3's refused request at 1.097 s, in microseconds. */
function firstCampaignOfN1AfterRefusal(resetElectionTimerOnHigherTerm: boolean): number {
  const result = runScenario(
    { ...doomedCampaign, config: { ...doomedCampaign.config, resetElectionTimerOnHigherTerm } },
    { registry },
    { trace: 'memory', stateMode: 'mutable' },
  );
  expect(result.violations).toEqual([]);
  for (const line of result.trace.slice(1)) {
    const event = JSON.parse(line) as { t: number; k: string; from?: string; msg?: { type?: string } };
    if (event.t >= 1_097_000 && event.k === 'send' && event.from === 'n1' && event.msg?.type === 'RequestVote')
      return event.t;
  }
  return Infinity;
}

describe('raft election timer on a higher term', () => {
  it("(c) etcd's rule restarts the timer on a refused vote of a higher term; the paper's does not", () => {
    const etcd = firstCampaignOfN1AfterRefusal(true);
    const paper = firstCampaignOfN1AfterRefusal(false);
    expect(paper).toBe(1_104_000);
    expect(etcd).toBe(1_197_000);
  });
});

/**
 * (d) A split vote: all three nodes time out together at 100 ms (pinned timeouts) and each refuses
 * the others, so every candidate loses when its second refusal arrives at 102 ms (1 ms each way).
 * With etcd's rule the loss restarts the timer, so the next campaign is at 202 ms; with the
 * paper's, the campaign's timer keeps running and fires at 200 ms.
 */
function secondCampaignOfN1(resetElectionTimerOnVoteLost: boolean): number {
  const result = runScenario(
    {
      name: 'raft-split-vote-timer',
      protocol: raft,
      nodes: 3,
      seed: 1,
      until: '250ms',
      config: {
        preVote: false,
        checkQuorum: false,
        resetElectionTimerOnVoteLost,
        nodeElectionTimeoutMicros: { n1: 100_000, n2: 100_000, n3: 100_000 },
      },
      network: { latency: '1ms' },
      // Nobody can win while the timeouts stay pinned together: check safety only.
      invariants: ['election-safety'],
    },
    { registry },
    { trace: 'memory', stateMode: 'mutable' },
  );
  expect(result.violations).toEqual([]);
  const campaigns: number[] = [];
  for (const line of result.trace.slice(1)) {
    const event = JSON.parse(line) as { t: number; k: string; from?: string; to?: string; msg?: { type?: string } };
    if (event.k === 'send' && event.from === 'n1' && event.to === 'n2' && event.msg?.type === 'RequestVote')
      campaigns.push(event.t);
  }
  expect(campaigns[0]).toBe(100_000);
  return campaigns[1] ?? Infinity;
}

describe('raft election timer after a lost election', () => {
  it("(d) etcd's rule restarts a losing candidate's timer; the paper's keeps the campaign's timer", () => {
    expect(secondCampaignOfN1(true)).toBe(202_000);
    expect(secondCampaignOfN1(false)).toBe(200_000);
  });
});
