import { describe, expect, it } from 'vitest';
import { runScenario } from '@dsim/core';
import { benchScenario } from './bench/raft.bench.ts';

/**
 * CI never times the benchmarks (no timing assertions in tests), but it keeps what they time
 * honest: the Raft hour must be the scenario its name and BENCHMARKS.md describe, and a run of it
 * must hold its invariants. A short stretch of the same scenario is checked here.
 */
describe('the Raft benchmark scenario', () => {
  const scenario = { ...benchScenario(), until: '30s' };

  it('is five nodes with 50 ms heartbeats and 150 ms election timeouts, checked by the five safety invariants', () => {
    expect(scenario.nodes).toBe(5);
    expect(scenario.config).toMatchObject({ heartbeatIntervalMicros: 50_000, electionTimeoutMicros: 150_000 });
    expect(
      scenario.invariants!.map((invariant) => (typeof invariant === 'string' ? invariant : invariant.name)),
    ).toEqual(['election-safety', 'leader-append-only', 'log-matching', 'leader-completeness', 'state-machine-safety']);
  });

  it('serves about 100 client writes a simulated second and holds its invariants', () => {
    const result = runScenario(scenario, {}, { trace: 'off', stateMode: 'mutable' });
    expect(result.violations).toEqual([]);
    expect(result.endReason).toBe('until');
    const writesPerSecond = result.stats.operationsOk / 30;
    expect(writesPerSecond).toBeGreaterThan(90);
    expect(writesPerSecond).toBeLessThan(110);
  });

  it('runs the same in the mutable state mode it is timed in as in the default immutable one', () => {
    const short = { ...scenario, until: '10s' };
    const mutable = runScenario(short, {}, { trace: 'hash', stateMode: 'mutable' });
    const immutable = runScenario(short, {}, { trace: 'hash', stateMode: 'immutable' });
    expect(mutable.hash).toBe(immutable.hash);
    expect(mutable.stats.events).toBe(immutable.stats.events);
  });
});
