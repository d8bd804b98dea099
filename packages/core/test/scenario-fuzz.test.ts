import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LIMITS, resolveScenario, ScenarioError } from '../src/index.ts';
import { recorder } from './fixtures.ts';

/**
 * The scenario validator on anything: it returns a resolved scenario whose every number is a
 * finite value within LIMITS, or throws a ScenarioError whose issues each name a field. Never
 * another exception, never a hang, never a resolved scenario carrying NaN or an unbounded time.
 */
const protocol = { ...recorder({}), defaults: { timeoutMicros: 5 } };
const registry = { recorder: protocol };

const hostileScalar = fc.oneof(
  fc.integer({ min: -3, max: 12 }),
  fc.constantFrom(1e9, 1e308, -1e308, Number.NaN, Infinity, -Infinity, 0.5, 2 ** 53, -0),
  fc.constantFrom('1s', '5ms', '-2s', '1e300s', '99999999999999999999h', '', '__proto__', 'n1', 'n2', '*'),
  fc.constantFrom(null, true, false, undefined),
  fc.string({ maxLength: 8 }),
);
const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileScalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.constantFrom(
        'type',
        'node',
        'groups',
        'at',
        'fault',
        'dist',
        'min',
        'max',
        'mean',
        'sigma',
        'median',
        'stddev',
        'micros',
        'from',
        'to',
        'faults',
        'kinds',
        'clients',
        'name',
        'offset',
        'driftPpm',
        'ppm',
        'delta',
        'probability',
        'latency',
        '__proto__',
        'toString',
        'constructor',
      ),
      tie('value'),
      { maxKeys: 5 },
    ),
  ),
})).value;
const scenario = fc.record(
  {
    name: fc.oneof(fc.constant('fuzz'), hostileValue),
    protocol: fc.oneof(fc.constant('recorder'), hostileValue),
    nodes: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.constant(['n1', 'n2', 'n3']), hostileValue),
    until: fc.oneof(fc.constant('10s'), hostileValue),
    seed: hostileValue,
    config: hostileValue,
    network: hostileValue,
    clocks: fc.oneof(fc.dictionary(fc.constantFrom('n1', 'n2', '__proto__'), hostileValue), hostileValue),
    faults: fc.oneof(fc.array(fc.record({ at: hostileValue, fault: hostileValue })), hostileValue),
    nemesis: hostileValue,
    workload: hostileValue,
    budget: hostileValue,
  },
  { requiredKeys: [] },
);

/** Every number in a resolved scenario's data is finite and every time within a day. */
function assertBounded(value: unknown, path: string): void {
  if (typeof value === 'number') {
    expect(Number.isFinite(value), path).toBe(true);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, child] of Object.entries(value)) assertBounded(child, `${path}.${key}`);
}

describe('scenario validator fuzzing', () => {
  it('resolves or names the fields for any input, with every number finite and times bounded', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        let resolved;
        try {
          resolved = resolveScenario(input, { registry });
        } catch (error) {
          expect(error).toBeInstanceOf(ScenarioError);
          const issues = (error as ScenarioError).issues;
          expect(issues.length).toBeGreaterThan(0);
          for (const issue of issues) expect(typeof issue.message).toBe('string');
          return;
        }
        expect(resolved.until).toBeGreaterThan(0);
        expect(resolved.until).toBeLessThanOrEqual(LIMITS.untilMicros);
        expect(resolved.nodes.length).toBeLessThanOrEqual(LIMITS.nodes);
        const { protocol: _protocol, invariants: _invariants, ...data } = resolved;
        assertBounded(data, 'resolved');
        for (const { at } of resolved.faults) expect(at).toBeLessThan(resolved.until);
      }),
      { numRuns: 1500 },
    );
  });

  it('never lets a key reach Object.prototype', () => {
    fc.assert(
      fc.property(hostileValue, (config) => {
        try {
          resolveScenario(
            {
              name: 'p',
              protocol: 'recorder',
              nodes: 2,
              until: '1s',
              config,
              workload: { name: 'w', options: config },
            },
            { registry },
          );
        } catch {
          // Refusing is fine; polluting is not.
        }
        expect(Object.keys(Object.prototype)).toEqual([]);
        expect(({} as Record<string, unknown>).type).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });
});
