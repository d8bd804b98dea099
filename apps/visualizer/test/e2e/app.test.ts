import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScenario } from '@dsim/core';
import { registry } from '@dsim/registry';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildVisualizer, isStale, startViewServer } from '../../../../packages/cli/src/commands/view.ts';
import { encodeRunSpec } from '../../src/model/run-spec.ts';
import { buildApp, chromiumAvailable, launch, resultsDir, serve, type StaticServer } from './harness.ts';
import { loadShippedScenarios } from './node-scenarios.ts';

const available = chromiumAvailable();

/** A crash, a partition, a one-way cut, a pause and clock skew: every kind of thing the views draw. */
const demo = {
  name: 'crash-partition-demo',
  description: 'n3 crashes, the cluster splits in two, heals, n3 comes back',
  protocol: 'heartbeat',
  nodes: 5,
  until: '90s',
  clocks: { n2: { offset: '150ms', driftPpm: 2000 } },
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
    { at: '40s', fault: { type: 'cut', from: ['n1'], to: ['n4', 'n5'] } },
    { at: '50s', fault: { type: 'heal' } },
    { at: '52s', fault: { type: 'pause', node: 'n5' } },
    { at: '56s', fault: { type: 'resume', node: 'n5' } },
    { at: '60s', fault: { type: 'restart', node: 'n3' } },
  ],
  workload: { name: 'probe', clients: 2, thinkTime: '2s' },
};

function nodeRun(scenario: unknown, seed: number) {
  const result = runScenario(scenario, { registry, seed }, { trace: 'memory' });
  return { hash: result.hash!, text: result.trace.join('\n') + '\n', result };
}

type Hook = {
  ready: Promise<void>;
  state(): {
    loaded: boolean;
    events: number;
    index: number;
    time: number;
    hash?: string;
    runHash?: string;
    inFlight: number;
    problems: Array<{ line: number; message: string }>;
    nodes: Array<{ id: string; crashed: boolean; paused: boolean; role?: string }>;
    url: string;
    source?: { kind: string };
    domain: [number, number];
  };
  seekTime(t: number): void;
  setDomain(from: number, to: number): void;
  drawNow(): void;
};

async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { __dsim?: Hook }).__dsim !== undefined);
  await page.evaluate(() => (window as unknown as { __dsim: Hook }).__dsim.ready);
  await page.waitForFunction(
    () =>
      (window as unknown as { __dsim: Hook }).__dsim.state().loaded &&
      !!(window as unknown as { __dsim: Hook }).__dsim.state().hash,
    null,
    { timeout: 60_000 },
  );
}

const state = (page: Page) => page.evaluate(() => (window as unknown as { __dsim: Hook }).__dsim.state());
const seek = async (page: Page, seconds: number) => {
  await page.evaluate((t) => {
    const hook = (window as unknown as { __dsim: Hook }).__dsim;
    hook.seekTime(t);
    hook.drawNow();
  }, seconds * 1_000_000);
};
const data = (page: Page, selector: string) =>
  page.$eval(selector, (element) => ({ ...(element as HTMLElement).dataset }));

describe.skipIf(!available)('visualizer in Chromium', () => {
  let server: StaticServer;
  let browser: Browser;
  let page: Page;
  const trace = nodeRun(demo, 4);

  beforeAll(async () => {
    await buildApp();
    server = await serve();
    server.put('/traces/demo.jsonl', trace.text);
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('loads a trace from ?trace=, shows the crash and the partition, and scrubs', async () => {
    await open(page, `${server.url}/?trace=/traces/demo.jsonl`);
    const loaded = await state(page);
    expect(loaded.events).toBe(trace.text.trim().split('\n').length - 1);
    expect(loaded.hash).toBe(trace.hash);
    expect(loaded.problems).toEqual([]);

    await seek(page, 25);
    expect(await page.getAttribute('g.node[data-node="n3"]', 'data-status')).toBe('crashed');
    expect(await page.getAttribute('g.node[data-node="n1"]', 'data-status')).toBe('up');
    const cluster = await data(page, '#cluster canvas');
    expect(cluster.groups).toBe('3'); // [n1 n2] | [n4 n5] | the rest (n3)
    expect(Number(cluster.cutLinks)).toBe(8);
    const spacetime = await data(page, '#spacetime canvas');
    expect(Number(spacetime.arrowsDrawn)).toBeGreaterThan(100);
    expect(Number(spacetime.drops)).toBeGreaterThan(10);
    // The clock badge shows n2's offset and drift: 150ms + 25s × 2000ppm = 200ms ahead.
    expect(await page.textContent('g.node[data-node="n2"] text.clock')).toBe('clock +200ms · +2000ppm');
    await page.screenshot({ path: join(resultsDir(), 'partition.png') });

    await seek(page, 45);
    const oneWay = await data(page, '#cluster canvas');
    expect(oneWay.oneWayCuts).toBe('2');
    expect(oneWay.groups).toBe('0');
    await page.screenshot({ path: join(resultsDir(), 'one-way-cut.png') });

    await seek(page, 54);
    expect(await page.getAttribute('g.node[data-node="n5"]', 'data-status')).toBe('paused');
    await seek(page, 70);
    expect(await page.getAttribute('g.node[data-node="n3"]', 'data-status')).toBe('up');

    // Scrub with the mouse across the timeline: time follows the pointer.
    const box = (await page.locator('#timeline canvas').boundingBox())!;
    await page.mouse.move(box.x + 12, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 8 });
    const middle = await state(page);
    expect(middle.time / 90_000_000).toBeGreaterThan(0.45);
    expect(middle.time / 90_000_000).toBeLessThan(0.55);
    await page.mouse.move(box.x + box.width - 12, box.y + box.height / 2, { steps: 8 });
    await page.mouse.up();
    expect((await state(page)).index).toBe(loaded.events);
  });

  it('steps, jumps between faults and shows help from the keyboard', async () => {
    await page.keyboard.press('Home');
    await page.keyboard.press(']');
    let now = await state(page);
    expect(now.time).toBe(10_000_000);
    expect(now.nodes.find((node) => node.id === 'n3')!.crashed).toBe(true);
    await page.keyboard.press(']');
    expect((await state(page)).time).toBe(20_000_000);
    await page.keyboard.press('[');
    expect((await state(page)).time).toBe(10_000_000);
    const before = (await state(page)).index;
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect((await state(page)).index).toBe(before + 2);
    await page.keyboard.press('ArrowLeft');
    expect((await state(page)).index).toBe(before + 1);
    await page.keyboard.press('Space');
    await page.waitForTimeout(400);
    now = await state(page);
    expect(now.index).toBeGreaterThan(before + 1);
    await page.keyboard.press('Space');
    await page.keyboard.press('Shift+?');
    expect(await page.isVisible('#help-dialog[open]')).toBe(true);
    expect(await page.textContent('#help-dialog')).toMatch(/step one event/);
    await page.keyboard.press('Escape');
    expect(await page.isVisible('#help-dialog[open]')).toBe(false);
  });

  it('inspects a node and a message', async () => {
    await seek(page, 25);
    await page.click('g.node[data-node="n1"]');
    await page.evaluate(() => (window as unknown as { __dsim: Hook }).__dsim.drawNow());
    const inspector = await page.textContent('#inspector');
    expect(inspector).toMatch(/Node n1/);
    expect(inspector).toMatch(/role/);
    expect(inspector).toMatch(/incarnation/);
    // Click the first message arrow the space-time view drew, through the event log.
    await page.click('#inspector ol.log li.past >> nth=0');
    await page.evaluate(() => (window as unknown as { __dsim: Hook }).__dsim.drawNow());
    expect(await page.textContent('#inspector')).toMatch(/Message #\d+|Event #\d+|Node n\d/);
  });

  it('shows what is wrong with a malformed, truncated trace, and the valid part', async () => {
    const lines = trace.text.split('\n');
    const broken = [...lines.slice(0, 30), 'this is not json', ...lines.slice(31, 300), lines[300]!.slice(0, 25)].join(
      '\n',
    );
    server.put('/traces/broken.jsonl', broken);
    await open(page, `${server.url}/?trace=/traces/broken.jsonl`);
    const loaded = await state(page);
    expect(loaded.events).toBe(298);
    expect(loaded.problems.map((problem) => problem.line)).toEqual(expect.arrayContaining([31, 301]));
    const banner = await page.textContent('#problems');
    expect(banner).toMatch(/problems reading this trace/);
    expect(banner).toMatch(/line 31: not valid JSON/);
    expect(banner).toMatch(/line 301: the last line is not complete JSON \(the trace looks truncated\)/);
    await page.screenshot({ path: join(resultsDir(), 'malformed.png') });
  });

  it('opens a trace with the file picker and by drag and drop', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dsim-vis-'));
    const file = join(dir, 'picked.jsonl');
    writeFileSync(file, trace.text);
    await page.setInputFiles('#file', file);
    await page.waitForFunction(() => (window as unknown as { __dsim: Hook }).__dsim.state().source?.kind === 'file');
    expect((await state(page)).events).toBeGreaterThan(1000);

    const other = nodeRun({ ...demo, name: 'dropped' }, 9);
    await page.evaluate(async (text) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], 'dropped.jsonl'));
      window.dispatchEvent(new DragEvent('dragenter', { dataTransfer: transfer }));
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, cancelable: true }));
    }, other.text);
    await page.waitForFunction(
      (hash) => (window as unknown as { __dsim: Hook }).__dsim.state().hash === hash,
      other.hash,
      { timeout: 20_000 },
    );
    expect(await page.isHidden('#drop-zone')).toBe(true);
  });

  it('runs a scenario in a Web Worker from the URL with the same hash as Node', async () => {
    const spec = { ...demo, name: 'browser-run' };
    const url = `${server.url}/?${encodeRunSpec({ spec, seed: 11 })}`;
    await open(page, url);
    const ran = await state(page);
    const expected = nodeRun(spec, 11);
    expect(ran.runHash).toBe(expected.hash);
    expect(ran.hash).toBe(expected.hash);
    expect(await page.textContent('#trace-hash')).toBe(expected.hash);
    // The link reproduces the run exactly.
    const again = await browser.newPage();
    await open(again, ran.url);
    expect((await state(again)).hash).toBe(expected.hash);
    await again.close();
  });

  it('runs every shipped scenario from its link with the CLI’s hash', async () => {
    const shipped = await loadShippedScenarios();
    expect(shipped.length).toBeGreaterThan(0);
    for (const { key, scenario } of shipped) {
      await open(page, `${server.url}/?${encodeRunSpec({ scenario: key, seed: 5 })}`);
      const expected = runScenario(scenario, { registry, seed: 5 }, { trace: 'hash' }).hash;
      expect({ key, hash: (await state(page)).hash }).toEqual({ key, hash: expected });
    }
    await seek(page, 60);
    await page.screenshot({
      path: join(resultsDir(), `shipped-${shipped[shipped.length - 1]!.key.replace(/\//g, '-')}.png`),
    });
  }, 600_000);

  it('forks: adds a fault at the cursor, runs on, and exports the scenario', async () => {
    const spec = { ...demo, name: 'fork-me' };
    await open(page, `${server.url}/?${encodeRunSpec({ spec, seed: 2 })}`);
    await seek(page, 30);
    await page.keyboard.press('k');
    await page.selectOption('#fork-type', 'crash');
    await page.selectOption('#fork-node', 'n1');
    const download = page.waitForEvent('download');
    await page.click('#fork-export');
    const exported = JSON.parse(readFileSync(await (await download).path(), 'utf8')) as Record<string, unknown>;
    expect(exported.faults).toEqual([...demo.faults, { at: 30_000_000, fault: { type: 'crash', node: 'n1' } }]);
    expect(exported.seed).toBe(2);
    await page.click('#fork-go');
    await page.waitForFunction(
      () => (window as unknown as { __dsim: Hook }).__dsim.state().url.includes('faults='),
      null,
      { timeout: 30_000 },
    );
    await page.waitForFunction(() => !!(window as unknown as { __dsim: Hook }).__dsim.state().hash);
    const forked = await state(page);
    // The exported file runs to the same hash in Node, as `dsim run fork.json` would.
    expect(forked.hash).toBe(runScenario(exported, { registry }, { trace: 'hash' }).hash);
    expect(forked.time).toBeGreaterThanOrEqual(29_999_999);
    await seek(page, 31);
    expect(await page.getAttribute('g.node[data-node="n1"]', 'data-status')).toBe('crashed');
  });

  it('serves a trace with dsim view', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dsim-view-'));
    const file = join(dir, 'viewed.jsonl');
    writeFileSync(file, trace.text);
    // `dsim view` builds apps/visualizer/dist when it is missing or stale; so must this test,
    // which starts the server directly (a fresh clone has no dist).
    if (isStale()) await buildVisualizer();
    const view = await startViewServer(file, 0);
    try {
      expect(view.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?trace=\/traces\/viewed\.jsonl$/);
      await open(page, view.url);
      expect((await state(page)).hash).toBe(trace.hash);
      // The title names the file that was served, not the server's path for it.
      expect(await page.textContent('#title')).toContain('viewed.jsonl');
    } finally {
      await view.close();
    }
  });
});

/** Markup that runs script wherever a string is parsed as HTML. */
const PAYLOAD = `<img src=x onerror="window.__pwned=(window.__pwned||0)+1"><script>window.__pwned=1</script>`;

describe.skipIf(!available)('the visualizer never runs script from a trace', () => {
  let server: StaticServer;
  let browser: Browser;

  beforeAll(async () => {
    await buildApp();
    server = await serve();
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A real run whose every string a user controls carries the payload, with more of it tampered into the header and events. */
  function hostileTrace(): string {
    const scenario = {
      name: `hostile ${PAYLOAD}`,
      description: PAYLOAD,
      protocol: 'heartbeat',
      nodes: [`a${PAYLOAD}`, `b${PAYLOAD}`, 'c'],
      until: '20s',
      faults: [
        { at: '5s', fault: { type: 'crash', node: 'c' } },
        { at: '8s', fault: { type: 'partition', groups: [[`a${PAYLOAD}`], [`b${PAYLOAD}`]] } },
        { at: '12s', fault: { type: 'heal' } },
      ],
      workload: { name: 'probe', clients: 1, thinkTime: '1s' },
    };
    const lines = runScenario(scenario, { registry, seed: 3 }, { trace: 'memory' }).trace.map((line) =>
      JSON.parse(line),
    );
    lines[0].seed = PAYLOAD;
    lines[0].protocol = `heartbeat${PAYLOAD}`;
    lines.splice(3, 0, { t: 1, k: 'note', node: `a${PAYLOAD}`, text: PAYLOAD, data: { html: PAYLOAD } });
    lines.splice(4, 0, { t: 2, k: 'drop', id: 1, from: `a${PAYLOAD}`, to: 'c', reason: PAYLOAD });
    lines.push({ t: 19_000_000, k: 'violation', invariant: PAYLOAD, kind: 'always', message: PAYLOAD });
    return lines.map((line) => JSON.stringify(line)).join('\n') + '\n';
  }

  function shortened(text: string): string {
    const lines = text.trim().split('\n');
    return [...lines.slice(0, 6), lines[lines.length - 1]].join('\n') + '\n';
  }

  async function assertNothingRan(page: Page): Promise<void> {
    // Give error handlers of broken images a moment to fire, were any created from the payload.
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
  }

  it('shows payloads in every trace field as text, served or opened from a data: link', async () => {
    const text = hostileTrace();
    server.put('/traces/hostile.jsonl', text);
    const dialogs: string[] = [];
    for (const url of [
      `${server.url}/?trace=/traces/hostile.jsonl`,
      // A link carries a short trace (a URL has a length limit): the header and the hostile events.
      `${server.url}/?trace=${encodeURIComponent(`data:application/x-ndjson,${encodeURIComponent(shortened(text))}`)}`,
    ]) {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      await page.goto(url);
      await page.waitForFunction(() => (window as unknown as { __dsim?: Hook }).__dsim?.state().loaded === true, null, {
        timeout: 60_000,
      });
      // Walk the whole run, so every view draws every event, then select a node and look again.
      await page.evaluate(() => {
        const dsim = (window as unknown as { __dsim: Hook }).__dsim;
        dsim.seekTime(19_500_000);
        dsim.drawNow();
      });
      await page.keyboard.press('?');
      await assertNothingRan(page);
      expect(await page.locator('#title').textContent()).toContain(PAYLOAD);
      await page.close();
    }
    expect(dialogs).toEqual([]);
  });
});
