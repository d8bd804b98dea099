import { runScenario } from '@dsim/core';
import { registry } from '@dsim/registry';
import { describe, expect, it } from 'vitest';
import { defaults, families, generations, promisedInvariantNames } from '../src/index.ts';

const family = families.aggressive;

describe('kafka/aggressive --generation', () => {
  it('runs current Kafka by default, the same scenario as without the option', () => {
    expect(family.scenario(5, { generation: '4.1', bugs: [] })).toEqual(family.scenario(5, { bugs: [] }));
    expect(family.scenario(5, { generation: '4.1', bugs: [] }).config).toEqual(family.scenario(5).config);
    expect(family.scenario(5).name).toBe('kafka-aggressive-5');
  });

  it('lays an older release’s replication rules under the sweep’s fast timeouts, checked against what it promises', () => {
    for (const generation of ['pre-0.11', '1.1', '2.7', '3.6'] as const) {
      const scenario = family.scenario(5, { generation, bugs: [] });
      const config = scenario.config as Record<string, unknown>;
      for (const [name, value] of Object.entries(generations[generation]))
        if (!['sessionTimeoutMs', 'replicaLagTimeMaxMs'].includes(name)) expect(config[name]).toEqual(value);
      expect(config.sessionTimeoutMs).toBe(1500);
      expect(scenario.invariants).toEqual(promisedInvariantNames({ ...defaults, ...config } as typeof defaults));
      expect(scenario.name).toBe(`kafka-aggressive-${generation}-5`);
      // The fault schedule is the seed's, whatever the release.
      expect(scenario.faults).toEqual(family.scenario(5).faults);
    }
  });

  it('reaches KIP-101’s truncation and its OffsetsForLeaderEpoch round under 1.1, which current Kafka never sends', () => {
    const covered = (generation: string) =>
      runScenario(family.scenario(2, { generation, bugs: [] }), { registry }, { trace: 'off', coverage: true });
    const old = covered('1.1');
    expect(old.violations).toEqual([]);
    expect(old.coverage!.states.followerTruncating).toBeGreaterThan(0);
    expect(old.coverage!.sent.OffsetsForLeaderEpoch).toBeGreaterThan(0);
    const current = covered('4.1');
    expect(current.coverage!.states.followerTruncating ?? 0).toBe(0);
    expect(current.coverage!.sent.OffsetsForLeaderEpoch ?? 0).toBe(0);
  });

  it('refuses an unknown release, naming the choices', () => {
    expect(() => family.scenario(1, { generation: '0.8', bugs: [] })).toThrow(
      /generation: no Kafka release '0\.8'; choose from pre-0\.11, 1\.1, 2\.7, 3\.6, 4\.1/,
    );
  });
});

describe('kafka/aggressive --faults', () => {
  it('sets how many episodes the seeded schedule draws, six by default', () => {
    expect(family.scenario(7, { faults: 6, bugs: [] })).toEqual(family.scenario(7, { bugs: [] }));
    // Nothing but the closing heal without episodes.
    expect(family.scenario(7, { faults: 0, bugs: [] }).faults).toEqual([{ at: 40_000_000, fault: { type: 'heal' } }]);
    for (let seed = 1; seed <= 20; seed++) {
      const few = family.scenario(seed, { faults: 2, bugs: [] }).faults!;
      const many = family.scenario(seed, { faults: 24, bugs: [] }).faults!;
      expect(many.length).toBeGreaterThan(few.length);
    }
  });
});
