import { runScenario } from '@dsim/core';
import { registry } from '@dsim/registry';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { buildApp, chromiumAvailable, launch, resultsDir, serve, type StaticServer } from './harness.ts';
import { loadShippedScenarios } from './node-scenarios.ts';

const available = chromiumAvailable();

type Hook = {
  ready: Promise<void>;
  state(): {
    loaded: boolean;
    hash?: string;
    time: number;
    domain: [number, number];
    speed: number;
    end: number;
    markers: Array<{ kind: string; time: number; label: string }>;
  };
  seekTime(t: number): void;
  drawNow(): void;
};
const hook = (page: Page) => page.evaluate(() => (window as unknown as { __dsim: Hook }).__dsim.state());

async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { __dsim?: Hook }).__dsim !== undefined);
  await page.evaluate(() => (window as unknown as { __dsim: Hook }).__dsim.ready);
  await page.waitForFunction(() => !!(window as unknown as { __dsim: Hook }).__dsim.state().hash, null, {
    timeout: 60_000,
  });
}

/** The controls a viewer needs at every size; each must be on screen and on top where it is drawn. */
const CONTROLS = [
  '#play',
  '#step',
  '#step-back',
  '#prev-marker',
  '#next-marker',
  '#speed',
  '#fork',
  '#timeline canvas',
  '#open-run',
  '#report',
  '#compare',
  '#share',
  '#help-button',
];

describe.skipIf(!available)('layout, time axis, run dialog and sharing', () => {
  let server: StaticServer;
  let browser: Browser;
  const shipped = new Map<string, Record<string, unknown>>();
  const traces = new Map<string, { text: string; hash: string }>();

  beforeAll(async () => {
    await buildApp();
    server = await serve();
    for (const { key, scenario } of await loadShippedScenarios()) shipped.set(key, scenario);
    for (const key of ['commit/3pc-partition', 'raft/figure8-bug']) {
      // Each with the scenario's own seed, as `dsim run <file>` runs it.
      const result = runScenario(shipped.get(key)!, { registry }, { trace: 'memory' });
      const file = `${key.replace('/', '-')}-seed${result.seed}.jsonl`;
      traces.set(key, { text: result.traceText, hash: result.hash! });
      server.put(`/traces/${file}`, result.traceText);
    }
    browser = await launch();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const [width, height] of [
    [1440, 900],
    [1024, 768],
    [800, 600],
    [390, 844], // a phone: one scrolling column, the controls pinned to the bottom
  ] as const) {
    it(`keeps every control visible and uncovered at ${width}×${height}`, async () => {
      const page = await browser.newPage({ viewport: { width, height } });
      await open(page, `${server.url}/?trace=/traces/commit-3pc-partition-seed1.jsonl`);
      const covered = await page.evaluate((selectors) => {
        const problems: string[] = [];
        for (const selector of selectors) {
          const element = document.querySelector(selector)!;
          const box = element.getBoundingClientRect();
          if (box.bottom > innerHeight || box.right > innerWidth || box.width === 0)
            problems.push(`${selector} is off screen`);
          const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
          if (!top || (top !== element && !element.contains(top)))
            problems.push(`${selector} is covered by ${top?.id || top?.tagName}`);
        }
        for (const panel of ['#cluster', '#spacetime', '#operations'])
          if (document.querySelector(panel)!.getBoundingClientRect().height < 60) problems.push(`${panel} is squashed`);
        return problems;
      }, CONTROLS);
      await page.screenshot({ path: join(resultsDir(), `layout-${width}x${height}.png`) });
      expect(covered).toEqual([]);
      await page.close();
    });
  }

  it('fits the time axis to the last event, not the scenario’s until', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await open(page, `${server.url}/?trace=/traces/commit-3pc-partition-seed1.jsonl`);
    const lastEvent = JSON.parse(traces.get('commit/3pc-partition')!.text.trim().split('\n').pop()!).t as number;
    expect(lastEvent).toBeLessThan(1_000_000); // the run stops at the atomicity violation, long before `until`
    const state = await hook(page);
    expect(state.end).toBe(lastEvent);
    expect(state.domain[1]).toBe(lastEvent);
    await page.keyboard.press('End');
    expect((await hook(page)).time).toBe(lastEvent);
    await page.screenshot({ path: join(resultsDir(), 'axis-fitted-3pc-partition.png') });
    await page.close();
  });

  it('plays a shipped scenario in under a minute at the default speed, with leader changes to jump to', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await open(page, `${server.url}/?trace=/traces/raft-figure8-bug-seed8.jsonl`);
    const state = await hook(page);
    // speed is simulated microseconds per wall millisecond
    expect(state.end / state.speed).toBeLessThan(60_000);
    const leaders = state.markers.filter((marker) => marker.kind === 'leader');
    expect(leaders.map((marker) => marker.label)).toContain('n1 becomes leader (term 1)');
    expect(leaders.some((marker) => marker.label.startsWith('n5 becomes leader'))).toBe(true);
    await page.keyboard.press('Home');
    await page.keyboard.press(']');
    expect((await hook(page)).time).toBe(state.markers[0]!.time);
    await page.close();
  });

  it('seeds the Run dialog from the scenario and keeps its fields inside it', async () => {
    const page = await browser.newPage({ viewport: { width: 800, height: 600 } });
    await open(page, `${server.url}/?trace=/traces/raft-figure8-bug-seed8.jsonl`);
    await page.keyboard.press('r');
    // The loaded trace is Figure 8's bug run: the dialog offers that scenario with its seed.
    expect(await page.inputValue('#run-scenario')).toBe('raft/figure8-bug');
    expect(await page.inputValue('#run-seed')).toBe('8');
    await page.selectOption('#run-scenario', 'commit/3pc-partition');
    expect(await page.inputValue('#run-seed')).toBe(String(shipped.get('commit/3pc-partition')!.seed ?? 1));
    await page.selectOption('#run-scenario', 'raft/figure8');
    expect(await page.inputValue('#run-seed')).toBe('8');
    const overflow = await page.evaluate(() => {
      const dialog = document.querySelector('#run-dialog')!.getBoundingClientRect();
      return [...document.querySelectorAll('#run-dialog select, #run-dialog input, #run-dialog textarea')]
        .filter((field) => (field as HTMLElement).offsetParent !== null)
        .filter((field) => field.getBoundingClientRect().right > dialog.right - 1)
        .map((field) => field.id);
    });
    await page.screenshot({ path: join(resultsDir(), 'run-dialog-800x600.png') });
    expect(overflow).toEqual([]);
    await page.close();
  });

  it('shares a served trace honestly: its file name, the dsim run command, and a link only when it reproduces', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await open(page, `${server.url}/?trace=/traces/raft-figure8-bug-seed8.jsonl`);
    expect(await page.textContent('#title')).toContain('raft-figure8-bug-seed8.jsonl');
    // The header counts what `dsim run` counts: the kernel's events, then the file's lines.
    const run = runScenario(shipped.get('raft/figure8-bug')!, { registry }, { trace: 'memory' });
    expect(await page.textContent('#trace-counts')).toBe(
      `${run.stats.events.toLocaleString('en-US')} events · ${run.trace.length.toLocaleString('en-US')} trace lines`,
    );
    await page.click('#share');
    await page.waitForSelector('#share-command', { timeout: 60_000 });
    expect(await page.inputValue('#share-command')).toBe('dsim run simulations/raft/figure8-bug.ts --seed 8');
    const link = await page.inputValue('#share-link');
    expect(link).toContain('scenario=raft%2Ffigure8-bug&seed=8');
    expect(await page.inputValue('#share-trace-link')).toContain('trace=');
    expect(await page.textContent('#share-dialog')).toMatch(/only while `dsim view` serves it/);
    await page.screenshot({ path: join(resultsDir(), 'share-served-trace.png') });
    // The link does reproduce it.
    const again = await browser.newPage();
    await open(again, link);
    expect((await hook(again)).hash).toBe(traces.get('raft/figure8-bug')!.hash);
    await again.close();

    // A trace no run gives (an event edited by hand) gets no run link.
    const lines = traces.get('commit/3pc-partition')!.text.trim().split('\n');
    const edited = lines.map((line, i) =>
      i === 5 ? line.replace(/"t":(\d+)/, (_, t) => `"t":${Number(t) + 1}`) : line,
    );
    server.put('/traces/edited.jsonl', edited.join('\n') + '\n');
    await open(page, `${server.url}/?trace=/traces/edited.jsonl`);
    await page.click('#share');
    await page.waitForFunction(
      () => /No link reproduces/.test(document.querySelector('#share-verdict')!.textContent!),
      null,
      {
        timeout: 60_000,
      },
    );
    expect(await page.locator('#share-link').count()).toBe(0);
    await page.close();
  });
});
