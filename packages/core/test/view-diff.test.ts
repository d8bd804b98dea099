import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyViewDiff,
  diffView,
  normalizeView,
  parseTrace,
  sameJson,
  runScenario,
  type LogEntryView,
  type LogView,
  type NodeView,
  type ViewDiff,
} from '../src/index.ts';
import { jsonCopy, jsonRoundTrip, normalizeViewAfter, normalizeViewByJson } from '../src/trace/view-diff.ts';
import { baseScenario, recorder } from './fixtures.ts';

const tone = fc.constantFrom('plain', 'good', 'warn', 'bad', undefined);
const badge = fc.record({ label: fc.constantFrom('term', 'ballot', 'epoch'), value: fc.nat(5), tone });
const field = fc.record({
  label: fc.constantFrom('commit', 'leader', 'frozen'),
  value: fc.oneof(fc.nat(9), fc.constantFrom('n1', 'n2'), fc.boolean(), fc.constant(null)),
});
const edge = fc.record(
  { to: fc.constantFrom('n1', 'n2', 'n3'), kind: fc.constantFrom('follows', 'votes-for'), label: fc.string() },
  { requiredKeys: ['to', 'kind'] },
);
const table = fc.record({
  name: fc.constantFrom('progress', 'isr'),
  columns: fc.constant(['a', 'b']),
  rows: fc.array(fc.tuple(fc.constantFrom('n1', 'n2'), fc.nat(9)), { maxLength: 3 }),
});
const entry: fc.Arbitrary<LogEntryView> = fc.record(
  { label: fc.constantFrom('noop', 'put x=1', 'put x=2'), term: fc.nat(4), marks: fc.constant(['chosen']) },
  { requiredKeys: ['label'] },
);

/** How a log changes in one step: its window slides, its tail is cut, entries are appended, its marks move. */
const logStep = fc.record({
  slide: fc.nat(3),
  cut: fc.nat(4),
  append: fc.array(entry, { maxLength: 4 }),
  marks: fc.option(fc.dictionary(fc.constantFrom('commit', 'applied', 'hw'), fc.nat(12)), { nil: undefined }),
  rename: fc.boolean(),
});
type LogStep = typeof logStep extends fc.Arbitrary<infer T> ? T : never;

function stepLog(log: LogView | undefined, step: LogStep): LogView {
  const before = log ?? { start: 1, entries: [] };
  const slide = Math.min(step.slide, before.entries.length);
  const kept = before.entries.slice(slide, Math.max(slide, before.entries.length - step.cut));
  return {
    ...(step.rename ? { name: 'p0' } : {}),
    start: before.start + slide,
    entries: [...kept, ...step.append],
    ...(step.marks ? { marks: step.marks } : {}),
  };
}

/** One view step: each part kept, replaced or removed; each log stepped; logs added or dropped. */
const viewStep = fc.record({
  role: fc.option(fc.constantFrom('leader', 'follower', 'candidate'), { nil: undefined }),
  badges: fc.option(fc.option(fc.array(badge, { maxLength: 3 }), { nil: undefined }), { nil: null }),
  fields: fc.option(fc.option(fc.array(field, { maxLength: 3 }), { nil: undefined }), { nil: null }),
  tables: fc.option(fc.option(fc.array(table, { maxLength: 2 }), { nil: undefined }), { nil: null }),
  edges: fc.option(fc.option(fc.array(edge, { maxLength: 3 }), { nil: undefined }), { nil: null }),
  logCount: fc.option(fc.nat(3), { nil: undefined }),
  logSteps: fc.array(fc.option(logStep, { nil: undefined }), { minLength: 3, maxLength: 3 }),
});
type ViewStep = typeof viewStep extends fc.Arbitrary<infer T> ? T : never;

/** The next view: `null` in a step keeps a part as it was; `undefined` removes it. */
function nextView(previous: NodeView | undefined, step: ViewStep): NodeView {
  const view: Record<string, unknown> = { role: step.role ?? previous?.role ?? 'follower' };
  for (const part of ['badges', 'fields', 'tables', 'edges'] as const) {
    const value = step[part] === null ? previous?.[part] : step[part];
    if (value !== undefined) view[part] = value;
  }
  const count = step.logCount ?? previous?.logs?.length ?? 0;
  if (count > 0 || step.logCount === 0) {
    view.logs = Array.from({ length: count }, (_, i) => {
      const before = previous?.logs?.[i];
      const logStep = step.logSteps[i];
      return logStep ? stepLog(before, logStep) : (before ?? { start: 1, entries: [] });
    });
  }
  return view as unknown as NodeView;
}

/**
 * Whether two values are the same to the last detail a copy could get wrong: Object.is for
 * primitives (so -0 is not 0), the same prototype, the same own members in the same order.
 */
function identical(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Object.is(a, b);
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const keysA = Reflect.ownKeys(a);
  const keysB = Reflect.ownKeys(b);
  if (keysA.length !== keysB.length) return false;
  for (let i = 0; i < keysA.length; i++) {
    const key = keysA[i]!;
    if (key !== keysB[i]) return false;
    const memberA = Object.getOwnPropertyDescriptor(a, key)!;
    const memberB = Object.getOwnPropertyDescriptor(b, key)!;
    if (memberA.enumerable !== memberB.enumerable || !identical(memberA.value, memberB.value)) return false;
  }
  return true;
}

/** What `copy` and the JSON round trip do to `value`: the result, or the error's class. */
function outcome(copy: (value: unknown) => unknown, value: unknown): { value: unknown } | { threw: string } {
  try {
    return { value: copy(value) };
  } catch (error) {
    return { threw: (error as Error).constructor.name };
  }
}

/** A member or item that JSON drops or rewrites: undefined, -0, NaN, infinities, a function. */
const awkward = fc.constantFrom<unknown>(undefined, -0, 0, NaN, Infinity, -Infinity, () => 1, Symbol.for('s'), null);

describe('the view copy', () => {
  it('copies views as the JSON round trip does', () => {
    const value = fc.oneof(fc.nat(9), fc.string(), awkward);
    const sloppyView = fc.record(
      {
        role: fc.constantFrom('leader', 'follower'),
        badges: fc.array(fc.record({ label: fc.string(), value, tone }), { maxLength: 3 }),
        fields: fc.array(fc.record({ label: fc.string(), value }), { maxLength: 3 }),
        tables: fc.array(table, { maxLength: 2 }),
        edges: fc.array(edge, { maxLength: 3 }),
        logs: fc.array(
          fc.record(
            {
              name: fc.string(),
              start: fc.oneof(fc.nat(9), awkward),
              entries: fc.array(fc.oneof(entry, awkward), { maxLength: 4 }),
              marks: fc.dictionary(fc.string(), fc.oneof(fc.nat(12), awkward)),
            },
            { requiredKeys: ['start', 'entries'] },
          ),
          { maxLength: 3 },
        ),
        extra: awkward,
      },
      { requiredKeys: ['role'] },
    );
    fc.assert(
      fc.property(sloppyView, (view) => {
        const copy = normalizeView(view as NodeView);
        expect(identical(copy, normalizeViewByJson(view as NodeView))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('copies any value as the JSON round trip does, or fails as it fails', () => {
    const anything = fc.anything({
      maxDepth: 3,
      key: fc.oneof(fc.string(), fc.constantFrom('__proto__', 'toJSON', '0', '10', 'constructor')),
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withObjectString: true,
      withSparseArray: true,
      withTypedArray: true,
      withUnicodeString: true,
    });
    const value = fc.oneof(
      anything,
      fc.jsonValue({ maxDepth: 4 }),
      fc.array(awkward),
      fc.dictionary(fc.string(), awkward),
    );
    fc.assert(
      fc.property(value, (v) => {
        const fast = outcome(jsonCopy, v);
        const slow = outcome(jsonRoundTrip, v);
        if ('threw' in slow) expect(fast).toEqual(slow);
        else expect('value' in fast && identical(fast.value, slow.value)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('leaves a cycle to JSON, which names it', () => {
    const looped: Record<string, unknown> = { role: 'leader' };
    looped.self = looped;
    expect(() => jsonCopy(looped)).toThrow(/circular/);
  });

  it('copies only what changed into a view that diffs as the whole copy does', () => {
    fc.assert(
      fc.property(fc.array(viewStep, { minLength: 1, maxLength: 30 }), (steps) => {
        let view: NodeView | undefined;
        let whole: NodeView | undefined;
        let partial: NodeView | undefined;
        for (const step of steps) {
          // A view that shares its arrays with the state, as in the mutable mode: the next step
          // may change them in place, which the copies must not see.
          if (view?.logs?.[0]) (view.logs[0].entries as LogEntryView[]).push({ label: 'in place' });
          view = nextView(view, step);
          const diff = diffView(whole, view);
          expect(diffView(partial, view)).toEqual(diff);
          if (diff === undefined) continue;
          whole = normalizeView(view);
          partial = normalizeViewAfter(partial, view, diff);
          // Generated entries have no members beyond label, term and marks, so the kept ones are the same.
          expect(identical(partial, whole)).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('does not share arrays with the view it copies', () => {
    const entries = [{ label: 'noop', term: 1 }];
    const view: NodeView = { role: 'leader', logs: [{ start: 1, entries }] };
    const copy = normalizeView(view);
    entries.push({ label: 'put x=1', term: 1 });
    expect(copy.logs?.[0]?.entries).toEqual([{ label: 'noop', term: 1 }]);
  });
});

describe('view diffs', () => {
  it('applying the diffs, as a trace carries them, reproduces every view exactly', () => {
    fc.assert(
      fc.property(fc.array(viewStep, { minLength: 1, maxLength: 30 }), (steps) => {
        let view: NodeView | undefined;
        let traced: NodeView | undefined;
        let rebuilt: NodeView | undefined;
        for (const step of steps) {
          view = nextView(view, step);
          const diff = diffView(traced, view);
          if (diff === undefined) {
            // "Nothing changed" must be true.
            expect(rebuilt).toEqual(normalizeView(view));
            continue;
          }
          traced = normalizeView(view);
          // Through JSON, as the trace line carries it.
          rebuilt = applyViewDiff(rebuilt, JSON.parse(JSON.stringify(diff)) as ViewDiff);
          expect(rebuilt).toEqual(traced);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('compares values as their JSON texts compare', () => {
    const value = fc.jsonValue({ maxDepth: 3 }).map((v) => v as unknown);
    const withUndefined = fc.oneof(
      value,
      fc.dictionary(fc.constantFrom('a', 'b'), fc.oneof(value, fc.constant(undefined))),
    );
    fc.assert(
      fc.property(withUndefined, withUndefined, (a, b) => {
        expect(sameJson(a, b)).toBe(JSON.stringify(a) === JSON.stringify(b));
        expect(sameJson(a, JSON.parse(JSON.stringify(a ?? null)))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('carries a log that grows at its tail as the new entries alone', () => {
    const entries = (n: number) => Array.from({ length: n }, (_, i) => ({ label: `put x=${i}`, term: 1 }));
    const before: NodeView = { role: 'leader', logs: [{ start: 1, entries: entries(20), marks: { commit: 19 } }] };
    const after: NodeView = { role: 'leader', logs: [{ start: 1, entries: entries(21), marks: { commit: 20 } }] };
    expect(diffView(before, after)).toEqual({
      logs: [{ start: 1, keep: 20, add: [{ label: 'put x=20', term: 1 }], marks: { commit: 20 } }],
    });
  });

  it('carries an overwritten entry as a cut of the old suffix and the new entry', () => {
    const before: NodeView = {
      role: 'follower',
      logs: [
        {
          start: 1,
          entries: [
            { label: 'noop', term: 1 },
            { label: 'put x=1', term: 2 },
          ],
        },
      ],
    };
    const after: NodeView = {
      role: 'follower',
      logs: [
        {
          start: 1,
          entries: [
            { label: 'noop', term: 1 },
            { label: 'noop', term: 3 },
          ],
        },
      ],
    };
    expect(diffView(before, after)).toEqual({ logs: [{ start: 1, keep: 1, add: [{ label: 'noop', term: 3 }] }] });
  });

  it('says nothing changed for an equal view, and removes a part with null', () => {
    const view: NodeView = { role: 'leader', badges: [{ label: 'term', value: 2 }], edges: [] };
    expect(diffView(view, normalizeView(view))).toBeUndefined();
    expect(diffView(view, { role: 'leader', edges: [] })).toEqual({ badges: null });
  });

  it('is written by the kernel only when a view changes, and the fold of the lines is each node’s view', () => {
    const protocol = {
      ...recorder({}),
      view: (state: { log: string[]; boots: number }, node: string): NodeView => ({
        role: state.boots > 1 ? 'restarted' : 'recorder',
        badges: [{ label: 'boots', value: state.boots }],
        logs: [{ start: 1, entries: state.log.map((label) => ({ label })) }],
        edges: node === 'n1' ? [{ to: 'n2', kind: 'pings' }] : [],
      }),
    };
    const scenario = baseScenario(protocol, {
      until: '50ms',
      faults: [
        { at: '20ms', fault: { type: 'crash', node: 'n2' } },
        { at: '30ms', fault: { type: 'restart', node: 'n2' } },
      ],
    });
    for (const stateMode of ['immutable', 'mutable'] as const) {
      const result = runScenario(scenario, {}, { trace: 'memory', stateMode });
      const parsed = parseTrace(result.traceText);
      expect(parsed.problems).toEqual([]);
      const views = new Map<string, NodeView>();
      let lines = 0;
      for (const event of parsed.events) {
        if (event.k === 'init' && event.restart) views.delete(event.node);
        if (event.k !== 'view') continue;
        lines++;
        const { t: _t, k: _k, node, ...diff } = event;
        views.set(node, applyViewDiff(views.get(node), diff));
      }
      expect(lines).toBeGreaterThan(0);
      expect(views.get('n2')?.role).toBe('restarted');
      expect(views.get('n1')?.edges).toEqual([{ to: 'n2', kind: 'pings' }]);
      expect(views.get('n2')?.logs?.[0]?.entries.map((e) => e.label)).toEqual(['init boot=2 @30000']);
    }
  });
});
