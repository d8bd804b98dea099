import { episodesToSchedule, PARTITION_SHAPES, resolveScenario, type FaultType } from '@dsim/core';
import { heartbeat } from '@dsim/heartbeat';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clusterNodes, FAULT_KINDS, faultEpisodes, partitionFault, workloadSpec } from '../src/index.ts';

const nodes = ['n1', 'n2', 'n3', 'n4', 'n5'];
const runs = Number(process.env.DSIM_PROPERTY_RUNS ?? 200);

describe('faultEpisodes', () => {
  it('always flattens to a schedule the kernel accepts, within budget, ending with a heal', () => {
    fc.assert(
      fc.property(
        faultEpisodes({ nodes, kinds: FAULT_KINDS, healAt: '20s', maxFaults: 8, loseUnsyncedWrites: true }),
        (episodes) => {
          expect(episodes.length).toBeLessThanOrEqual(8);
          const schedule = episodesToSchedule(episodes, 20_000_000);
          expect(schedule.at(-1)).toEqual({ at: 20_000_000, fault: { type: 'heal' } });
          for (const episode of episodes) {
            expect(episode.at).toBeGreaterThanOrEqual(1_000_000);
            expect(episode.at).toBeLessThan(20_000_000);
          }
          // resolveScenario rejects impossible sequences (crash a crashed node, resume a running one).
          expect(() =>
            resolveScenario({ name: 'x', protocol: heartbeat, nodes, until: '30s', faults: schedule }),
          ).not.toThrow();
        },
      ),
      { numRuns: runs, seed: 7 },
    );
  });

  it('draws every fault type the kernel has, and every partition shape', () => {
    const seen = new Set<FaultType>();
    for (const episodes of fc.sample(faultEpisodes({ nodes, kinds: FAULT_KINDS, healAt: '20s', maxFaults: 8 }), {
      numRuns: 300,
      seed: 1,
    })) {
      for (const { fault } of episodesToSchedule(episodes, 20_000_000)) seen.add(fault.type);
    }
    expect([...seen].sort()).toEqual(
      [
        'bridge',
        'clockDrift',
        'clockJump',
        'crash',
        'cut',
        'duplicate',
        'heal',
        'isolate',
        'loss',
        'partition',
        'pause',
        'restart',
        'resume',
        'ring',
        'slow',
      ].sort(),
    );
  });

  it('makes partitions of each Jepsen shape', () => {
    const sample = (shape: (typeof PARTITION_SHAPES)[number]) =>
      fc.sample(partitionFault(shape, nodes), { numRuns: 1, seed: 3 })[0]!;
    expect(sample('halves')).toMatchObject({ type: 'partition' });
    const halves = sample('halves') as unknown as { groups: string[][] };
    expect(halves.groups.map((group) => group.length).sort()).toEqual([2, 3]);
    expect(sample('isolate')).toMatchObject({ type: 'isolate' });
    expect(sample('ring')).toEqual({ type: 'ring' });
    const bridge = sample('bridge') as unknown as { bridge: string; groups: string[][] };
    expect([bridge.bridge, ...bridge.groups.flat()].sort()).toEqual(nodes);
    const cut = sample('oneWay') as unknown as { type: string; from: string[]; to: string[] };
    expect(cut.type).toBe('cut');
    expect([...cut.from, ...cut.to].sort()).toEqual(nodes);
  });

  it('rejects bad options by name', () => {
    expect(() => faultEpisodes({ nodes: [], healAt: '1s' })).toThrow(
      'faultEpisodes: options.nodes: give at least one node id',
    );
    expect(() => faultEpisodes({ nodes, healAt: 'soon' })).toThrow(/options.healAt: 'soon' is not a duration/);
    expect(() => faultEpisodes({ nodes, healAt: '1s', kinds: ['meteor' as never] })).toThrow(
      "options.kinds: unknown kind 'meteor'",
    );
    expect(() => faultEpisodes({ nodes, healAt: '1s', from: '2s' })).toThrow('options.from: must be before healAt');
  });
});

describe('cluster and workload arbitraries', () => {
  it('draws clusters n1..nK, odd sizes when asked', () => {
    for (const cluster of fc.sample(clusterNodes({ min: 3, max: 7, oddOnly: true }), { numRuns: 50, seed: 2 })) {
      expect([3, 5, 7]).toContain(cluster.length);
      expect(cluster[0]).toBe('n1');
    }
    expect(() => clusterNodes({ min: 4, max: 4, oddOnly: true })).toThrow('no odd size');
  });

  it('draws workload blocks within bounds', () => {
    for (const spec of fc.sample(workloadSpec({ names: ['kv'], maxClients: 4, maxOpsPerClient: 10, stopAt: '5s' }), {
      numRuns: 50,
      seed: 4,
    })) {
      expect(spec.name).toBe('kv');
      expect(spec.clients).toBeGreaterThanOrEqual(1);
      expect(spec.clients).toBeLessThanOrEqual(4);
      expect(spec.opsPerClient).toBeLessThanOrEqual(10);
      expect(spec.stopAt).toBe('5s');
    }
  });
});
