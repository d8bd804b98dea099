import { familyOptions, familyScenario, runScenario, type Scenario } from '@dsim/core';
import { registry } from '@dsim/registry';
import { describe, expect, it } from 'vitest';
import { families } from '../src/index.ts';
import { removedLeaderHoldsLongestLog } from './bug-scenarios.ts';

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
  it('without the rule, n1 never campaigns and the two voters stay without a leader', () => {
    expect(
      runLines({ ...removedLeaderHoldsLongestLog, bugs: ['uncommittedRemovalStopsCampaigns'] }).violations,
    ).toEqual([expect.stringMatching(/^leader-after-heal: /)]);
  });

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

describe('a removed server that missed its removal, with PreVote and CheckQuorum off (dissertation §4.2.3)', () => {
  // Swarm seed 100905: n3 never receives the entry that removes it, still counts itself a voter,
  // and campaigns with ever higher terms, deposing the only voter every half second. Raft promises
  // no leader there; the liveness invariants say so instead of failing.
  const family = families.aggressive!;
  const { scenario } = familyScenario(family, 100905, familyOptions(family, {}), true);

  it('the swarm draw is that case: PreVote and CheckQuorum both off', () => {
    const config = scenario.config as { preVote?: boolean; checkQuorum?: boolean };
    expect([config.preVote, config.checkQuorum]).toEqual([false, false]);
  });

  it('keeps every invariant, the liveness ones by the §4.2.3 exemption', () => {
    expect(runLines(scenario).violations).toEqual([]);
  });

  it('with CheckQuorum on the same schedule elects a leader and commits after the heal', () => {
    const guarded = { ...scenario, config: { ...(scenario.config as object), checkQuorum: true } };
    expect(runLines(guarded).violations).toEqual([]);
  });
});
