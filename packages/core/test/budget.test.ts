import { describe, expect, it } from 'vitest';
import { defineProtocol, resolveScenario, runScenario, type Scenario, type TraceEvent } from '../src/index.ts';

/** Every message is answered with two: a storm that grows without bound. */
const storm = defineProtocol<{ received: number }, { hop: number }, never, never, Record<string, never>>({
  name: 'storm',
  timers: [],
  defaults: {},
  init(ctx) {
    if (ctx.self === 'n1') ctx.send('n2', { hop: 0 });
    return { received: 0 };
  },
  onMessage(state, from, msg, ctx) {
    state.received++;
    ctx.send(from, { hop: msg.hop + 1 });
    ctx.send(from, { hop: msg.hop + 1 });
  },
  onTimer() {},
  summarize: (state) => ({ role: 'storm', received: state.received }),
  describeMessage: (msg) => `hop ${msg.hop}`,
});

/** A timer re-armed with no delay: simulated time never advances, so `until` is never reached. */
const spin = defineProtocol<{ spins: number }, never, never, never, Record<string, never>>({
  name: 'spin',
  timers: ['spin'],
  defaults: {},
  init(ctx) {
    ctx.setTimer('spin', 0);
    return { spins: 0 };
  },
  onMessage() {},
  onTimer(state, _name, ctx) {
    state.spins++;
    ctx.setTimer('spin', 0);
  },
  summarize: (state) => ({ role: 'spin', spins: state.spins }),
  describeMessage: () => '',
});

const scenario = (protocol: Scenario['protocol'], extra: Partial<Scenario> = {}): Scenario => ({
  name: 'budget',
  protocol,
  nodes: 2,
  until: '10s',
  network: { latency: '1ms' },
  ...extra,
});

describe('run budgets', () => {
  it('default to 100,000 events and sends per simulated second per node, at least 1,000,000', () => {
    expect(resolveScenario(scenario(storm)).budget).toEqual({ events: 2_000_000, messages: 2_000_000 });
    expect(resolveScenario(scenario(storm, { until: '1s' })).budget).toEqual({
      events: 1_000_000,
      messages: 1_000_000,
    });
    expect(resolveScenario(scenario(storm, { nodes: 5, until: '1h' })).budget.events).toBe(1_800_000_000);
    expect(resolveScenario(scenario(storm, { budget: { messages: 50 } })).budget).toEqual({
      events: 2_000_000,
      messages: 50,
    });
  });

  it('a message storm ends as a livelock, with a budget violation and the trace so far', () => {
    const result = runScenario(scenario(storm, { budget: { messages: 1_000 } }));
    expect(result.endReason).toBe('livelock');
    expect(result.violations).toHaveLength(1);
    expect(result.violations[0]).toMatchObject({ invariant: 'budget', kind: 'always' });
    expect(result.violations[0]!.message).toMatch(/sent more than its budget of 1000 messages/);
    expect(result.stats.messagesSent).toBeGreaterThan(1_000);
    expect(result.stats.messagesSent).toBeLessThan(3_000);
    const lines = result.trace.map((line) => JSON.parse(line) as TraceEvent | { format: string });
    const [violation, end] = lines.slice(-2) as TraceEvent[];
    expect(violation).toMatchObject({ k: 'violation', invariant: 'budget' });
    expect(end).toMatchObject({ k: 'end', reason: 'livelock' });
    expect(lines.filter((line) => 'k' in line && line.k === 'send').length).toBe(result.stats.messagesSent);
  });

  it('zero-delay timers that stop time end as a livelock under the default budget, never a hang', () => {
    const result = runScenario(scenario(spin, { until: '1s' }), {}, { trace: 'off', stateMode: 'mutable' });
    expect(result.endReason).toBe('livelock');
    expect(result.endTime).toBe(0);
    expect(result.stats.events).toBe(1_000_000);
    expect(result.violations[0]!.message).toMatch(/used its budget of 1000000 events by 0us/);
  });

  it('an event budget stops the run after exactly that many events', () => {
    const result = runScenario(scenario(spin, { budget: { events: 500 } }), {}, { trace: 'off' });
    expect(result.endReason).toBe('livelock');
    expect(result.stats.events).toBe(500);
  });

  it('a run within its budget is unchanged by it', () => {
    const calm = scenario(storm, { until: '3ms' });
    const without = runScenario(calm);
    const generous = runScenario({ ...calm, budget: { events: 10_000, messages: 10_000 } });
    expect(generous.endReason).toBe('until');
    expect(generous.hash).toBe(without.hash);
  });

  it('rejects a budget that is not a positive whole number, naming the field', () => {
    expect(() => resolveScenario(scenario(storm, { budget: { events: 0 } }))).toThrow(
      /budget\.events: must be a positive whole number, got number 0/,
    );
    expect(() => resolveScenario(scenario(storm, { budget: { messages: 1.5 } }))).toThrow(/budget\.messages/);
    expect(() => resolveScenario(scenario(storm, { budget: { event: 5 } as never }))).toThrow(
      /budget\.event: unknown field/,
    );
    expect(() => resolveScenario(scenario(storm, { budget: 5 as never }))).toThrow(/budget: must be/);
  });
});
