import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTrace, runScenario } from '@dsim/core';
import { registry } from '@dsim/registry';
import { firstDivergence } from '@dsim/report';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeRunSpec } from '../../src/model/run-spec.ts';
import { buildApp, chromiumAvailable, launch, resultsDir, serve, type StaticServer } from './harness.ts';
import { loadShippedScenarios } from './node-scenarios.ts';

const available = chromiumAvailable();

type Hook = {
  ready: Promise<void>;
  state(): { loaded: boolean; hash?: string; time: number };
  run(run: unknown): Promise<{ hash?: string }>;
};

async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { __dsim?: Hook }).__dsim !== undefined);
  await page.evaluate(() => (window as unknown as { __dsim: Hook }).__dsim.ready);
  await page.waitForFunction(() => !!(window as unknown as { __dsim: Hook }).__dsim.state().hash, null, {
    timeout: 60_000,
  });
}

describe.skipIf(!available)('plots, the run report and comparing runs', () => {
  let server: StaticServer;
  let browser: Browser;
  const scenarios = new Map<string, Record<string, unknown>>();

  beforeAll(async () => {
    await buildApp();
    server = await serve();
    for (const { key, scenario } of await loadShippedScenarios()) scenarios.set(key, scenario);
    browser = await launch();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('draws the run’s plots as SVG and downloads the same report dsim report writes', async () => {
    const result = runScenario(scenarios.get('raft/figure8-bug')!, { registry }, { trace: 'memory' });
    server.put('/traces/figure8-bug.jsonl', result.traceText);
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await open(page, `${server.url}/?trace=/traces/figure8-bug.jsonl`);
    await page.keyboard.press('p');
    await page.waitForSelector('#report-dialog[open]');
    const plots = await page.$$eval('#report-dialog figure', (figures) =>
      figures.map((figure) => ({
        id: figure.id,
        svg: figure.firstElementChild?.namespaceURI,
        marks: figure.querySelectorAll('rect, circle, line').length,
      })),
    );
    expect(plots.map((plot) => plot.id)).toEqual(
      expect.arrayContaining(['plot-latency', 'plot-availability', 'plot-leaderless', 'plot-elections']),
    );
    for (const plot of plots) {
      expect(plot.svg).toBe('http://www.w3.org/2000/svg');
      expect(plot.marks).toBeGreaterThan(0);
    }
    await page.screenshot({ path: join(resultsDir(), 'plots-figure8-bug.png') });
    const download = page.waitForEvent('download');
    await page.click('#report-download');
    const html = readFileSync(await (await download).path(), 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('raft-figure8-bug');
    expect(html).toContain('state-machine-safety');
    expect(html).toContain(result.hash!);
    expect(html).not.toMatch(/<script/i);
    await page.close();
  });

  it('compares Figure 8 with and without its bug switch on one axis, marking the first divergent event', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await open(page, `${server.url}/?${encodeRunSpec({ scenario: 'raft/figure8', seed: 8 })}`);
    await page.evaluate(() =>
      (window as unknown as { __dsim: Hook }).__dsim.run({ scenario: 'raft/figure8-bug', seed: 8 }),
    );
    await page.waitForFunction(() => !!(window as unknown as { __dsim: Hook }).__dsim.state().hash);
    await page.keyboard.press('c');
    await page.waitForSelector('#compare-verdict');
    const expected = firstDivergence(
      parseTrace(runScenario(scenarios.get('raft/figure8-bug')!, { registry, seed: 8 }, { trace: 'memory' }).traceText),
      parseTrace(runScenario(scenarios.get('raft/figure8')!, { registry, seed: 8 }, { trace: 'memory' }).traceText),
    )!;
    expect(expected).toBeDefined();
    expect(await page.textContent('#compare-verdict')).toContain(`First divergent event: #${expected.index + 1}`);
    expect(await page.locator('#compare-dialog line.divergence').count()).toBe(1);
    await page.screenshot({ path: join(resultsDir(), 'compare-figure8-bug-vs-fixed.png') });
    await page.click('#compare-go');
    expect((await page.evaluate(() => (window as unknown as { __dsim: Hook }).__dsim.state())).time).toBe(
      expected.time,
    );
    await page.close();
  });
});
