import { parseTrace, runScenario } from '@dsim/core';
import { registry } from '@dsim/registry';
import { describe, expect, it } from 'vitest';
import {
  h,
  readSweepResults,
  renderToDom,
  renderToString,
  runFacts,
  runPlots,
  runReportHtml,
  sweepReportHtml,
  throughput,
} from '../src/index.ts';

/** n3 crashes at 20 s and comes back at 80 s; the others' detectors suspect it meanwhile. */
const heartbeat = {
  name: 'report-heartbeat',
  protocol: 'heartbeat',
  nodes: 5,
  until: '100s',
  faults: [
    { at: '20s', fault: { type: 'crash', node: 'n3' } },
    { at: '80s', fault: { type: 'restart', node: 'n3' } },
  ],
  workload: { name: 'probe', clients: 2, thinkTime: '2s' },
};

function traceOf(scenario: unknown, seed = 1) {
  const result = runScenario(scenario, { registry, seed }, { trace: 'memory' });
  return parseTrace(result.traceText);
}

describe('element trees', () => {
  it('escape every string, in text and in attributes', () => {
    const hostile = `<img src=x onerror="alert(1)">&'`;
    const markup = renderToString(h('svg', { 'aria-label': hostile }, h('text', {}, hostile)));
    expect(markup).not.toContain('<img');
    expect(markup).toBe(
      '<svg aria-label="&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;"><text>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;</text></svg>',
    );
  });

  it('refuse event-handler attributes and tag names that are not names', () => {
    expect(() => renderToString(h('rect', { onclick: 'x()' }))).toThrow(/onclick.*not allowed/);
    expect(() => renderToString(h('script src=x', {}))).toThrow(/not a plain tag name/);
  });

  it('build the same tree as DOM nodes, SVG in the SVG namespace', () => {
    type FakeNode = {
      ns?: string;
      tag?: string;
      text?: string;
      attributes: Record<string, string>;
      children: FakeNode[];
    };
    const document = {
      createElementNS: (ns: string, tag: string) => {
        const node: FakeNode & { setAttribute(n: string, v: string): void; appendChild(c: FakeNode): void } = {
          ns,
          tag,
          attributes: {},
          children: [],
          setAttribute: (name, value) => void (node.attributes[name] = value),
          appendChild: (child) => void node.children.push(child),
        };
        return node;
      },
      createTextNode: (text: string): FakeNode => ({ text, attributes: {}, children: [] }),
    };
    const node = renderToDom(h('svg', { width: 10.456 }, h('circle', { r: 2 }), 'label'), document);
    expect(node.ns).toBe('http://www.w3.org/2000/svg');
    expect(node.attributes.width).toBe('10.46');
    expect(node.children[0]!.ns).toBe('http://www.w3.org/2000/svg');
    expect(node.children[1]!.text).toBe('label');
  });
});

describe('run facts', () => {
  it('read crashes, availability and suspicion from a heartbeat run', () => {
    const facts = runFacts(traceOf(heartbeat));
    expect(facts.faultPeriods).toEqual([
      { kind: 'crash', node: 'n3', from: 20_000_000, to: 80_000_000, label: 'crash n3' },
    ]);
    const n3 = facts.availability.find((row) => row.node === 'n3')!;
    expect(n3.downMicros).toBe(60_000_000);
    expect(n3.fraction).toBeCloseTo(1 - 60 / facts.endMicros / 1e-6, 6);
    expect(facts.availability.filter((row) => row.fraction === 1)).toHaveLength(4);
    // Every other node comes to suspect n3 after the crash, and stops once it is back.
    const suspected = facts.suspicions!.filter((row) => row.node === 'n3');
    expect(suspected.map((row) => row.observer).sort()).toEqual(['n1', 'n2', 'n4', 'n5']);
    for (const row of suspected)
      for (const period of row.periods) {
        expect(period.from).toBeGreaterThan(20_000_000);
        expect(period.to).toBeLessThanOrEqual(facts.endMicros);
      }
    expect(facts.leadership).toBeUndefined();
    expect(facts.operations.length).toBeGreaterThan(20);
    // Throughput counts each completed operation once.
    const completed = facts.operations.filter((op) => op.completeMicros !== undefined);
    const counted = throughput(facts).reduce((sum, bucket) => sum + bucket.ok + bucket.other, 0);
    expect(counted).toBe(completed.length);
  });

  it('measure time without a leader in Raft’s Figure 8 run', async () => {
    const facts = runFacts(traceOf(await figure8Bug()));
    const { leadership } = facts;
    expect(leadership).toBeDefined();
    // The run starts leaderless until the first election, and n1's crash at 2.69 s leaves it leaderless again.
    expect(leadership!.leaderless[0]!.from).toBe(0);
    expect(leadership!.leaderless.some((period) => period.from <= 2_690_000 && period.to > 2_690_000)).toBe(true);
    expect(leadership!.leaderlessMicros).toBe(
      leadership!.leaderless.reduce((sum, period) => sum + period.to - period.from, 0),
    );
    expect(facts.violations.map((violation) => violation.invariant)).toContain('state-machine-safety');
  });

  it('end the 3PC partition run at its violation, not at until', async () => {
    const facts = runFacts(traceOf(await threePhasePartition(), 1));
    expect(facts.endMicros).toBeLessThan(facts.untilMicros); // stopped at the violation
    expect(facts.violations[0]!.invariant).toBe('atomicity');
    const ids = runPlots(facts).map((plot) => plot.id);
    expect(ids).toContain('availability');
  });
});

describe('reports', () => {
  it('write one self-contained page: no script, nothing fetched', () => {
    const html = runReportHtml(traceOf(heartbeat), { hash: 'abc' });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|src=|href=/i);
    expect(html).toContain('default-src &#39;none&#39;'); // the CSP, its quotes escaped
    for (const id of ['latency', 'throughput', 'availability', 'suspicions']) expect(html).toContain(`id="plot-${id}"`);
    expect(html).toContain('crash n3');
  });

  it('summarise sweep results: verdicts, distributions, coverage and failing seeds', () => {
    const lines = [
      JSON.stringify({ format: 'dsim-sweep-results', title: 'simulations/x.ts', seeds: { first: 1, last: 3 } }),
      JSON.stringify({
        seed: 1,
        verdict: 'ok',
        ok: true,
        events: 100,
        simulatedMicros: 5e6,
        wallMillis: 3,
        coverage: { leader: 2, candidate: 0 },
      }),
      JSON.stringify({
        seed: 2,
        verdict: 'ok',
        ok: true,
        events: 120,
        simulatedMicros: 5e6,
        wallMillis: 4,
        coverage: { leader: 1, candidate: 3 },
      }),
      JSON.stringify({
        seed: 3,
        verdict: 'violation',
        ok: false,
        events: 90,
        simulatedMicros: 2e6,
        wallMillis: 2,
        violations: [{ invariant: 'election-safety' }],
        reproduce: 'dsim run simulations/x.ts --seed 3',
      }),
      'not json',
    ].join('\n');
    const { header, results, problems } = readSweepResults(lines);
    expect(results).toHaveLength(3);
    expect(problems).toEqual([expect.stringMatching(/^line 5: not valid JSON/)]);
    const html = sweepReportHtml(header, results);
    expect(html).toContain('✗ 1 failing');
    expect(html).toContain('dsim run simulations/x.ts --seed 3');
    expect(html).toContain('Events per run');
    // leader reached in both runs with counters, candidate in one of two.
    expect(html).toContain('100% · leader');
    expect(html).toContain('50% · candidate');
  });
});

async function figure8Bug() {
  return ((await import('../../../simulations/raft/figure8-bug.ts')) as { default: unknown }).default;
}
async function threePhasePartition() {
  return ((await import('../../../simulations/commit/3pc-partition.ts')) as { default: unknown }).default;
}
