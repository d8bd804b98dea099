import { describe, expect, it } from 'vitest';
import {
  addCoverage,
  coverageGoals,
  defineProtocol,
  emptyCoverageTotals,
  runScenario,
  sometimes,
  unreachedGoals,
  type Scenario,
} from '../src/index.ts';

interface CounterState {
  count: number;
}
type CounterMsg = { readonly type: 'Ping' } | { readonly type: 'Pong' };

/**
 * n1 pings n2 every 100ms; n2 answers. A node is 'low' until it has handled three messages,
 * then 'high'. A crash resets the count (it is volatile), so a restarted node enters 'low' again.
 */
const counter = defineProtocol<CounterState, CounterMsg, { f: string }, unknown, Record<string, never>, 'ping'>({
  name: 'counter',
  timers: ['ping'],
  defaults: {},
  init(ctx) {
    if (ctx.self === 'n1') ctx.setTimer('ping', 100_000);
    return { count: 0 };
  },
  onMessage(state, from, msg, ctx) {
    state.count++;
    if (msg.type === 'Ping') ctx.send(from, { type: 'Pong' });
  },
  onTimer(state, _timer, ctx) {
    ctx.send('n2', { type: 'Ping' });
    ctx.setTimer('ping', 100_000);
  },
  summarize: (state) => ({ role: state.count >= 3 ? 'high' : 'low', count: state.count }),
  describeMessage: (msg) => msg.type,
  invariants: [sometimes('someoneHigh', (world) => world.nodes.some((node) => world.summary(node)?.role === 'high'))],
  coverage: {
    roles: ['low', 'high', 'never'],
    messages: ['Ping', 'Pong', 'Shout'],
    states: { five: (state) => state.count === 5, hundred: (state) => state.count === 100 },
  },
});

const scenario: Scenario = {
  name: 'coverage',
  protocol: counter,
  nodes: 2,
  until: '1s',
  network: { latency: '1ms' },
  faults: [
    { at: '550ms', fault: { type: 'crash', node: 'n2' } },
    { at: '560ms', fault: { type: 'restart', node: 'n2' } },
    { at: '700ms', fault: { type: 'loss', probability: 0 } },
  ],
};

describe('coverage counters', () => {
  it('do not change the run: the trace is byte for byte the same with coverage on', () => {
    const off = runScenario(scenario, {}, { trace: 'memory' });
    const on = runScenario(scenario, {}, { trace: 'memory', coverage: true });
    expect(on.traceText).toBe(off.traceText);
    expect(off.coverage).toBeUndefined();
    expect(on.coverage).toBeDefined();
  });

  it('count every message sent and delivered by kind, roles entered, declared states and faults by role', () => {
    const result = runScenario(scenario, {}, { trace: 'off', coverage: true, stateMode: 'mutable' });
    const coverage = result.coverage!;
    const sum = (record: Readonly<Record<string, number>>) => Object.values(record).reduce((a, b) => a + b, 0);
    expect(sum(coverage.sent)).toBe(result.stats.messagesSent);
    expect(sum(coverage.delivered)).toBe(result.stats.messagesDelivered);
    expect(Object.keys(coverage.sent).sort()).toEqual(['Ping', 'Pong']);
    // Both nodes start low; n2 restarts low once; each goes high once before and n2 once after the restart.
    expect(coverage.roles).toEqual({ low: 3, high: 3 });
    // n2 is high when it crashes (five pings by 550ms); the restart finds it down; loss names no node.
    expect(coverage.faults).toEqual({ 'crash@high': 1, 'restart@down': 1, 'loss@network': 1 });
    // A state counts after every step it holds: n2 at its fifth ping (501ms, then it crashes), n1
    // at its fifth pong (502ms) and at its next timer (600ms), which leaves the count at 5.
    expect(coverage.states.five).toBe(3);
    expect(coverage.states.hundred).toBeUndefined();
    expect(coverage.sometimes).toContain('someoneHigh');
  });

  it('adds runs into totals and lists the declared goals never reached', () => {
    const totals = emptyCoverageTotals();
    for (const seed of [1, 2]) {
      const result = runScenario({ ...scenario, seed }, {}, { trace: 'off', coverage: true });
      addCoverage(totals, result.coverage!);
    }
    expect(totals.sometimes).toEqual({ someoneHigh: 2 });
    const goals = coverageGoals(counter.coverage, [{ name: 'someoneHigh', kind: 'sometimes' }]);
    expect(unreachedGoals(goals, totals)).toEqual(['role never', 'message Shout', 'state hundred']);
  });
});
