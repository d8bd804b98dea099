import { describe, expect, it } from 'vitest';
import { runScenario, type Scenario } from '@dsim/core';
import { registry } from '@dsim/registry';

/**
 * Determinism is the product: same scenario + seed + code = same trace bytes. These tests run the
 * example protocol under every kind of fault the kernel has, with loss, duplication and a
 * log-normal network, and compare hashes.
 */
const stormy: Scenario = {
  name: 'determinism',
  protocol: 'heartbeat',
  nodes: 5,
  until: '45s',
  network: { latency: { dist: 'lognormal', median: '2ms', sigma: 0.6 }, loss: 0.02, duplicate: 0.02 },
  clocks: { n2: { offset: '-3s', driftPpm: 300 } },
  nemesis: {
    faults: 6,
    kinds: ['partition', 'crash', 'pause', 'clock', 'loss', 'duplicate'],
    from: '2s',
    healAt: '30s',
    maxDuration: '8s',
  },
  workload: { name: 'probe', clients: 3, thinkTime: '300ms', timeout: '200ms' },
  stopOnViolation: false,
};
const SEEDS = Array.from({ length: 500 }, (_, i) => i + 1);

describe('determinism', () => {
  it('500 seeds, each run twice, give identical trace hashes; different seeds give different traces', () => {
    const hashes = new Map<string, number>();
    for (const seed of SEEDS) {
      const first = runScenario(stormy, { registry, seed }, { trace: 'hash', stateMode: 'mutable' });
      const second = runScenario(stormy, { registry, seed }, { trace: 'hash', stateMode: 'mutable' });
      expect(second.hash, `seed ${seed}`).toBe(first.hash);
      expect(hashes.has(first.hash!), `seed ${seed} repeats seed ${hashes.get(first.hash!)}`).toBe(false);
      hashes.set(first.hash!, seed);
    }
    expect(hashes.size).toBe(SEEDS.length);
  });

  it('the immutable (immer) and mutable state modes give the same hash', () => {
    for (const seed of SEEDS.slice(0, 100)) {
      const immutable = runScenario(stormy, { registry, seed }, { trace: 'hash', stateMode: 'immutable' });
      const mutable = runScenario(stormy, { registry, seed }, { trace: 'hash', stateMode: 'mutable' });
      expect(mutable.hash, `seed ${seed}`).toBe(immutable.hash);
    }
  });

  it('a trace kept in memory hashes the same as one only hashed, and full-state traces are deterministic too', () => {
    const hashed = runScenario(stormy, { registry, seed: 3 }, { trace: 'hash' });
    const kept = runScenario(stormy, { registry, seed: 3 }, { trace: 'memory' });
    expect(kept.hash).toBe(hashed.hash);
    const fullA = runScenario(
      { ...stormy, traceFullState: true },
      { registry, seed: 3 },
      { trace: 'hash', stateMode: 'immutable' },
    );
    const fullB = runScenario(
      { ...stormy, traceFullState: true },
      { registry, seed: 3 },
      { trace: 'hash', stateMode: 'mutable' },
    );
    expect(fullA.hash).toBe(fullB.hash);
  });

  it('node ids that look like integers keep the scenario order everywhere', () => {
    const numeric = { ...stormy, nodes: ['10', '9', '2', '1'], clocks: { '9': { offset: '1s' } } };
    const a = runScenario(numeric, { registry, seed: 8 }, { trace: 'memory' });
    const b = runScenario(numeric, { registry, seed: 8 }, { trace: 'memory', stateMode: 'mutable' });
    expect(a.hash).toBe(b.hash);
    expect(JSON.parse(a.trace[0]!).nodes).toEqual(['10', '9', '2', '1']);
    expect(JSON.parse(a.trace[0]!).clocks.map((entry: unknown[]) => entry[0])).toEqual(['10', '9', '2', '1']);
  });

  it('pins the hash of one run, so a change that alters runs is a visible, reviewed change', () => {
    const result = runScenario(stormy, { registry, seed: 42 }, { trace: 'hash' });
    expect(result.hash).toMatchInlineSnapshot(`"5978eaa945296c0c"`);
  });
});
