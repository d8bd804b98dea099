import { FAULT_TYPES, parseTrace } from '@dsim/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeEvent } from '../src/model/describe.ts';
import { historyOf } from '../src/model/history.ts';
import { checkTrace } from '../src/model/linearizability.ts';
import { scenarioFromHeader } from '../src/model/scenario-from-header.ts';
import { FrameSeeker } from '../src/model/seeker.ts';
import { buildTraceModel } from '../src/model/trace-model.ts';

/**
 * The viewer's reading and fold on traces written to break them: any text gives a model (with
 * problems listed), never an exception, a hang or a value the renderer cannot draw.
 */
const KINDS = [
  'init',
  'send',
  'deliver',
  'drop',
  'timer',
  'request',
  'invoke',
  'complete',
  'fault',
  'clock',
  'state',
  'note',
  'violation',
  'error',
  'end',
];
const FIELDS = [
  'node',
  'from',
  'to',
  'id',
  'reason',
  'name',
  'req',
  'client',
  'process',
  'op',
  'type',
  'value',
  'error',
  'fault',
  'desc',
  'offset',
  'driftPpm',
  'summary',
  'state',
  'text',
  'invariant',
  'message',
  'kind',
  'stats',
  'msg',
  'dup',
  'restart',
];
const hostileString = fc.oneof(
  fc.constantFrom('n1', 'n2', 'n3', 'c1', 'r1', '__proto__', 'constructor', 'toString', '', 'ok', 'fail', 'info'),
  fc.constantFrom('partition', 'crash', 'restart', 'pause', 'resume', 'heal', 'cut', 'bridge', 'ring', 'isolate'),
  fc.constantFrom('<img src=x onerror=alert(1)>', '\u0000', '\u202e', 'x'.repeat(20_000)),
  fc.string(),
);
const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    fc.integer({ min: -5, max: 20 }),
    fc.constantFrom(null, true, false, 1e308, -1, 2 ** 53, 0.5, 1e9),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.oneof(hostileString, fc.constantFrom(...FIELDS, 'groups', 'role')), tie('value'), {
      maxKeys: 4,
    }),
  ),
})).value;
const hostileEvent = fc
  .record({
    t: fc.oneof(fc.nat(5_000_000), fc.constantFrom(-1, 1.5, 1e308, null, '5')),
    k: fc.oneof(fc.constantFrom(...KINDS), hostileString),
    fields: fc.dictionary(fc.constantFrom(...FIELDS), hostileValue, { maxKeys: 8 }),
  })
  .map(({ t, k, fields }) => ({ t, k, ...fields }));
/** Fault events whose fault has a known type and hostile fields: the shapes the fold draws. */
const hostileFault = fc
  .record({
    t: fc.nat(5_000_000),
    fault: fc.record(
      {
        type: fc.constantFrom(...FAULT_TYPES),
        node: hostileValue,
        groups: fc.oneof(fc.constant([['n1'], ['n2', 'n3']]), hostileValue),
        bridge: hostileValue,
        from: hostileValue,
        to: hostileValue,
        delta: hostileValue,
        ppm: hostileValue,
        probability: hostileValue,
        latency: hostileValue,
      },
      { requiredKeys: ['type'] },
    ),
    desc: fc.option(fc.string(), { nil: undefined }),
  })
  .map((event) => ({ k: 'fault', ...event }));
const header = fc.record(
  {
    format: fc.constant('dsim-trace'),
    version: fc.oneof(fc.constant(1), hostileValue),
    scenario: hostileValue,
    protocol: hostileValue,
    seed: hostileValue,
    nodes: fc.oneof(fc.constant(['n1', 'n2', 'n3']), hostileValue),
    clients: hostileValue,
    until: hostileValue,
    faults: hostileValue,
    clocks: hostileValue,
    invariants: hostileValue,
  },
  { requiredKeys: ['format'] },
);
const traceText = fc
  .tuple(
    fc.option(header, { nil: undefined }),
    fc.array(fc.oneof(hostileEvent, hostileFault), { maxLength: 25 }),
    fc.boolean(),
  )
  .map(([head, events, sort]) => {
    const list = sort
      ? [...events].sort((a, b) => (typeof a.t === 'number' && typeof b.t === 'number' ? a.t - b.t : 0))
      : events;
    return [...(head ? [head] : []), ...list].map((line) => JSON.stringify(line)).join('\n');
  });

/** Everything the viewer does with a loaded trace that does not need a DOM. */
function viewEverything(text: string): void {
  const parsed = parseTrace(text);
  const model = buildTraceModel(parsed);
  const seeker = new FrameSeeker(model, 4);
  for (const index of [model.events.length, 0, Math.floor(model.events.length / 2)]) seeker.frameAt(index);
  for (const event of model.events) expect(typeof describeEvent(event)).toBe('string');
  historyOf(model);
  checkTrace(model, 10_000);
  if (model.header) scenarioFromHeader(model.header);
}

describe('the visualizer on hostile traces', () => {
  it('reads, models and folds any trace of hostile events without throwing', () => {
    fc.assert(
      fc.property(traceText, (text) => {
        viewEverything(text);
      }),
      { numRuns: 400 },
    );
  });

  it('reads any text at all without throwing', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        viewEverything(text);
      }),
      { numRuns: 100 },
    );
  });

  it('says an empty or whitespace-only file is empty', () => {
    for (const text of ['', '   ', '\n\n\t\n'])
      expect(parseTrace(text).problems.map((problem) => problem.message)).toEqual([
        'the file is empty: a dsim trace starts with a header line',
      ]);
  });

  it('refuses fields of the wrong type on their line and keeps the rest', () => {
    const head = JSON.stringify({ format: 'dsim-trace', version: 1, nodes: ['n1', 'n2', 7], seed: 'x' });
    const lines = [
      head,
      JSON.stringify({ t: 1, k: 'send', id: 0, from: 'n1', to: 'n2', desc: 'm' }),
      JSON.stringify({ t: 2, k: 'drop', id: 0, from: 'n1', to: 'n2', reason: null }),
      JSON.stringify({ t: 3, k: 'drop', id: 0, from: 'n1', to: 'n2', reason: '__proto__' }),
      JSON.stringify({ t: 4, k: 'timer', node: { evil: 1 }, name: 'x' }),
      JSON.stringify({ t: 5, k: 'end', reason: 'until' }),
    ];
    const parsed = parseTrace(lines.join('\n'));
    expect(parsed.header!.nodes).toEqual(['n1', 'n2']);
    expect(parsed.problems.map((problem) => [problem.line, problem.message])).toEqual([
      [1, "header field 'nodes' must list node ids as strings; the others are ignored"],
      [1, "header field 'seed' must be a non-negative whole number; it is ignored"],
      [3, "'drop' event's field 'reason' must be a string"],
      [5, "'timer' event's field 'node' must be a string"],
    ]);
    const model = buildTraceModel(parsed);
    expect(model.dropReasons).toEqual(['__proto__']);
    viewEverything(lines.join('\n'));
  });

  it('cuts strings of megabytes and values nested past 64 levels, saying so once', () => {
    const huge = 'x'.repeat(10_000_000);
    // Written as text: JSON.stringify itself overflows on a value this deep.
    const deep = `${'['.repeat(100_000)}1${']'.repeat(100_000)}`;
    const lines = [
      JSON.stringify({ format: 'dsim-trace', version: 1, nodes: ['n1'] }),
      JSON.stringify({ t: 1, k: 'note', node: 'n1', text: huge }),
      `{"t":2,"k":"note","node":"n1","text":"deep","data":${deep}}`,
      JSON.stringify({ t: 3, k: 'end', reason: 'until' }),
    ];
    const parsed = parseTrace(lines.join('\n'));
    const note = parsed.events[0] as { text: string };
    expect(note.text.length).toBeLessThan(10_100);
    expect(note.text).toMatch(/… \(9,990,000 more characters\)$/);
    expect(JSON.stringify(parsed.events[1]).length).toBeLessThan(1_000);
    expect(parsed.problems.filter((problem) => /cut short/.test(problem.message))).toHaveLength(1);
    viewEverything(lines.join('\n'));
  });
});
