import { describe, expect, it } from 'vitest';
import { LIMITS, resolveScenario, ScenarioError, type ScenarioIssue } from '../src/index.ts';
import { recorder } from './fixtures.ts';

/**
 * One validation layer: every number, string and key a scenario holds is finite, within a
 * documented range (LIMITS) and an own setting, or the scenario is refused with the field named.
 * One test per class of hostile value.
 */
const protocol = { ...recorder({}), defaults: { timeoutMicros: 5, nested: { depth: 1 } } };
const registry = { recorder: protocol };
const valid = { name: 'ok', protocol: 'recorder', nodes: 3, until: '10s' };

const issuesOf = (scenario: unknown): ScenarioIssue[] => {
  try {
    resolveScenario(scenario, { registry });
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return [...(error as ScenarioError).issues];
  }
  throw new Error('expected the scenario to be rejected');
};
const pathsOf = (scenario: unknown) => issuesOf(scenario).map((issue) => issue.path);

describe('scenario limits', () => {
  it('bounds counts: nodes, clients, nemesis faults, node-list length', () => {
    expect(issuesOf({ ...valid, nodes: 1e9 })[0]).toMatchObject({
      path: 'nodes',
      message: expect.stringContaining(`from 1 to ${LIMITS.nodes}`),
    });
    expect(pathsOf({ ...valid, nodes: LIMITS.nodes + 1 })).toEqual(['nodes']);
    expect(resolveScenario({ ...valid, nodes: LIMITS.nodes }, { registry }).nodes).toHaveLength(LIMITS.nodes);
    expect(pathsOf({ ...valid, workload: { name: 'kv', clients: 1e9 } })).toContain('workload.clients');
    expect(pathsOf({ ...valid, nemesis: { faults: 1e9 } })).toEqual(['nemesis.faults']);
    expect(pathsOf({ ...valid, nemesis: { faults: 2.5 } })).toEqual(['nemesis.faults']);
  });

  it('bounds every duration: until, latencies, clock offsets and jumps, timeouts', () => {
    expect(issuesOf({ ...valid, until: 1e308 })[0]).toMatchObject({
      path: 'until',
      message: expect.stringMatching(/longer than the 24h allowed/),
    });
    expect(pathsOf({ ...valid, until: '99999999999999999999h' })).toEqual(['until']);
    expect(pathsOf({ ...valid, network: { latency: 1e300 } })).toEqual(['network.latency']);
    expect(pathsOf({ ...valid, network: { latency: { dist: 'exponential', mean: '2000000h' } } })).toEqual([
      'network.latency.mean',
    ]);
    expect(pathsOf({ ...valid, clocks: { n1: { offset: -1e300 } } })).toEqual(['clocks.n1.offset']);
    expect(
      pathsOf({ ...valid, faults: [{ at: '1s', fault: { type: 'clockJump', node: 'n1', delta: '-900000h' } }] }),
    ).toEqual(['faults[0].fault.delta']);
    expect(pathsOf({ ...valid, workload: { name: 'kv', timeout: 1e20 } })).toContain('workload.timeout');
    // The bound itself is allowed.
    expect(resolveScenario({ ...valid, until: '24h' }, { registry }).until).toBe(LIMITS.untilMicros);
  });

  it('refuses NaN and Infinity anywhere, as a .ts scenario can hand them over', () => {
    expect(issuesOf({ ...valid, clocks: { n1: { driftPpm: Number.NaN } } })).toEqual([
      { path: 'clocks.n1.driftPpm', message: 'must be a finite number, got NaN' },
    ]);
    expect(pathsOf({ ...valid, network: { latency: { dist: 'lognormal', median: '1ms', sigma: Infinity } } })).toEqual([
      'network.latency.sigma',
    ]);
    expect(pathsOf({ ...valid, config: { timeoutMicros: -Infinity } })).toEqual(['config.timeoutMicros']);
    expect(pathsOf({ ...valid, seed: Number.NaN })).toEqual(['seed']);
  });

  it('bounds shapes: log-normal sigma, drift of a clock fault and of the nemesis', () => {
    expect(pathsOf({ ...valid, network: { latency: { dist: 'lognormal', median: '1ms', sigma: 50 } } })).toEqual([
      'network.latency.sigma',
    ]);
    expect(pathsOf({ ...valid, faults: [{ at: '1s', fault: { type: 'clockDrift', node: 'n1', ppm: 1e12 } }] })).toEqual(
      ['faults[0].fault.ppm'],
    );
    expect(pathsOf({ ...valid, nemesis: { driftPpmMax: 1e12 } })).toEqual(['nemesis.driftPpmMax']);
    expect(pathsOf({ ...valid, nemesis: { fautls: 3 } })).toEqual(['nemesis.fautls']);
  });

  it('refuses keys that reach a prototype and settings the protocol does not own', () => {
    const polluted = JSON.parse('{"__proto__": {"timeoutMicros": 1}}') as unknown;
    expect(issuesOf({ ...valid, config: polluted })[0]).toMatchObject({
      path: 'config.__proto__',
      message: expect.stringMatching(/cannot be a key/),
    });
    expect(pathsOf({ ...valid, workload: { name: 'kv', options: { constructor: 1 } } })).toEqual([
      'workload.options.constructor',
    ]);
    for (const key of ['toString', 'hasOwnProperty', 'valueOf'])
      expect(issuesOf({ ...valid, config: { [key]: 1 } })[0]).toMatchObject({
        path: `config.${key}`,
        message: expect.stringMatching(/has no setting/),
      });
    // Nothing leaked into Object.prototype on the way.
    expect(({} as Record<string, unknown>).timeoutMicros).toBeUndefined();
  });

  it('bounds strings: names, node ids, any string', () => {
    expect(pathsOf({ ...valid, name: 'x'.repeat(LIMITS.nameLength + 1) })).toEqual(['name']);
    expect(pathsOf({ ...valid, nodes: ['n1', 'n2\u202e', 'n3\u0000'] })).toEqual(['nodes[1]', 'nodes[2]']);
    expect(pathsOf({ ...valid, nodes: ['x'.repeat(LIMITS.nodeIdLength + 1)] })).toEqual(['nodes[0]']);
    const huge = issuesOf({ ...valid, description: 'x'.repeat(LIMITS.stringLength + 1) });
    expect(huge[0]).toMatchObject({ path: 'description', message: expect.stringMatching(/longer than/) });
    // A message never echoes a huge value back.
    expect(issuesOf({ ...valid, until: 'y'.repeat(100_000) })[0]!.message.length).toBeLessThan(400);
  });

  it('refuses what JSON cannot hold: cycles, throwing getters, BigInt, class instances, deep nesting', () => {
    const cyclic: Record<string, unknown> = { name: 'c' };
    cyclic.self = cyclic;
    expect(issuesOf({ ...valid, workload: { name: 'kv', options: cyclic } })[0]).toMatchObject({
      path: 'workload.options.self',
      message: expect.stringMatching(/refers back to workload.options: a cycle/),
    });
    const throwing = Object.defineProperty({ ...valid }, 'until', {
      enumerable: true,
      get() {
        throw new Error('disk on fire');
      },
    });
    expect(issuesOf(throwing)).toEqual([{ path: 'until', message: 'reading this value threw: disk on fire' }]);
    expect(pathsOf({ ...valid, seed: 7n })).toEqual(['seed']);
    expect(issuesOf({ ...valid, config: { timeoutMicros: new Map() } })[0]!.message).toMatch(/plain data.*a Map/);
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(issuesOf({ ...valid, workload: { name: 'kv', options: deep } })[0]!.message).toMatch(/nests deeper than 64/);
    let deepArray: unknown = [];
    for (let i = 0; i < 100_000; i++) deepArray = [deepArray];
    expect(issuesOf({ ...valid, nodes: deepArray })[0]!.message).toMatch(/nests deeper/);
    // A value shared (not cyclic) is fine.
    const shared = { depth: 2 };
    expect(resolveScenario({ ...valid, config: { nested: shared }, description: 'x' }, { registry }).config).toEqual({
      timeoutMicros: 5,
      nested: { depth: 2 },
    });
  });

  it("finds only the registry's own protocols, takes no null seed and no duration finer than a microsecond", () => {
    for (const name of ['__proto__', 'toString', 'constructor'])
      expect(issuesOf({ ...valid, protocol: name })[0]).toMatchObject({
        path: 'protocol',
        message: expect.stringMatching(/unknown protocol/),
      });
    expect(pathsOf({ ...valid, seed: null })).toEqual(['seed']);
    expect(resolveScenario({ ...valid, until: '1.000001s' }, { registry }).until).toBe(1_000_001);
    expect(pathsOf({ ...valid, until: '1.0000001us' })).toEqual(['until']);
    expect(resolveScenario({ ...valid, until: '1.1ms' }, { registry }).until).toBe(1_100);
  });

  it('lists at most thirty problems in the message and keeps them all', () => {
    const many = issuesOf({ ...valid, nodes: Array.from({ length: 40 }, () => 7) });
    expect(many).toHaveLength(40);
    try {
      resolveScenario({ ...valid, nodes: Array.from({ length: 40 }, () => 7) }, { registry });
    } catch (error) {
      expect((error as Error).message).toMatch(/… and 10 more problems$/);
    }
  });
});
