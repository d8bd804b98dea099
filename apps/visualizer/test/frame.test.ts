import { parseTrace, runScenario, type TraceEvent } from '@dsim/core';
import { registry } from '@dsim/registry';
import { describe, expect, it } from 'vitest';
import { applyEvent, clockOffsetAt, foldTo, initialFrame, type Frame } from '../src/model/frame.ts';
import { historyOf } from '../src/model/history.ts';
import { checkTrace } from '../src/model/linearizability.ts';
import { cutLinks, partitionGroups } from '../src/model/partition.ts';
import { decodeRunSpec, encodeRunSpec, forkFaults, scenarioFor } from '../src/model/run-spec.ts';
import { scenarioFromHeader } from '../src/model/scenario-from-header.ts';
import { FrameSeeker } from '../src/model/seeker.ts';
import { buildTraceModel, indexAtTime, KIND, traceModelSteps, type TraceModel } from '../src/model/trace-model.ts';

const NODES = ['n1', 'n2', 'n3', 'n4', 'n5'];

const crashAndPartition = {
  name: 'crash-and-partition',
  protocol: 'heartbeat',
  nodes: 5,
  until: '90s',
  clocks: { n2: { offset: '120ms', driftPpm: 400 } },
  faults: [
    { at: '10s', fault: { type: 'crash', node: 'n3' } },
    {
      at: '20s',
      fault: {
        type: 'partition',
        groups: [
          ['n1', 'n2'],
          ['n4', 'n5'],
        ],
      },
    },
    { at: '30s', fault: { type: 'pause', node: 'n5' } },
    { at: '33s', fault: { type: 'resume', node: 'n5' } },
    { at: '35s', fault: { type: 'clockJump', node: 'n4', delta: '-2s' } },
    { at: '40s', fault: { type: 'heal' } },
    { at: '60s', fault: { type: 'restart', node: 'n3' } },
  ],
  workload: { name: 'probe', clients: 2, thinkTime: '2s' },
};

function run(scenario: unknown, seed = 3) {
  const result = runScenario(scenario, { registry, seed }, { trace: 'memory' });
  const text = result.trace.join('\n') + '\n';
  return { result, text, model: buildTraceModel(parseTrace(text)) };
}

const { result, text, model } = run(crashAndPartition);

function frameAtTime(m: TraceModel, seconds: number): Frame {
  return foldTo(m, indexAtTime(m.times, seconds * 1_000_000));
}

/** A frame as plain data, for comparing two ways of computing it. */
function snapshot(frame: Frame): unknown {
  return { ...frame, inFlight: [...frame.inFlight].sort((a, b) => a[0] - b[0]) };
}

describe('trace → frame fold', () => {
  it('starts with every node down and nothing in flight', () => {
    const frame = initialFrame(model);
    expect(frame.nodes.map((node) => node.up)).toEqual([false, false, false, false, false]);
    expect(frame.inFlight.size).toBe(0);
    expect(foldTo(model, 0)).toEqual(frame);
  });

  it('marks a crashed node down until its restart runs init again', () => {
    expect(frameAtTime(model, 9).nodes[2]).toMatchObject({ up: true, crashed: false });
    const crashed = frameAtTime(model, 15).nodes[2]!;
    expect(crashed).toMatchObject({ up: false, crashed: true, since: 10_000_000 });
    expect(frameAtTime(model, 59).nodes[2]!.crashed).toBe(true);
    const restarted = frameAtTime(model, 61).nodes[2]!;
    expect(restarted).toMatchObject({ up: true, crashed: false, since: 60_000_000 });
    expect(restarted.summary?.incarnation).toBe(2);
  });

  it('holds the partition from its fault to the heal', () => {
    expect(frameAtTime(model, 19).partition).toBeUndefined();
    expect(frameAtTime(model, 25).partition).toEqual({
      type: 'partition',
      groups: [
        ['n1', 'n2'],
        ['n4', 'n5'],
      ],
    });
    expect(frameAtTime(model, 41).partition).toBeUndefined();
  });

  it('pauses and resumes a node', () => {
    expect(frameAtTime(model, 31).nodes[4]!.paused).toBe(true);
    expect(frameAtTime(model, 34).nodes[4]!.paused).toBe(false);
  });

  it('follows roles from state summaries', () => {
    // Everyone starts healthy; with n3 crashed, its peers suspect it within unhealthy+check time.
    expect(frameAtTime(model, 1).nodes.map((node) => node.summary?.role)).toEqual([
      'healthy',
      'healthy',
      'healthy',
      'healthy',
      'healthy',
    ]);
    expect(frameAtTime(model, 31).nodes[0]!.summary?.role).not.toBe('healthy');
    expect(model.roles).toContain('healthy');
  });

  it('keeps exactly the sent-but-not-arrived messages in flight', () => {
    const { sendIndex } = model.messages;
    for (let index = 0; index <= model.events.length; index += 37) {
      const frame = foldTo(model, index);
      const expected: number[] = [];
      for (let id = 0; id < sendIndex.length; id++) {
        const s = sendIndex[id]!;
        if (s < 0 || s >= index) continue;
        // In flight until its last delivery or drop (a duplicated message arrives twice).
        const arrivals = model.messages.endCount[id]!;
        let seen = 0;
        for (let i = 0; i < index; i++) if (model.messageIds[i] === id && model.kinds[i] !== KIND.send) seen++;
        if (seen < Math.max(1, arrivals)) expected.push(id);
      }
      expect([...frame.inFlight.keys()].sort((a, b) => a - b)).toEqual(expected);
    }
  });

  it('reads clock offsets and drift from the header and clock events, matching every clock event', () => {
    const frame0 = initialFrame(model);
    expect(frame0.nodes[1]).toMatchObject({ clockOffset: 120_000, clockDriftPpm: 400 });
    // n2 drifts +400ppm: 50s later its clock is 20ms further ahead.
    expect(clockOffsetAt(frame0.nodes[1]!, 50_000_000)).toBe(120_000 + 20_000);
    const clockEvents = model.events
      .map((event, index) => ({ event, index }))
      .filter(({ event }) => event.k === 'clock');
    expect(clockEvents.length).toBeGreaterThan(0);
    for (const { event, index } of clockEvents) {
      const clock = event as Extract<TraceEvent, { k: 'clock' }>;
      const after = foldTo(model, index + 1);
      const node = model.nodeIndex.get(clock.node)!;
      expect(clockOffsetAt(after.nodes[node]!, clock.t)).toBe(clock.offset);
    }
    expect(clockOffsetAt(frameAtTime(model, 36).nodes[3]!, 36_000_000)).toBe(-2_000_000);
  });

  it('tracks each client’s pending operation and outcome counts', () => {
    const invoke = model.events.findIndex((event) => event.k === 'invoke');
    const event = model.events[invoke] as Extract<TraceEvent, { k: 'invoke' }>;
    const client = model.clients.indexOf(event.client);
    expect(foldTo(model, invoke + 1).clients[client]!.pending?.req).toBe(event.req);
    const end = foldTo(model, model.events.length);
    const totals = end.clients.reduce(
      (sum, c) => ({ ok: sum.ok + c.ok, fail: sum.fail + c.fail, info: sum.info + c.info }),
      { ok: 0, fail: 0, info: 0 },
    );
    expect(totals).toEqual({
      ok: result.stats.operationsOk,
      fail: result.stats.operationsFailed,
      info: result.stats.operationsUnknown,
    });
    expect(end.ended).toBe(true);
  });

  it('rebuilds exactly the history the kernel recorded', () => {
    expect(historyOf(model)).toEqual(result.history);
  });
});

describe('checkpoints', () => {
  it('seeks to any index with the same frame as folding from the start, forwards and backwards', () => {
    const seeker = new FrameSeeker(model, 64);
    expect(seeker.checkpointCount).toBe(Math.floor(model.events.length / 64) + 1);
    const count = model.events.length;
    const targets = [0, count, 1, 700, 699, 64, 63, 65, 1000, 128, count - 1, 3, 500, 501, 502, 900];
    for (const target of targets) {
      expect(snapshot(seeker.frameAt(target))).toEqual(snapshot(foldTo(model, target)));
    }
  });

  it('folds each event once when moving forward step by step', () => {
    const seeker = new FrameSeeker(model, 128);
    const manual = initialFrame(model);
    for (let i = 0; i < 300; i++) {
      applyEvent(manual, model, i);
      expect(seeker.frameAt(i + 1).index).toBe(i + 1);
    }
    expect(snapshot(seeker.frameAt(300))).toEqual(snapshot(manual));
  });
});

describe('loading in slices', () => {
  /** Runs a sliced computation to its end, counting the slices. */
  function drain<T>(steps: Generator<number, T>): { value: T; slices: number } {
    let slices = 0;
    for (;;) {
      const step = steps.next();
      if (step.done) return { value: step.value, slices };
      slices++;
    }
  }

  it('builds the same model in slices of any size as in one pass', () => {
    for (const slice of [1, 7, 100, 1000]) {
      const { value, slices } = drain(traceModelSteps(parseTrace(text), slice));
      expect(slices).toBeGreaterThanOrEqual(Math.floor(model.events.length / slice));
      expect(value).toEqual(model);
    }
  });

  it('builds a seeker in slices whose frames equal folding from the start', () => {
    const { value: seeker, slices } = drain(FrameSeeker.steps(model, 64, 50));
    expect(slices).toBe(Math.floor(model.events.length / 50));
    expect(seeker.checkpointCount).toBe(new FrameSeeker(model, 64).checkpointCount);
    for (const target of [0, model.events.length, 1, 640, 63, 65, 999])
      expect(snapshot(seeker.frameAt(target))).toEqual(snapshot(foldTo(model, target)));
  });

  it('seeks right with a seeker whose checkpoints are folded after it is in use, before, during and after', () => {
    const { seeker, fold } = FrameSeeker.growing(model, 64, 50);
    const targets = [0, model.events.length, 1, 640, 63, 65, 999, 130];
    const check = () => {
      for (const target of targets) expect(snapshot(seeker.frameAt(target))).toEqual(snapshot(foldTo(model, target)));
    };
    check();
    expect(seeker.checkpointCount).toBe(1);
    let slices = 0;
    for (let step = fold.next(); !step.done; step = fold.next()) if (++slices % 3 === 0) check();
    expect(slices).toBe(Math.floor(model.events.length / 50));
    expect(seeker.checkpointCount).toBe(new FrameSeeker(model, 64).checkpointCount);
    check();
  });
});

describe('trace model', () => {
  it('indexes messages, faults and intervals', () => {
    expect(model.nodes).toEqual(NODES);
    expect(model.messageCount).toBe(result.stats.messagesSent);
    expect(model.markers.filter((marker) => marker.kind === 'fault').map((marker) => marker.label)).toEqual([
      'crash n3',
      'partition [n1 n2] | [n4 n5]',
      'pause n5',
      'resume n5',
      'clock jump n4 by -2s',
      'heal',
      'restart n3',
    ]);
    const crash = model.intervals.find((interval) => interval.kind === 'crash')!;
    expect(crash).toMatchObject({ node: 2, from: 10_000_000, to: 60_000_000 });
    const partition = model.intervals.find((interval) => interval.kind === 'partition')!;
    expect(partition).toMatchObject({ from: 20_000_000, to: 40_000_000 });
    expect([...partition.groups!]).toEqual([0, 0, 1, 2, 2]);
    expect(model.intervals.find((interval) => interval.kind === 'pause')).toMatchObject({
      node: 4,
      from: 30_000_000,
      to: 33_000_000,
    });
    expect(model.dropReasons).toEqual(expect.arrayContaining(['crashed', 'partition']));
    expect(model.roleChanges[2]!.some((change) => change.role === null && change.time === 10_000_000)).toBe(true);
  });

  it('shows the valid part of a truncated, malformed trace and says where it broke', () => {
    const lines = text.split('\n');
    const broken = [
      ...lines.slice(0, 40),
      '{"t": 5, "k": "send", oops',
      ...lines.slice(41, 200),
      lines[200]!.slice(0, 20),
    ].join('\n');
    const parsed = parseTrace(broken);
    const partial = buildTraceModel(parsed);
    expect(partial.events.length).toBe(198);
    expect(parsed.problems.map((problem) => problem.line)).toEqual(expect.arrayContaining([41, 201]));
    expect(parsed.problems.find((problem) => problem.line === 201)!.message).toMatch(/truncated/);
    expect(partial.nodes).toEqual(NODES);
    expect(new FrameSeeker(partial).frameAt(partial.events.length).index).toBe(198);
  });

  it('shows nodes a headerless trace mentions', () => {
    const parsed = parseTrace(text.split('\n').slice(1, 60).join('\n'));
    expect(parsed.header).toBeUndefined();
    const headless = buildTraceModel(parsed);
    expect([...headless.nodes].sort()).toEqual(NODES);
    expect(headless.endTime).toBeGreaterThan(0);
  });
});

describe('partitions as drawn', () => {
  it('cuts a symmetric partition both ways and names its sides', () => {
    const fault = {
      type: 'partition',
      groups: [
        ['n1', 'n2'],
        ['n3', 'n4', 'n5'],
      ],
    } as const;
    const cuts = cutLinks(fault, NODES);
    expect(cuts).toHaveLength(6);
    expect(cuts.every((cut) => cut.blocked === 'both')).toBe(true);
    expect([...partitionGroups(fault, NODES)!]).toEqual([0, 0, 1, 1, 1]);
  });

  it('draws a one-way cut one way, with no sides', () => {
    const cuts = cutLinks({ type: 'cut', from: ['n1'], to: ['n2', 'n3'] }, NODES);
    expect(cuts).toEqual([
      { a: 0, b: 1, blocked: 'a->b' },
      { a: 0, b: 2, blocked: 'a->b' },
    ]);
    expect(cutLinks({ type: 'cut', from: ['n3'], to: ['n1'] }, NODES)).toEqual([{ a: 0, b: 2, blocked: 'b->a' }]);
    expect(partitionGroups({ type: 'cut', from: ['n1'], to: ['n2'] }, NODES)).toBeUndefined();
  });

  it('gives a bridge three sides and the ring none', () => {
    expect([
      ...partitionGroups(
        {
          type: 'bridge',
          bridge: 'n3',
          groups: [
            ['n1', 'n2'],
            ['n4', 'n5'],
          ],
        },
        NODES,
      )!,
    ]).toEqual([0, 0, 1, 2, 2]);
    expect(partitionGroups({ type: 'ring' }, NODES)).toBeUndefined();
    expect(cutLinks({ type: 'ring' }, NODES).length).toBeGreaterThan(0);
    expect(cutLinks({ type: 'heal' }, NODES)).toEqual([]);
  });
});

describe('runs from the URL', () => {
  it('round-trips scenario, seed, faults and time through the URL', () => {
    const spec = {
      scenario: 'heartbeat/clock-skew',
      seed: 42,
      faults: [{ at: '5s', fault: { type: 'crash', node: 'n1' } }] as const,
      at: 1234,
    };
    expect(decodeRunSpec(encodeRunSpec(spec as never))).toEqual(spec);
    const custom = { spec: { name: 'x', protocol: 'heartbeat', nodes: 3, until: '10s' }, seed: 7 };
    expect(decodeRunSpec(`?${encodeRunSpec(custom)}`)).toEqual(custom);
    expect(decodeRunSpec('seed=1')).toBeUndefined();
    expect(decodeRunSpec('scenario=a&seed=x')).toEqual({
      error: "URL parameter 'seed' must be a whole number, got 'x'",
    });
    expect(decodeRunSpec('scenario=a&faults=[')).toMatchObject({
      error: expect.stringMatching(/faults.*not valid JSON/),
    });
  });

  it('re-runs a trace from its header with the same hash', () => {
    const again = runScenario(scenarioFromHeader(model.header!), { registry }, { trace: 'hash' });
    expect(again.hash).toBe(result.hash);
  });

  it('forks: the run with one more fault replays everything before it identically', () => {
    const at = 25_000_000;
    const forked = scenarioFor(crashAndPartition, {
      faults: forkFaults(crashAndPartition.faults as never, at, { type: 'crash', node: 'n1' }),
    });
    const fork = run(forked);
    const before = (m: TraceModel) => m.events.filter((event) => event.t < at).map((event) => JSON.stringify(event));
    expect(before(fork.model)).toEqual(before(model));
    expect(frameAtTime(fork.model, 26).nodes[0]!.crashed).toBe(true);
    expect(fork.result.hash).not.toBe(result.hash);
  });
});

describe('linearizability verdict', () => {
  const header = JSON.stringify({
    format: 'dsim-trace',
    version: 1,
    scenario: 'reg',
    protocol: 'x',
    seed: 1,
    nodes: ['n1'],
    clients: ['c1', 'c2'],
    until: 100,
    config: {},
    bugs: [],
    network: {},
    clocks: [],
    faults: [],
    faultsEndAt: 0,
    invariants: [],
  });
  const trace = (ops: object[]) =>
    buildTraceModel(
      parseTrace(
        [
          header,
          ...ops.map((op) => JSON.stringify(op)),
          JSON.stringify({ t: 100, k: 'end', reason: 'until', stats: {} }),
        ].join('\n'),
      ),
    );

  it('finds a stale read and the operation that cannot be placed', () => {
    const m = trace([
      { t: 1, k: 'invoke', req: 'c1:1', client: 'c1', process: 0, node: 'n1', op: { f: 'write', key: 'x', value: 1 } },
      { t: 2, k: 'complete', req: 'c1:1', client: 'c1', process: 0, type: 'ok', node: 'n1' },
      { t: 3, k: 'invoke', req: 'c2:1', client: 'c2', process: 1, node: 'n1', op: { f: 'read', key: 'x' } },
      { t: 4, k: 'complete', req: 'c2:1', client: 'c2', process: 1, type: 'ok', node: 'n1', value: 2 },
    ]);
    const verdict = checkTrace(m);
    expect(verdict.status).toBe('not-linearizable');
    expect(verdict.model).toBe('register');
    expect(verdict.failing).toBe(1);
    expect(verdict.prefixOrder).toEqual([0]);
  });

  it('accepts a linearizable history and declines operations no model fits', () => {
    const ok = trace([
      { t: 1, k: 'invoke', req: 'c1:1', client: 'c1', process: 0, node: 'n1', op: { f: 'write', key: 'x', value: 1 } },
      { t: 3, k: 'invoke', req: 'c2:1', client: 'c2', process: 1, node: 'n1', op: { f: 'read', key: 'x' } },
      { t: 4, k: 'complete', req: 'c2:1', client: 'c2', process: 1, type: 'ok', node: 'n1', value: 1 },
      { t: 5, k: 'complete', req: 'c1:1', client: 'c1', process: 0, type: 'ok', node: 'n1' },
    ]);
    expect(checkTrace(ok).status).toBe('linearizable');
    expect(checkTrace(model)).toMatchObject({ status: 'unavailable', message: expect.stringMatching(/status/) });
  });
});
