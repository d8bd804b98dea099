import { join } from 'node:path';
import { runScenario } from '@dsim/core';
import { registry } from '@dsim/registry';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, chromiumAvailable, launch, resultsDir, serve, type StaticServer } from './harness.ts';
import { SIMULATIONS } from './node-scenarios.ts';

const available = chromiumAvailable();

type Hook = {
  ready: Promise<void>;
  state(): { loaded: boolean; hash?: string; index: number; time: number };
  seekTime(t: number): void;
  drawNow(): void;
  app: unknown;
};

async function traceOf(file: string): Promise<string> {
  const module = (await import(join(SIMULATIONS, file))) as { default: unknown };
  const result = runScenario(module.default, { registry }, { trace: 'memory' });
  return result.traceText;
}

async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { __dsim?: Hook }).__dsim !== undefined);
  await page.evaluate(() => (window as unknown as { __dsim: Hook }).__dsim.ready);
  await page.waitForFunction(() => !!(window as unknown as { __dsim: Hook }).__dsim.state().hash, null, {
    timeout: 60_000,
  });
}

const seek = (page: Page, seconds: number) =>
  page.evaluate(
    (t) => {
      const hook = (window as unknown as { __dsim: Hook }).__dsim;
      hook.seekTime(t);
      hook.drawNow();
    },
    Math.round(seconds * 1_000_000),
  );

/** Attributes of every element a selector matches. */
const all = (page: Page, selector: string) =>
  page.$$eval(selector, (elements) =>
    elements.map((element) => Object.fromEntries([...element.attributes].map((a) => [a.name, a.value]))),
  );

describe.skipIf(!available)('protocol views, violations and messages in the cluster view', () => {
  let server: StaticServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    await buildApp();
    server = await serve();
    const figure8 = await traceOf('raft/figure8-bug.ts');
    server.put('/traces/figure8-bug.jsonl', figure8);
    // The same run with the first state-machine-safety line naming other nodes than its message does.
    const first = figure8.split('\n').find((line) => line.includes('"invariant":"state-machine-safety"'))!;
    const renamed = figure8.replace(first, first.replace('"nodes":["n5","n1"]', '"nodes":["n2","n3"]'));
    expect(renamed).not.toBe(figure8);
    server.put('/traces/figure8-bug-renamed.jsonl', renamed);
    server.put('/traces/3pc-partition.jsonl', await traceOf('commit/3pc-partition.ts'));
    server.put('/traces/lease-clock-skew.jsonl', await traceOf('raft/lease-clock-skew.ts'));
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('draws each Raft node’s term, log strip and commit/applied marks from the trace’s view lines', async () => {
    await open(page, `${server.url}/?trace=/traces/figure8-bug.jsonl`);
    await seek(page, 0.5);
    const badges = await page.textContent('g.node[data-node="n1"] text.badges');
    expect(badges).toBe('term 1 · commit 1');
    const cells = await all(page, 'g.node[data-node="n2"] g.log g.entry');
    expect(cells.map((cell) => [cell['data-index'], cell['data-label'], cell['data-term']])).toEqual([
      ['1', 'noop', '1'],
    ]);
    const marks = await all(page, 'g.node[data-node="n2"] g.log g.mark');
    expect(Object.fromEntries(marks.map((mark) => [mark['data-mark'], mark['data-at']]))).toEqual({
      commit: '1',
      applied: '1',
    });
    await page.screenshot({ path: `${resultsDir()}/figure8-bug-0.5s-steady.png` });
  });

  it('shows Figure 8: n5’s conflicting entry at index 2, then the violation on the nodes it involves', async () => {
    // 3.9 s: n1 (term 3) has committed index 2 by counting replicas; n5 still holds its own term-2 entry there.
    await seek(page, 3.9);
    const n5 = await all(page, 'g.node[data-node="n5"] g.log g.entry[data-index="2"]');
    expect(n5).toHaveLength(1);
    expect(n5[0]!['data-term']).toBe('2');
    expect(n5[0]!['data-conflict']).toBe('true');
    const n1 = await all(page, 'g.node[data-node="n1"] g.log g.entry[data-index="2"]');
    expect(n1[0]!['data-conflict']).toBeUndefined();
    await page.screenshot({ path: `${resultsDir()}/figure8-bug-3.9s-conflict.png` });

    // 4.3 s: n5 leads term 4 and applies its entry at index 2 where n1 applied another.
    await seek(page, 4.3);
    expect(await page.getAttribute('#cluster svg', 'data-violation')).toBe('state-machine-safety');
    expect(await page.getAttribute('g.node[data-node="n5"]', 'data-violation')).toBe('state-machine-safety');
    expect(await page.getAttribute('g.node[data-node="n1"]', 'data-violation')).toBe('state-machine-safety');
    expect(await page.getAttribute('g.node[data-node="n2"]', 'data-violation')).toBeNull();
    expect(await page.textContent('g.node[data-node="n5"] text.violation-note')).toBe('✗ state-machine-safety');
    expect(await page.textContent('#cluster svg text.violation-banner title')).toMatch(
      /state-machine-safety at 4\.265s: n5 applies 2:noop:n5 at index 2/,
    );
    await page.screenshot({ path: `${resultsDir()}/figure8-bug-4.3s-violation.png` });

    // 4.5 s: n3 and n4 have had index 2 overwritten by n5's entry: the committed entry is gone from the cluster's logs.
    await seek(page, 4.5);
    const n3 = await all(page, 'g.node[data-node="n3"] g.log g.entry[data-index="2"]');
    expect(n3[0]!['data-term']).toBe('2');
    expect(n3[0]!['data-conflict']).toBe('true');
    await page.screenshot({ path: `${resultsDir()}/figure8-bug-4.5s-overwritten.png` });
  });

  it('rings the nodes the violation line lists, not the ones its message names', async () => {
    await open(page, `${server.url}/?trace=/traces/figure8-bug-renamed.jsonl`);
    await seek(page, 4.3);
    expect(await page.getAttribute('#cluster svg', 'data-violation')).toBe('state-machine-safety');
    const ringed = await page.$$eval('g.node[data-violation]', (nodes) =>
      nodes.map((node) => node.getAttribute('data-node')),
    );
    expect(ringed.sort()).toEqual(['n2', 'n3']);
    // Back to the run as the kernel wrote it, for the tests that follow.
    await open(page, `${server.url}/?trace=/traces/figure8-bug.jsonl`);
  });

  it('selects a message by clicking its dot in the cluster view', async () => {
    // A moment with messages in flight and no node under them.
    await seek(page, 0.2065);
    // The dot farthest from any node: the click must land on the message, not on a node.
    const hit = await page.evaluate(() => {
      type Point = { x: number; y: number };
      const cluster = (
        window as unknown as {
          __dsim: { app: { cluster: { messageHits: Array<Point & { id: number }>; positions: Point[] } } };
        }
      ).__dsim.app.cluster;
      const clearance = (p: Point) => Math.min(...cluster.positions.map((q) => Math.hypot(p.x - q.x, p.y - q.y)));
      return [...cluster.messageHits].sort((a, b) => clearance(b) - clearance(a))[0];
    });
    expect(hit).toBeDefined();
    const box = (await page.$('#cluster canvas'))!.boundingBox();
    const { x, y } = (await box)!;
    await page.mouse.click(x + hit!.x, y + hit!.y);
    await page.evaluate(() => (window as unknown as { __dsim: Hook }).__dsim.drawNow());
    expect(await page.getAttribute('#inspector section.inspect', 'data-inspect')).toBe(`message:${hit!.id}`);
  });

  it('draws event points, highlights a clicked event’s causal past and future, and labels arrows when zoomed in', async () => {
    await open(page, `${server.url}/?trace=/traces/figure8-bug.jsonl`);
    await page.evaluate(() => {
      const hook = (window as unknown as { __dsim: Hook & { setDomain(a: number, b: number): void } }).__dsim;
      hook.setDomain(190_000, 240_000);
      hook.seekTime(240_000);
      hook.drawNow();
    });
    const canvas = '#spacetime canvas';
    expect(Number(await page.getAttribute(canvas, 'data-points'))).toBeGreaterThan(10);
    expect(Number(await page.getAttribute(canvas, 'data-arrow-labels'))).toBeGreaterThan(0);
    // Click a point in the middle of the window.
    const point = await page.evaluate(() => {
      const view = (
        window as unknown as {
          __dsim: { app: { spacetime: { points: Array<{ index: number; x: number; y: number }> } } };
        }
      ).__dsim.app.spacetime;
      const middle = view.points[Math.floor(view.points.length / 2)]!;
      // Events of one step share a point; the click takes the last of them.
      const index = Math.max(...view.points.filter((p) => p.x === middle.x && p.y === middle.y).map((p) => p.index));
      return { ...middle, index };
    });
    const box = (await (await page.$(canvas))!.boundingBox())!;
    await page.mouse.click(box.x + point.x, box.y + point.y);
    await page.evaluate(() => (window as unknown as { __dsim: Hook }).__dsim.drawNow());
    expect(await page.getAttribute(canvas, 'data-causal-event')).toBe(String(point.index));
    expect(await page.getAttribute('#inspector section.inspect', 'data-inspect')).toBe(`event:${point.index}`);
    expect(await page.textContent('#inspector')).toMatch(/vector clock\s*n1:\d+ n2:\d+ n3:\d+ n4:\d+ n5:\d+/);
    await page.screenshot({ path: `${resultsDir()}/figure8-bug-causality.png` });

    // Filters: a kind hidden, then a search, each narrows the arrows drawn; exports follow the filter.
    const arrows = async () => Number(await page.getAttribute(canvas, 'data-arrows-drawn'));
    const redraw = () => page.evaluate(() => (window as unknown as { __dsim: Hook }).__dsim.drawNow());
    const before = await arrows();
    await page.click('#spacetime .chip[data-kind="RequestVote"]');
    await redraw();
    const withoutVotes = await arrows();
    expect(withoutVotes).toBeLessThan(before);
    expect(withoutVotes).toBeGreaterThan(0);
    await page.click('#spacetime .chip[data-kind="RequestVote"]');
    await page.fill('#spacetime-search', 'AppendEntries t=1');
    await redraw();
    expect(await arrows()).toBeLessThan(before);
    const exports = await page.evaluate(() => {
      const view = (window as unknown as { __dsim: { app: { spacetime: { exportText(format: string): string } } } })
        .__dsim.app.spacetime;
      return { mermaid: view.exportText('mermaid'), svg: view.exportText('svg') };
    });
    expect(exports.mermaid).toMatch(/^sequenceDiagram\n/);
    expect(exports.mermaid).toMatch(/participant n5/);
    expect(exports.mermaid).toMatch(/n1->>n2: .*AppendEntries t=1/);
    expect(exports.mermaid).not.toMatch(/RequestVote/);
    expect(exports.svg).toMatch(/^<svg xmlns/);
    expect(exports.svg).toMatch(/AppendEntries t=1/);
    await page.fill('#spacetime-search', '');
  });

  it('marks the linearizability violation at the failing operation and goes there', async () => {
    await open(page, `${server.url}/?trace=/traces/lease-clock-skew.jsonl`);
    await page.waitForFunction(
      () => (window as unknown as { __dsim: { state(): { verdict?: unknown } } }).__dsim.state().verdict !== undefined,
    );
    const { markers, failingTime } = await page.evaluate(() => {
      const app = (
        window as unknown as {
          __dsim: {
            app: {
              verdict: { failing: number };
              loaded: {
                model: {
                  markers: Array<{ kind: string; time: number; label: string }>;
                  operations: Array<{ invokeTime: number }>;
                };
              };
            };
          };
        }
      ).__dsim.app;
      return {
        markers: app.loaded.model.markers.filter((m) => m.kind === 'violation'),
        failingTime: app.loaded.model.operations[app.verdict.failing]!.invokeTime,
      };
    });
    // The failing read, not the end of the run where the whole-history check reports it.
    expect(markers).toHaveLength(1);
    expect(markers[0]!.time).toBe(failingTime);
    expect(failingTime).toBeLessThan(8_000_000);
    expect(markers[0]!.label).toMatch(/not linearizable: c\d get k0 cannot be placed/);
    await page.click('#go-to-failing');
    await page.evaluate(() => (window as unknown as { __dsim: Hook }).__dsim.drawNow());
    const after = await page.evaluate(() => (window as unknown as { __dsim: Hook }).__dsim.state());
    expect(after.time).toBe(failingTime);
    expect(await page.getAttribute('#inspector section.inspect', 'data-inspect')).toMatch(/^operation:/);
    expect(await page.textContent('#inspector')).toMatch(/cannot be placed in any linearization/);
    await page.screenshot({ path: `${resultsDir()}/lease-clock-skew-failing-read.png` });
  });

  it('shows the 3PC partition: the coordinator committed while a participant aborted', async () => {
    await open(page, `${server.url}/?trace=/traces/3pc-partition.jsonl`);
    const end = await page.evaluate(() =>
      (
        window as unknown as { __dsim: { app: { loaded: { model: { times: Float64Array } } } } }
      ).__dsim.app.loaded.model.times.at(-1)!,
    );
    await seek(page, end / 1_000_000);
    const decisions = async (node: string) =>
      (await all(page, `g.node[data-node="${node}"] g.log[data-log="decisions"] g.entry`)).map((e) => e['data-label']);
    expect(await decisions('c')).toEqual([expect.stringMatching(/^tx1 commit/)]);
    expect(await decisions('p1')).toEqual([expect.stringMatching(/^tx1 commit/)]);
    expect(await decisions('p2')).toEqual([expect.stringMatching(/^tx1 abort/)]);
    await page.screenshot({ path: `${resultsDir()}/3pc-partition-end.png` });
  });
});
