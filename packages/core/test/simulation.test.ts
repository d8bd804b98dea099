import { describe, expect, it } from 'vitest';
import {
  always,
  defineMemory,
  eventually,
  failure,
  runScenario,
  sometimes,
  type InvariantResult,
  type RunResult,
  type TraceEvent,
  type WorldView,
} from '../src/index.ts';
import { baseScenario, recorder, type RecorderState } from './fixtures.ts';

const events = (result: RunResult) => result.trace.slice(1).map((line) => JSON.parse(line) as TraceEvent);
const logOf = (result: RunResult, node: string, key = 'log') => {
  const states = events(result).filter(
    (event): event is Extract<TraceEvent, { k: 'state' }> => event.k === 'state' && event.node === node,
  );
  return (states[states.length - 1]?.state as Record<string, unknown> | undefined)?.[key] as string[];
};

describe('messages', () => {
  it('links every deliver to its send by id, in (time, seq) order', () => {
    const protocol = recorder({ init: (ctx) => ctx.self === 'n1' && ctx.send('n2', { n: 1 }) });
    const result = runScenario(baseScenario(protocol));
    const trace = events(result);
    const send = trace.find((event) => event.k === 'send')!;
    const deliver = trace.find((event) => event.k === 'deliver')!;
    expect(send).toMatchObject({ t: 0, from: 'n1', to: 'n2', desc: 'n=1', msg: { n: 1 } });
    expect(deliver).toMatchObject({ t: 1_000, from: 'n1', to: 'n2', id: (send as { id: number }).id });
    expect(result.stats).toMatchObject({ messagesSent: 1, messagesDelivered: 1, messagesDropped: 0 });
  });

  it('drops a message that was in flight when a partition formed, with the reason', () => {
    const protocol = recorder({ init: (ctx) => ctx.self === 'n1' && ctx.send('n2', { n: 1 }) });
    const result = runScenario(
      baseScenario(protocol, {
        network: { latency: '5ms' },
        faults: [{ at: '1ms', fault: { type: 'isolate', node: 'n2' } }],
      }),
    );
    expect(events(result).find((event) => event.k === 'drop')).toMatchObject({
      t: 5_000,
      reason: 'partition',
      from: 'n1',
      to: 'n2',
    });
  });

  it('drops messages to a crashed node and delivers duplicates marked as such', () => {
    const crashed = runScenario(
      baseScenario(recorder({ init: (ctx) => ctx.self === 'n1' && ctx.send('n2', { n: 1 }) }), {
        faults: [{ at: '500us', fault: { type: 'crash', node: 'n2' } }],
      }),
    );
    expect(crashed.stats.dropsByReason).toEqual({ crashed: 1 });
    const duplicated = runScenario(
      baseScenario(recorder({ init: (ctx) => ctx.self === 'n1' && ctx.send('n2', { n: 1 }) }), {
        network: { latency: '1ms', duplicate: 1 },
      }),
    );
    expect(
      events(duplicated)
        .filter((event) => event.k === 'deliver')
        .map((event) => (event as { dup?: boolean }).dup ?? false),
    ).toEqual([false, true]);
  });
});

describe('timers and clocks', () => {
  const ticking = recorder({
    init: (ctx) => ctx.setTimer('tick', 1_000_000),
    onTimer: (_state, name, ctx) => ctx.setTimer(name, 1_000_000),
  });

  it('fires timers in local time: a fast clock fires early in global time', () => {
    const result = runScenario(
      baseScenario(ticking, {
        nodes: ['a'],
        until: '3.5s',
        clocks: { a: { driftPpm: 250_000 } },
        traceFullState: true,
      }),
    );
    const fired = events(result)
      .filter((event) => event.k === 'timer')
      .map((event) => event.t);
    // 25% fast: a local second passes every 0.8 global seconds.
    expect(fired).toEqual([800_000, 1_600_000, 2_400_000, 3_200_000]);
  });

  it('a forward jump fires a pending timer at once; a backward jump delays it', () => {
    const forward = runScenario(
      baseScenario(ticking, {
        nodes: ['a'],
        until: '1.5s',
        faults: [{ at: '300ms', fault: { type: 'clockJump', node: 'a', delta: '5s' } }],
      }),
    );
    expect(
      events(forward)
        .filter((event) => event.k === 'timer')
        .map((event) => event.t),
    ).toEqual([300_000, 1_300_000]);
    const backward = runScenario(
      baseScenario(ticking, {
        nodes: ['a'],
        until: '2.5s',
        faults: [{ at: '300ms', fault: { type: 'clockJump', node: 'a', delta: '-1s' } }],
      }),
    );
    expect(
      events(backward)
        .filter((event) => event.k === 'timer')
        .map((event) => event.t),
    ).toEqual([2_000_000]);
    expect(events(backward).find((event) => event.k === 'clock')).toMatchObject({ node: 'a', offset: -1_000_000 });
  });

  it('replacing a timer cancels the old one, and cancelTimer stops it', () => {
    const protocol = recorder({
      init: (ctx) => {
        ctx.setTimer('t', 1_000);
        ctx.setTimer('t', 5_000);
        ctx.setTimer('gone', 2_000);
        ctx.cancelTimer('gone');
      },
    });
    const result = runScenario(baseScenario(protocol, { nodes: ['a'] }));
    expect(events(result).filter((event) => event.k === 'timer')).toEqual([
      { t: 5_000, k: 'timer', node: 'a', name: 't' },
    ]);
  });
});

describe('processes', () => {
  it('pause holds deliveries and timers, and resume runs them in a burst, in order', () => {
    const protocol = recorder({
      init: (ctx) => {
        if (ctx.self === 'n1') for (let n = 1; n <= 3; n++) ctx.send('n2', { n });
        else ctx.setTimer('t', 2_000);
      },
    });
    const result = runScenario(
      baseScenario(protocol, {
        traceFullState: true,
        faults: [
          { at: '500us', fault: { type: 'pause', node: 'n2' } },
          { at: '1s', fault: { type: 'resume', node: 'n2' } },
        ],
      }),
    );
    expect(logOf(result, 'n2').slice(1)).toEqual([
      'msg n1 1 @1000000',
      'msg n1 2 @1000000',
      'msg n1 3 @1000000',
      'timer t @1000000',
    ]);
  });

  it('crash loses volatile state and timers; restart runs init again with synced storage', () => {
    const protocol = recorder({
      init: (ctx, state) => {
        ctx.setTimer('t', 3_000_000);
        state.log.push(`volatile seen=${ctx.storage.get('note') ?? 'nothing'}`);
        ctx.storage.put('note', `boot ${state.boots}`);
      },
    });
    const result = runScenario(
      baseScenario(protocol, {
        nodes: ['a'],
        traceFullState: true,
        faults: [
          { at: '1s', fault: { type: 'crash', node: 'a' } },
          { at: '2s', fault: { type: 'restart', node: 'a' } },
        ],
      }),
    );
    // The unsynced 'note' survived (no loseUnsyncedWrites); the timer set at 0 died in the crash.
    expect(logOf(result, 'a')).toEqual(['init boot=2 @2000000', 'volatile seen=boot 1', 'timer t @5000000']);
  });

  it('a crash that loses unsynced writes keeps only what was synced', () => {
    const protocol = recorder({
      init: (ctx, state) => {
        state.log.push(`seen=${ctx.storage.get('note') ?? 'nothing'}`);
        ctx.storage.put('note', `boot ${state.boots}`); // never synced
      },
    });
    const result = runScenario(
      baseScenario(protocol, {
        nodes: ['a'],
        traceFullState: true,
        faults: [
          { at: '1s', fault: { type: 'crash', node: 'a', loseUnsyncedWrites: true } },
          { at: '2s', fault: { type: 'restart', node: 'a' } },
        ],
      }),
    );
    expect(logOf(result, 'a')).toEqual(['init boot=2 @2000000', 'seen=nothing']);
    expect(events(result).some((event) => event.k === 'note' && event.text.includes('lost 1 unsynced'))).toBe(true);
  });

  it('a handler that throws ends the run with the error in the trace', () => {
    const protocol = recorder({
      onTimer: () => {
        throw new Error('boom');
      },
      init: (ctx) => ctx.setTimer('t', 10),
    });
    const result = runScenario(baseScenario(protocol, { nodes: ['a'] }));
    expect(result.endReason).toBe('error');
    expect(result.error).toBe('a: boom');
    expect(events(result).at(-2)).toMatchObject({ k: 'error', node: 'a', message: 'boom' });
  });
});

describe('clients and histories', () => {
  const echo = recorder({
    onRequest: (_state, request, ctx) => {
      if (request.op.f === 'slow') return; // never answers: the client times out
      if (request.op.f === 'no') ctx.respond(request.id, { type: 'fail', error: 'refused' });
      else ctx.respond(request.id, { type: 'ok', value: `${request.op.f}!` });
    },
  });
  const workload = (ops: string[]) => ({
    ...echo,
    workloads: {
      script: () => ({
        nextOp: (client: { invoked: number }) => (client.invoked < ops.length ? { f: ops[client.invoked]! } : null),
      }),
    },
  });

  it('records invoke and ok / fail / info with global times, and a fresh process after info', () => {
    const result = runScenario(
      baseScenario(workload(['a', 'no', 'slow', 'b']), {
        nodes: ['n1'],
        workload: { name: 'script', clients: 1, thinkTime: '1ms', timeout: '100ms' },
      }),
    );
    expect(result.history.map(({ process, type, f, value, error }) => ({ process, type, f, value, error }))).toEqual([
      { process: 0, type: 'invoke', f: 'a', value: undefined, error: undefined },
      { process: 0, type: 'ok', f: 'a', value: 'a!', error: undefined },
      { process: 0, type: 'invoke', f: 'no', value: undefined, error: undefined },
      { process: 0, type: 'fail', f: 'no', value: undefined, error: 'refused' },
      { process: 0, type: 'invoke', f: 'slow', value: undefined, error: undefined },
      { process: 0, type: 'info', f: 'slow', value: undefined, error: 'timeout' },
      { process: 1, type: 'invoke', f: 'b', value: undefined, error: undefined },
      { process: 1, type: 'ok', f: 'b', value: 'b!', error: undefined },
    ]);
    const times = result.history.map((entry) => entry.time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(result.history[5]!.time - result.history[4]!.time).toBe(100_000);
    expect(result.stats).toMatchObject({ operations: 4, operationsOk: 2, operationsFailed: 1, operationsUnknown: 1 });
  });

  it('a request to a crashed node times out as unknown', () => {
    const result = runScenario(
      baseScenario(workload(['a']), {
        nodes: ['n1'],
        workload: { name: 'script', clients: 1, timeout: '50ms' },
        faults: [{ at: '0us', fault: { type: 'crash', node: 'n1' } }],
      }),
    );
    expect(result.history.map((entry) => entry.type)).toEqual(['invoke', 'info']);
  });
});

describe('invariants', () => {
  const counter = recorder({
    init: (ctx) => ctx.setTimer('t', 1_000_000),
    onTimer: (_s, name, ctx) => ctx.setTimer(name, 1_000_000),
  });
  const timers = (world: { state(node: string): RecorderState | undefined }) =>
    world.state('a')?.log.filter((line) => line.startsWith('timer')).length ?? 0;

  it('always: the first failing step is traced as a violation and stops the run', () => {
    const result = runScenario(
      baseScenario(counter, {
        nodes: ['a'],
        invariants: [
          always<RecorderState>('fewer-than-3', (world) => timers(world) < 3 || `saw ${timers(world)} timers`),
        ],
      }),
    );
    expect(result.endReason).toBe('violation');
    expect(result.violations).toEqual([
      { invariant: 'fewer-than-3', kind: 'always', time: 3_000_000, message: 'saw 3 timers', step: expect.any(Number) },
    ]);
    expect(events(result).at(-1)).toMatchObject({ k: 'end', reason: 'violation' });
  });

  it('a failure naming nodes puts them on the violation line and in the result; a plain message names none', () => {
    const twoNodes = (check: (world: WorldView<RecorderState>) => InvariantResult) =>
      runScenario(
        baseScenario(counter, { nodes: ['a', 'b'], invariants: [always<RecorderState>('at-most-2', check)] }),
      );
    const named = twoNodes((world) => timers(world) < 3 || failure('b lags a', ['b', 'a', 'b']));
    expect(named.violations).toEqual([
      {
        invariant: 'at-most-2',
        kind: 'always',
        time: 3_000_000,
        message: 'b lags a',
        nodes: ['b', 'a'],
        step: expect.any(Number),
      },
    ]);
    // The line names them after the message, each once, in the order the check gave them.
    expect(named.trace.find((line) => line.includes('"violation"'))).toBe(
      '{"t":3000000,"k":"violation","invariant":"at-most-2","kind":"always","message":"b lags a","nodes":["b","a"]}',
    );
    const plain = twoNodes((world) => timers(world) < 3 || 'b lags a');
    expect(plain.trace.find((line) => line.includes('"violation"'))).toBe(
      '{"t":3000000,"k":"violation","invariant":"at-most-2","kind":"always","message":"b lags a"}',
    );
    expect(plain.violations[0]).not.toHaveProperty('nodes');
    // An id that is not a node is the check's bug: said in the message, and no nodes are written.
    const stray = twoNodes((world) => timers(world) < 3 || failure('b lags a', ['b', 'n9']));
    expect(stray.violations[0]).toMatchObject({ message: "b lags a (the check named 'n9', which is not a node)" });
    expect(stray.violations[0]).not.toHaveProperty('nodes');
  });

  it('eventually: holds if reached by the deadline after the last fault, violated otherwise', () => {
    const faults = [{ at: '2s', fault: { type: 'heal' as const } }];
    const ok = runScenario(
      baseScenario(counter, {
        nodes: ['a'],
        faults,
        invariants: [
          eventually<RecorderState>('five-timers', (world) => timers(world) >= 5, { withinMicros: 4_000_000 }),
        ],
      }),
    );
    expect(ok.violations).toEqual([]);
    expect(ok.reached).toEqual(['five-timers']);
    const late = runScenario(
      baseScenario(counter, {
        nodes: ['a'],
        faults,
        invariants: [
          eventually<RecorderState>('five-timers', (world) => timers(world) >= 5, { withinMicros: 2_500_000 }),
        ],
      }),
    );
    expect(late.violations[0]).toMatchObject({ invariant: 'five-timers', kind: 'eventually', time: 4_500_000 });
  });

  it("a run memory told of one node's step is told that node's position in world.nodes", () => {
    const seen: string[] = [];
    const positions = defineMemory<RecorderState, undefined>({
      name: 'positions',
      create: () => undefined,
      observe(_memory, world, change) {
        if (change.node === undefined) expect(change.position).toBeUndefined();
        else {
          expect(world.nodes[change.position!]).toBe(change.node);
          seen.push(change.node);
        }
        return true;
      },
    });
    const run = runScenario(
      baseScenario(counter, {
        nodes: ['c', 'a', 'b'],
        until: '3s',
        invariants: [always<RecorderState, undefined>('held', () => true, { memory: positions })],
      }),
    );
    expect(run.violations).toEqual([]);
    expect(new Set(seen)).toEqual(new Set(['a', 'b', 'c']));
  });

  it('a run memory is created per run, observed once per change, and its quiet answer stands in for its always checks', () => {
    const calls = { create: 0, observe: 0, a: 0, b: 0, reached: 0 };
    const changes: Array<string | undefined> = [];
    // Remembers the highest timer count seen; quiet while it is below 3.
    const highest = defineMemory<RecorderState, { max: number }>({
      name: 'highest-timer-count',
      create: () => (calls.create++, { max: 0 }),
      observe(memory, world, change) {
        calls.observe++;
        // The stepped node with its position in world.nodes; neither when anything may have changed.
        changes.push(change.node === undefined ? String(change.position) : `${change.node}@${change.position}`);
        memory.max = Math.max(memory.max, timers(world));
        return memory.max < 3;
      },
    });
    const a = always<RecorderState, { max: number }>(
      'a',
      (_world, memory) => (calls.a++, memory.max < 3 || `a fails at ${memory.max}`),
      { memory: highest },
    );
    const b = always<RecorderState, { max: number }>('b', () => (calls.b++, true), { memory: highest });
    // A sometimes invariant reading the same memory is asked even when the memory is quiet.
    const reached = sometimes<RecorderState, { max: number }>(
      'two',
      (_world, memory) => (calls.reached++, memory.max >= 2),
      {
        memory: highest,
      },
    );
    const first = runScenario(baseScenario(counter, { nodes: ['a'], invariants: [b, reached, a] }));
    expect(first.violations).toEqual([
      expect.objectContaining({ invariant: 'a', time: 3_000_000, message: 'a fails at 3' }),
    ]);
    // One memory for the run; observed after the start (anything changed) and after each timer's
    // step (that node changed); the always checks asked only once the memory stopped being quiet.
    expect(calls).toMatchObject({ create: 1, observe: 4, a: 1, b: 1 });
    expect(changes).toEqual(['undefined', 'a@0', 'a@0', 'a@0']);
    expect(calls.reached).toBe(3);
    expect(first.reached).toEqual(['two']);

    // A second run gets a fresh memory: nothing carries over between runs sharing the invariants.
    Object.assign(calls, { create: 0, observe: 0, a: 0, b: 0, reached: 0 });
    const second = runScenario(baseScenario(counter, { nodes: ['a'], invariants: [b, reached, a] }));
    expect(second.violations.map((violation) => violation.time)).toEqual([3_000_000]);
    expect(calls.create).toBe(1);

    // A memory that throws is reported by the invariants that read it, not lost.
    const broken = defineMemory<RecorderState, null>({
      name: 'broken',
      create: () => null,
      observe: () => {
        throw new Error('cannot keep up');
      },
    });
    const failing = runScenario(
      baseScenario(counter, {
        nodes: ['a'],
        invariants: [always<RecorderState, null>('reads-broken', () => true, { memory: broken })],
      }),
    );
    expect(failing.violations).toEqual([
      expect.objectContaining({ invariant: 'reads-broken', message: "the memory 'broken' threw: cannot keep up" }),
    ]);
  });

  it('sometimes: a scenario that never reaches the state fails at the end', () => {
    const never = runScenario(
      baseScenario(counter, {
        nodes: ['a'],
        invariants: [sometimes<RecorderState>('twenty-timers', (world) => timers(world) >= 20)],
      }),
    );
    expect(never.violations[0]).toMatchObject({ invariant: 'twenty-timers', kind: 'sometimes', time: 10_000_000 });
    expect(never.violations[0]!.message).toMatch(/never held/);
  });
});

describe('late answers', () => {
  it('an answer after the client timed out is ignored, not an error', () => {
    const slow = recorder({
      onRequest: (_state, request, ctx) => {
        (ctx as unknown as { pending?: string }).pending = request.id;
        ctx.setTimer(`answer ${request.id}`, 200_000);
      },
      onTimer: (_state, name, ctx) => {
        if (name.startsWith('answer ')) ctx.respond(name.slice(7), { type: 'ok', value: 'late' });
      },
    });
    const protocol = {
      ...slow,
      workloads: {
        once: () => ({ nextOp: (client: { invoked: number }) => (client.invoked < 2 ? { f: 'op' } : null) }),
      },
    };
    const result = runScenario(
      baseScenario(protocol, { nodes: ['n1'], workload: { name: 'once', clients: 1, timeout: '100ms' } }),
    );
    expect(result.endReason).not.toBe('error');
    expect(result.history.map((entry) => entry.type)).toEqual(['invoke', 'info', 'invoke', 'info']);
  });

  it('an answer to a request id no client issued is an error that names it', () => {
    for (const bogus of ['c1:7', 'c9:1', 'x1:1', 'c1']) {
      const confused = recorder({
        onRequest: (_state, _request, ctx) => ctx.respond(bogus, { type: 'ok', value: 'made up' }),
      });
      const protocol = {
        ...confused,
        workloads: {
          once: () => ({ nextOp: (client: { invoked: number }) => (client.invoked < 1 ? { f: 'op' } : null) }),
        },
      };
      const result = runScenario(
        baseScenario(protocol, { nodes: ['n1'], workload: { name: 'once', clients: 1, timeout: '100ms' } }),
      );
      expect(result.endReason).toBe('error');
      expect(result.error).toContain(`respond('${bogus}'): no such request`);
    }
  });
});

describe('stable eventually', () => {
  it('must still hold at the deadline, not just once after the faults', () => {
    // The timer count passes 2 and keeps growing: "exactly two timers" is reached once, then lost.
    const counter = recorder({
      init: (ctx) => ctx.setTimer('t', 1_000_000),
      onTimer: (_s, name, ctx) => ctx.setTimer(name, 1_000_000),
    });
    const exactlyTwo = (world: { state(node: string): RecorderState | undefined }) =>
      world.state('a')?.log.filter((line) => line.startsWith('timer')).length === 2;
    const faults = [{ at: '1s', fault: { type: 'heal' as const } }];
    const reached = runScenario(
      baseScenario(counter, {
        nodes: ['a'],
        faults,
        invariants: [eventually<RecorderState>('two', exactlyTwo, { withinMicros: 5_000_000 })],
      }),
    );
    expect(reached.violations).toEqual([]);
    const settled = runScenario(
      baseScenario(counter, {
        nodes: ['a'],
        faults,
        invariants: [eventually<RecorderState>('two', exactlyTwo, { withinMicros: 5_000_000, stable: true })],
      }),
    );
    expect(settled.violations[0]).toMatchObject({ invariant: 'two', kind: 'eventually', time: 6_000_000 });
    expect(settled.violations[0]!.message).toMatch(/does not hold at 6000000us/);
  });
});

describe('worldViewOf', () => {
  it('gives invariants a hand-made world: down nodes, later steps by set, a clear error for unknown ids', async () => {
    const { worldViewOf } = await import('../src/index.ts');
    const view = worldViewOf<{ n: number }>(
      { a: { n: 1 }, b: undefined },
      { summary: (_node, state) => ({ role: `n${state.n}` }) },
    );
    expect(view.nodes).toEqual(['a', 'b']);
    expect([view.isUp('a'), view.isUp('b'), view.crashed]).toEqual([true, false, ['b']]);
    expect(view.summary('a')).toEqual({ role: 'n1' });
    view.set('b', { n: 2 });
    expect([view.state('b'), view.crashed]).toEqual([{ n: 2 }, []]);
    expect(() => view.set('z', undefined)).toThrow(/unknown node 'z' \(nodes are a, b\)/);
  });
});
