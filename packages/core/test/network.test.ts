import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  blockedLinks,
  connectivity,
  createRandom,
  Network,
  sampleLatency,
  type Fault,
  type LatencyDistribution,
  type ResolvedNetwork,
} from '../src/index.ts';

const nodes = ['n1', 'n2', 'n3', 'n4', 'n5'];
const network = (overrides: Partial<ResolvedNetwork> = {}) =>
  new Network(
    nodes,
    {
      latency: { dist: 'constant', micros: 1_000 },
      loss: 0,
      duplicate: 0,
      fifo: false,
      links: [],
      clientLatency: { dist: 'constant', micros: 1_000 },
      ...overrides,
    },
    createRandom(1, 'network'),
  );

describe('latency distributions', () => {
  const mean = (distribution: LatencyDistribution) => {
    const random = createRandom(2, 'latency');
    let sum = 0;
    let min = Infinity;
    for (let i = 0; i < 40_000; i++) {
      const sample = sampleLatency(distribution, random);
      expect(Number.isInteger(sample)).toBe(true);
      sum += sample;
      min = Math.min(min, sample);
    }
    return { mean: sum / 40_000, min };
  };
  it('constant', () => expect(mean({ dist: 'constant', micros: 750 })).toEqual({ mean: 750, min: 750 }));
  it('uniform stays in range with the right mean', () => {
    const result = mean({ dist: 'uniform', min: 1_000, max: 3_000 });
    expect(result.min).toBeGreaterThanOrEqual(1_000);
    expect(Math.abs(result.mean - 2_000)).toBeLessThan(20);
  });
  it('exponential: min plus a tail with the given mean', () => {
    const result = mean({ dist: 'exponential', mean: 2_000, min: 500 });
    expect(result.min).toBeGreaterThanOrEqual(500);
    expect(Math.abs(result.mean - 2_500)).toBeLessThan(50);
  });
  it('normal is clamped at its minimum', () => {
    const result = mean({ dist: 'normal', mean: 1_000, stddev: 200, min: 0 });
    expect(result.min).toBeGreaterThanOrEqual(0);
    expect(Math.abs(result.mean - 1_000)).toBeLessThan(10);
  });
  it('log-normal has its median and a long right tail', () => {
    const random = createRandom(4, 'lognormal');
    const samples = Array.from({ length: 40_001 }, () =>
      sampleLatency({ dist: 'lognormal', median: 2_000, sigma: 0.8 }, random),
    ).sort((a, b) => a - b);
    expect(Math.abs(samples[20_000]! - 2_000)).toBeLessThan(60);
    expect(samples[39_600]!).toBeGreaterThan(2_000 * Math.exp(0.8 * 2.2));
  });
});

describe('network', () => {
  it('loses messages at the configured rate and reports the reason', () => {
    const net = network({ loss: 0.25 });
    let lost = 0;
    for (let i = 0; i < 20_000; i++) {
      const fate = net.transmit(0, 1, 0);
      if (fate.dropped) {
        expect(fate.dropped).toBe('loss');
        lost++;
      }
    }
    expect(Math.abs(lost / 20_000 - 0.25)).toBeLessThan(0.015);
  });

  it('duplicates messages at the configured rate', () => {
    const net = network({ duplicate: 0.1, latency: { dist: 'uniform', min: 0, max: 10_000 } });
    let duplicated = 0;
    for (let i = 0; i < 20_000; i++)
      if ((net.transmit(0, 1, 0) as { duplicateAt?: number }).duplicateAt !== undefined) duplicated++;
    expect(Math.abs(duplicated / 20_000 - 0.1)).toBeLessThan(0.01);
  });

  it('reorders on plain links but never on FIFO links', () => {
    const latency: LatencyDistribution = { dist: 'uniform', min: 0, max: 50_000 };
    const reordered = (fifo: boolean) => {
      const net = network({ latency, fifo });
      let last = -1;
      let inversions = 0;
      for (let t = 0; t < 2_000; t++) {
        const fate = net.transmit(0, 1, t * 100);
        if (fate.dropped) continue;
        if (fate.deliverAt < last) inversions++;
        last = Math.max(last, fate.deliverAt);
      }
      return inversions;
    };
    expect(reordered(false)).toBeGreaterThan(100);
    expect(reordered(true)).toBe(0);
  });

  it('applies per-link overrides to one direction and leaves the others alone', () => {
    const net = network({ links: [{ from: 'n1', to: 'n2', latency: { dist: 'constant', micros: 99_000 } }] });
    expect(net.transmit(0, 1, 0)).toEqual({ deliverAt: 99_000 });
    expect(net.transmit(1, 0, 0)).toEqual({ deliverAt: 1_000 });
    expect(net.transmit(0, 2, 0)).toEqual({ deliverAt: 1_000 });
  });

  it('drops messages across a partition until heal, and heal also ends loss faults', () => {
    const net = network();
    net.apply({
      type: 'partition',
      groups: [
        ['n1', 'n2'],
        ['n3', 'n4'],
      ],
    });
    expect(net.transmit(0, 1, 0).dropped).toBeUndefined();
    expect(net.transmit(0, 2, 0).dropped).toBe('partition');
    // n5 is unlisted: it forms its own group.
    expect(net.transmit(4, 0, 0).dropped).toBe('partition');
    net.apply({ type: 'loss', probability: 1 });
    net.apply({ type: 'heal' });
    expect(net.transmit(0, 2, 0).dropped).toBeUndefined();
  });
});

describe('partition shapes', () => {
  const sees = (fault: Parameters<typeof connectivity>[0]) => {
    const canTalk = connectivity(fault, nodes)!;
    return nodes.map((from) => nodes.filter((to) => canTalk(from, to)));
  };

  it('isolate cuts one node off both ways', () => {
    const blocked = blockedLinks({ type: 'isolate', node: 'n3' }, nodes);
    expect(blocked).toHaveLength(8);
    expect(blocked.every(([from, to]) => from === 'n3' || to === 'n3')).toBe(true);
  });

  it('majorities ring: every node sees a majority, no two see the same one', () => {
    for (const size of [3, 5, 7, 9]) {
      const ring = nodes.concat(['n6', 'n7', 'n8', 'n9']).slice(0, size);
      const canTalk = connectivity({ type: 'ring' }, ring)!;
      const views = ring.map((from) => ring.filter((to) => canTalk(from, to)).join(','));
      for (const view of views) expect(view.split(',').length).toBeGreaterThanOrEqual(Math.floor(size / 2) + 1);
      if (size >= 5) expect(new Set(views).size).toBe(size);
    }
  });

  it('bridge: the bridge node talks to both sides, the sides do not talk', () => {
    const views = sees({
      type: 'bridge',
      bridge: 'n3',
      groups: [
        ['n1', 'n2'],
        ['n4', 'n5'],
      ],
    });
    expect(views[2]).toEqual(nodes);
    expect(views[0]).toEqual(['n1', 'n2', 'n3']);
    expect(views[4]).toEqual(['n3', 'n4', 'n5']);
  });

  it('a one-way cut blocks only its direction', () => {
    const blocked = blockedLinks({ type: 'cut', from: ['n1'], to: ['n2', 'n3'] }, nodes);
    expect(blocked).toEqual([
      ['n1', 'n2'],
      ['n1', 'n3'],
    ]);
  });
});

describe('partitions in a row', () => {
  /** The links the network drops after `faults`, as [from, to] pairs. */
  const droppedLinks = (faults: readonly Fault[]) => {
    const net = network();
    for (const fault of faults) net.apply(fault);
    const dropped: Array<[string, string]> = [];
    nodes.forEach((from, i) =>
      nodes.forEach((to, j) => {
        if (i !== j && net.transmit(i, j, 0).dropped === 'partition') dropped.push([from, to]);
      }),
    );
    return dropped;
  };

  it('a new partition replaces the previous one, as a new Jepsen grudge does: it never adds to it', () => {
    const first: Fault = { type: 'partition', groups: [['n1'], ['n2', 'n3', 'n4', 'n5']] };
    const second: Fault = { type: 'partition', groups: [['n5'], ['n1', 'n2', 'n3', 'n4']] };
    // n1 talks again to everyone but n5: the first partition's cuts are gone.
    expect(droppedLinks([first, second])).toEqual(blockedLinks(second, nodes));
    expect(droppedLinks([first, second]).some(([from, to]) => from === 'n1' && to === 'n2')).toBe(false);
  });

  it('for any two partition shapes in a row, exactly the second one cuts', () => {
    const node = fc.constantFrom(...nodes);
    const groups = fc.array(fc.uniqueArray(node, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 });
    const shape: fc.Arbitrary<Fault> = fc.oneof(
      groups.map((list) => {
        const seen = new Set<string>();
        const disjoint = list.map((group) => group.filter((n) => !seen.has(n) && seen.add(n))).filter((g) => g.length);
        return { type: 'partition', groups: disjoint } as Fault;
      }),
      node.map((n) => ({ type: 'isolate', node: n }) as Fault),
      fc.constant({ type: 'ring' } as Fault),
      fc
        .tuple(fc.uniqueArray(node, { minLength: 1 }), fc.uniqueArray(node, { minLength: 1 }))
        .map(([from, to]) => ({ type: 'cut', from, to }) as Fault),
    );
    fc.assert(
      fc.property(shape, shape, (first, second) => {
        expect(droppedLinks([first, second])).toEqual(blockedLinks(second, nodes));
      }),
      { numRuns: 300 },
    );
  });
});

describe('routing: the common network decided once, held to the general route', () => {
  const latency = fc.oneof(
    fc
      .tuple(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 0, max: 5_000 }))
      .map(([a, b]): LatencyDistribution => ({ dist: 'uniform', min: Math.min(a, b), max: Math.max(a, b) })),
    fc.integer({ min: 0, max: 5_000 }).map((micros): LatencyDistribution => ({ dist: 'constant', micros })),
    fc.constant<LatencyDistribution>({ dist: 'exponential', mean: 1_000, min: 100 }),
  );
  const fault = fc.oneof(
    fc.constant<Fault>({ type: 'heal' }),
    fc.constant<Fault>({
      type: 'partition',
      groups: [
        ['n1', 'n2'],
        ['n3', 'n4', 'n5'],
      ],
    }),
    fc.constantFrom<Fault>({ type: 'loss', probability: 0.2 }, { type: 'duplicate', probability: 0.3 }),
    latency.map((slow): Fault => ({ type: 'slow', latency: slow })),
  );
  const config = fc.record({
    latency,
    loss: fc.constantFrom(0, 0, 0, 0.1),
    duplicate: fc.constantFrom(0, 0, 0, 0.1),
    fifo: fc.constantFrom(false, false, false, true),
    links: fc.constantFrom<ResolvedNetwork['links']>(
      [],
      [{ from: 'n1', to: '*', latency: { dist: 'constant', micros: 9 } }],
    ),
    clientLatency: fc.constant<LatencyDistribution>({ dist: 'uniform', min: 0, max: 1_000_000 }),
  });
  const step = fc.oneof(
    { arbitrary: fc.record({ from: fc.integer({ min: 0, max: 4 }), to: fc.integer({ min: 0, max: 4 }) }), weight: 8 },
    { arbitrary: fault, weight: 1 },
    { arbitrary: fc.constant<Fault>({ type: 'heal' }), weight: 1 },
  );

  it('gives every message the same fate and draws the same numbers', () => {
    let common = 0;
    fc.assert(
      fc.property(
        config,
        fc.array(step, { maxLength: 120, size: 'medium' }),
        fc.integer({ min: 1, max: 1_000 }),
        (resolved, steps, seed) => {
          const fast = new Network(nodes, resolved, createRandom(seed, 'network'));
          const general = new Network(nodes, resolved, createRandom(seed, 'network'));
          let now = 0;
          for (const s of steps) {
            if ('type' in s) {
              expect(fast.apply(s)).toBe(general.apply(s));
              continue;
            }
            now += 100;
            if ((fast as unknown as { uniformMin: number }).uniformMin >= 0) common++;
            const at = fast.route(s.from, s.to, now);
            expect(at).toBe(general.routeAnyNetwork(s.from, s.to, now));
            expect(fast.duplicateAt).toBe(general.duplicateAt);
            if (at < 0) expect(fast.dropReason).toBe(general.dropReason);
          }
          // The two streams are still in step: the same number of draws was taken from each.
          expect(fast.clientLatency()).toBe(general.clientLatency());
        },
      ),
      { numRuns: 300 },
    );
    expect(common).toBeGreaterThan(300);
  });
});
