import { describe, expect, it } from 'vitest';
import { defineProtocol, runScenario, type NodeContext, type Scenario } from '../src/index.ts';

/**
 * Re-arming a timer moves the event already queued instead of queueing another (see PendingTimer
 * in simulation.ts). The plain way, one queued event per setTimer with stale ones skipped, is kept
 * as the reference (`timers: 'eager'`): under random timer churn, ties, clock jumps and drift,
 * pauses and crashes, both must write the same trace, event for event.
 */
const NAMES = ['a', 'b', 'c'] as const;
/** Few distinct delays, so timers often come due at the same microsecond as each other and as messages. */
const DELAYS = [0, 1_000, 1_000, 2_000, 3_000, 5_000, 20_000];

interface ChurnState {
  fired: number;
}
type Ctx = NodeContext<{ hop: number }, unknown, Record<string, unknown>>;

function churn(ctx: Ctx): void {
  const random = ctx.random;
  const operations = random.int(1, 3);
  for (let i = 0; i < operations; i++) {
    const name = NAMES[random.int(0, NAMES.length - 1)]!;
    const roll = random.int(0, 9);
    if (roll < 6) ctx.setTimer(name, DELAYS[random.int(0, DELAYS.length - 1)]!);
    else if (roll < 7) ctx.cancelTimer(name);
    else ctx.send(ctx.peers[random.int(0, ctx.peers.length - 1)]!, { hop: roll });
  }
  // Keep at least one timer alive so the run never goes idle.
  if (!ctx.hasTimer('a') && !ctx.hasTimer('b') && !ctx.hasTimer('c')) ctx.setTimer('a', 7_000);
}

const timerChurn = defineProtocol<ChurnState, { hop: number }, never, unknown, Record<string, unknown>>({
  name: 'timer-churn',
  timers: [],
  defaults: {},
  init(ctx) {
    churn(ctx);
    return { fired: 0 };
  },
  onMessage(_state, _from, _msg, ctx) {
    churn(ctx);
  },
  onTimer(state, _name, ctx) {
    state.fired++;
    churn(ctx);
  },
  summarize: (state) => ({ role: 'churn', fired: state.fired }),
  describeMessage: (msg) => `hop ${msg.hop}`,
});

const scenario: Scenario = {
  name: 'timer-churn',
  protocol: timerChurn,
  nodes: 4,
  until: '2s',
  network: { latency: { dist: 'uniform', min: 1_000, max: 2_000 } },
  nemesis: { faults: 8, kinds: ['crash', 'pause', 'clock'], from: '100ms', healAt: '1800ms', maxDuration: '400ms' },
  stopOnViolation: false,
};

describe('timers: carrying re-armed timers matches queueing one event per setTimer', () => {
  it('gives the same trace as the eager reference on 100 seeds of churn, clock faults, pauses and crashes', () => {
    let firedTimers = 0;
    for (let seed = 1; seed <= 100; seed++) {
      const eager = runScenario(scenario, { seed }, { trace: 'hash', stateMode: 'mutable', timers: 'eager' });
      const carried = runScenario(scenario, { seed }, { trace: 'hash', stateMode: 'mutable' });
      expect(carried.endReason, `seed ${seed}: ${carried.error ?? ''}`).toBe('until');
      expect(carried.hash, `seed ${seed}`).toBe(eager.hash);
      expect(carried.stats).toEqual(eager.stats);
      firedTimers += carried.stats.timersFired;
    }
    expect(firedTimers).toBeGreaterThan(10_000);
  });

  it('and the traces, read line by line, agree too', () => {
    const eager = runScenario(scenario, { seed: 7 }, { trace: 'memory', stateMode: 'immutable', timers: 'eager' });
    const carried = runScenario(scenario, { seed: 7 }, { trace: 'memory', stateMode: 'immutable' });
    expect(carried.trace).toEqual(eager.trace);
    expect(carried.trace.filter((line) => line.includes('"k":"clock"')).length).toBeGreaterThan(0);
  });

  it('a timer re-armed later fires once, at the last deadline; re-armed earlier, at the earlier one', () => {
    const protocol = defineProtocol<{ log: string[] }, { hop: number }, never, unknown, Record<string, unknown>>({
      name: 'rearm',
      timers: [],
      defaults: {},
      init(ctx) {
        ctx.setTimer('t', 10_000);
        ctx.setTimer('step', 1_000);
        return { log: [] };
      },
      onMessage() {},
      onTimer(state, name, ctx) {
        state.log.push(`${name}@${ctx.now()}`);
        if (name !== 'step') return;
        const now = ctx.now();
        if (now < 5_000)
          ctx.setTimer('t', 10_000); // pushed back four times: due at 14 ms
        else if (now === 5_000) ctx.setTimer('t', 1_000); // then pulled in: due at 6 ms
        if (now < 8_000) ctx.setTimer('step', 1_000);
      },
      summarize: (state) => ({ role: 'rearm', log: state.log.join(' ') }),
      describeMessage: () => '',
    });
    const result = runScenario(
      { name: 'rearm', protocol, nodes: ['n'], until: '50ms' },
      {},
      { trace: 'memory', stateMode: 'mutable' },
    );
    const fired = result.trace
      .map((line) => JSON.parse(line) as { k: string; t: number; name?: string })
      .filter((event) => event.k === 'timer')
      .map((event) => `${event.name}@${event.t}`);
    expect(fired.filter((entry) => entry.startsWith('t@'))).toEqual(['t@6000']);
    expect(fired.filter((entry) => entry.startsWith('step@'))).toHaveLength(8);
  });

  it('timers due at the same instant fire in the order they were last set', () => {
    const protocol = defineProtocol<{ log: string[] }, { hop: number }, never, unknown, Record<string, unknown>>({
      name: 'ties',
      timers: [],
      defaults: {},
      init(ctx) {
        ctx.setTimer('x', 5_000);
        ctx.setTimer('y', 5_000);
        ctx.setTimer('kick', 1_000);
        return { log: [] };
      },
      onMessage() {},
      onTimer(state, name, ctx) {
        state.log.push(name);
        // Re-arm x to the same instant, after y was set: x now comes second.
        if (name === 'kick') ctx.setTimer('x', 4_000);
      },
      summarize: (state) => ({ role: 'ties', log: state.log.join(' ') }),
      describeMessage: () => '',
    });
    const result = runScenario(
      { name: 'ties', protocol, nodes: ['n'], until: '10ms' },
      {},
      { trace: 'memory', stateMode: 'mutable' },
    );
    const order = result.trace
      .map((line) => JSON.parse(line) as { k: string; name?: string })
      .filter((event) => event.k === 'timer')
      .map((event) => event.name);
    expect(order).toEqual(['kick', 'y', 'x']);
  });
});
