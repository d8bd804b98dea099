import { join, resolve } from 'node:path';
import { runScenario } from '@dsim/core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleProtocolsForBrowser } from '../../../../packages/cli/src/browser-protocols.ts';
import { ring } from '../../../../test/consumer/project/ring.ts';
import { buildApp, chromiumAvailable, launch, resultsDir, serve, type StaticServer } from './harness.ts';

const available = chromiumAvailable();
const root = resolve(import.meta.dirname, '../../../..');

type Hook = { ready: Promise<void>; state(): { hash?: string } };
const hashShown = (page: Page) =>
  page.evaluate(() => (window as unknown as { __dsim: Hook }).__dsim.state().hash ?? '');

/**
 * `dsim view` in a project serves the project's protocols bundled for the browser at
 * /dsim-project/protocols.js (packages/cli/src/browser-protocols.ts); here the same bundle is
 * served beside the built app, and the Run dialog runs the project's protocol in the worker.
 */
describe.skipIf(!available)("a project's protocols in the Run dialog", () => {
  let server: StaticServer;
  let browser: Browser;
  const custom = { name: 'custom', protocol: 'ring', nodes: 4, until: '2s', faults: [] };

  beforeAll(async () => {
    await buildApp();
    server = await serve();
    const bundled = await bundleProtocolsForBrowser(
      [{ name: 'ring', file: join(root, 'test/consumer/project/ring.ts'), path: ['ring'] }],
      root,
    );
    if (!('code' in bundled)) throw new Error(bundled.error);
    server.put('/dsim-project/protocols.js', bundled.code);
    const trace = runScenario({ ...custom, name: 'ring-trace' }, { registry: { ring }, seed: 1 }, { trace: 'memory' });
    server.put('/traces/ring-seed1.jsonl', trace.traceText);
    browser = await launch();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('offers the project protocol, starts on it for its trace, and runs it to the CLI hash', async () => {
    const expected = runScenario(custom, { registry: { ring }, seed: 7 }, { trace: 'hash' }).hash!;
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${server.url}/?trace=/traces/ring-seed1.jsonl`);
    await page.waitForFunction(() => !!(window as unknown as { __dsim?: Hook }).__dsim?.state().hash, null, {
      timeout: 60_000,
    });
    await page.evaluate(() => (window as unknown as { __dsim: Hook }).__dsim.ready);
    await page.keyboard.press('r');
    const offered = await page.$$eval('#run-protocol option', (options) =>
      options.map((option) => (option as HTMLOptionElement).value),
    );
    expect(offered).toContain('ring');
    expect(offered).toContain('raft');
    expect(await page.inputValue('#run-protocol')).toBe('ring');
    await page.selectOption('#run-scenario', '');
    await page.fill('#run-nodes', '4');
    await page.fill('#run-until', '2s');
    await page.fill('#run-seed', '7');
    await page.fill('#run-faults', '[]');
    await page.click('#run-go');
    await page.waitForFunction(
      (hash) => (window as unknown as { __dsim: Hook }).__dsim.state().hash === hash,
      expected,
      { timeout: 60_000 },
    );
    expect(await hashShown(page)).toBe(expected);
    await page.screenshot({ path: join(resultsDir(), 'project-protocol-run.png') });
    await page.close();
  }, 120_000);
});
