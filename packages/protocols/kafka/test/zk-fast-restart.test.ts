import { runScenario } from '@dsim/core';
import { registry } from '@dsim/registry';
import { describe, expect, it } from 'vitest';
import { defaults, generations, validateConfig } from '../src/config.ts';
import { families } from '../src/index.ts';
import { promisedInvariants } from '../src/invariants.ts';

/**
 * Seeds of `dsim sweep --family kafka/aggressive` at ZooKeeper-era generations that once failed
 * 'log-matching' with two different records at one offset in one leader epoch. In each, a leader
 * lost its page cache and restarted before its 1.5 s session expired; the controller took the new
 * registration as the old one and the broker led its cut log in the same epoch, re-using offsets
 * its followers had already copied. Real ZooKeeper Kafka refuses that registration while the old
 * ephemeral znode lives (KAFKA.md §1.2), so the controller moves the leadership first and the
 * broker comes back as a follower that truncates. Each seed must hold every promised invariant.
 */
const flagged = [
  { generation: '2.7', seed: 359 },
  { generation: '2.7', seed: 414 }, // b2 leads p1: power loss at 4.403 s, restart at 5.845 s
  { generation: '2.7', seed: 483 },
  { generation: '2.7', seed: 559 },
  { generation: '1.1', seed: 359 },
  { generation: '1.1', seed: 559 },
] as const;

const run = (generation: string, seed: number, bugs: string[] = []) => {
  const scenario = families.aggressive.scenario(seed, { generation, bugs });
  return runScenario(scenario, { registry }, { stateMode: 'mutable', trace: 'off' });
};

describe('a ZooKeeper broker restarted before its session expired does not lead on its old registration', () => {
  for (const { generation, seed } of flagged)
    it(`generation ${generation} seed ${seed} holds every promised invariant`, { timeout: 60_000 }, () => {
      expect(run(generation, seed).violations).toEqual([]);
    });

  for (const { generation, seed } of flagged)
    it(
      `zkFastRestartUnnoticed: at ${generation} seed ${seed} the cut log leads in its old epoch`,
      { timeout: 60_000 },
      () => {
        const violated = run(generation, seed, ['zkFastRestartUnnoticed']).violations.map((v) => v.invariant);
        expect(violated).toContain('log-matching');
      },
    );

  it('the restarted leader is refused until the controller has fenced its old session', { timeout: 60_000 }, () => {
    const scenario = families.aggressive.scenario(414, { generation: '2.7' });
    const result = runScenario(scenario, { registry });
    const notes = result.trace
      .map((line) => JSON.parse(line) as { k: string; text?: string })
      .filter((event) => event.k === 'note')
      .map((event) => event.text ?? '');
    const refused = notes.findIndex((text) => text.startsWith('b2 registration refused'));
    const fenced = notes.findIndex((text, index) => index > refused && text.startsWith('b2 fenced'));
    expect(refused).toBeGreaterThanOrEqual(0);
    expect(fenced).toBeGreaterThan(refused);
    expect(notes.slice(fenced).some((text) => text.startsWith('b2 registration refused'))).toBe(false);
  });

  it('pre-0.11 keeps the unnoticed restart (abaBounce) that KIP-101 case A needs', () => {
    const scenario = families.aggressive.scenario(414, { generation: 'pre-0.11' });
    expect(scenario.config).toMatchObject({ controller: 'zk', abaBounce: true });
    for (const generation of ['1.1', '2.7'])
      expect(families.aggressive.scenario(414, { generation }).config).not.toHaveProperty('abaBounce', true);
  });

  it('promises neither log matching nor durability where a fast restart goes unnoticed', () => {
    const promises = promisedInvariants({ ...defaults, ...generations['pre-0.11'], truncation: 'kip279' });
    expect(promises['log-matching']).toMatch(/abaBounce/);
    expect(promises['committed-never-lost']).toMatch(/abaBounce/);
    expect(promisedInvariants({ ...defaults, ...generations['2.7'] })['log-matching']).toBe(true);
  });

  it('refuses abaBounce outside ZooKeeper mode, naming the field', () => {
    const nodes = ['c', 'b1', 'b2', 'p1'];
    expect(validateConfig({ ...defaults, abaBounce: true }, nodes)).toEqual([
      "config.abaBounce: the unnoticed fast restart exists only with controller 'zk'; set abaBounce to false",
    ]);
    expect(validateConfig({ ...defaults, ...generations['pre-0.11'] }, nodes)).toEqual([]);
  });
});
