import { familyOptions, familyScenario, runScenario, type Scenario } from '@dsim/core';
import { registry } from '@dsim/registry';
import { describe, expect, it } from 'vitest';
import { families, invariants, raft } from '../src/index.ts';

/**
 * Dissertation §4.2.2: "a server that is not part of its own latest configuration should still
 * start new elections, as it might still be needed until the C_new entry is committed". Voters
 * n1 and n2; n1 leads and appends its own removal ({n2}) while cut off from n2, so only n1 holds
 * that entry. CheckQuorum deposes n1. After the heal, n2's log is shorter, so n1 refuses n2's
 * votes; n1 itself must campaign (its own vote not counted) to win with n2's vote, commit {n2}
 * and step down. A node that read etcd's `promotable` against its newest, uncommitted
 * configuration never campaigns, and the two-node cluster stays without a leader for good.
 */
export const removedLeaderHoldsLongestLog: Scenario = {
  name: 'raft-removed-leader-holds-longest-log',
  protocol: raft,
  nodes: 3,
  seed: 1,
  until: '7s',
  config: {
    preVote: false,
    checkQuorum: true,
    initialVoters: ['n1', 'n2'],
    nodeElectionTimeoutMicros: { n1: 100_000, n2: 300_000, n3: 300_000 },
  },
  network: { latency: '1ms' },
  faults: [
    { at: '950ms', fault: { type: 'partition', groups: [['n1'], ['n2', 'n3']] } },
    { at: '2s', fault: { type: 'heal' } },
  ],
  workload: {
    name: 'kv',
    clients: 2,
    thinkTime: '20ms',
    timeout: '50ms',
    stopAt: '6s',
    options: { membership: [{ at: '1s', change: { steps: [{ type: 'remove', node: 'n1' }] } }] },
  },
  invariants,
};

function runLines(scenario: Scenario): { violations: string[]; notes: string[] } {
  const result = runScenario(scenario, { registry }, { trace: 'memory', stateMode: 'mutable' });
  expect(result.error).toBeUndefined();
  const notes: string[] = [];
  for (const line of result.trace.slice(1)) {
    const parsed = JSON.parse(line) as { k: string; text?: string };
    if (parsed.k === 'note' && parsed.text) notes.push(parsed.text);
  }
  return { violations: result.violations.map((v) => `${v.invariant}: ${v.message}`), notes };
}

describe('a voter removed by an uncommitted entry still campaigns (dissertation §4.2.2)', () => {
  it('n1 holds its own uncommitted removal, wins with n2 alone, commits {n2} and steps down', () => {
    const { violations, notes } = runLines(removedLeaderHoldsLongestLog);
    expect(violations).toEqual([]);
    const proposed = notes.findIndex((note) => note.startsWith('n1 proposes voters n2'));
    const deposed = notes.findIndex((note, i) => i > proposed && note.startsWith('n1 steps down'));
    const reelected = notes.findIndex((note, i) => i > deposed && /^n1 becomes leader of term/.test(note));
    const committed = notes.findIndex(
      (note, i) => i > reelected && note === 'n1 committed voters n2, which leaves it out',
    );
    const successor = notes.findIndex((note, i) => i > committed && /^n2 becomes leader of term/.test(note));
    expect([proposed, deposed, reelected, committed].every((i) => i >= 0)).toBe(true);
    expect(successor).toBeGreaterThan(committed);
  });

  // The two swarm seeds that found it: a membership plan leaves n1 holding its own uncommitted
  // removal after the heal (400062: PreVote off; 100095: PreVote on, CheckQuorum off).
  it.each([400062, 100095])('raft/aggressive --swarm seed %i elects a leader after the heal', (seed) => {
    const family = families.aggressive!;
    const { scenario } = familyScenario(family, seed, familyOptions(family, {}), true);
    expect(runLines(scenario).violations).toEqual([]);
  });
});
