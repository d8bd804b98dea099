import { hashTrace, parseTrace, runScenario } from '@dsim/core';
import { registry } from '@dsim/registry';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, chromiumAvailable, launch, serve, type StaticServer } from './harness.ts';

const available = chromiumAvailable();

type Hook = {
  state(): {
    loaded: boolean;
    loading: boolean;
    events: number;
    hash?: string;
    firstPictureEvents: number;
    problems: unknown[];
  };
};

/**
 * A large trace opens in two steps: its first part is drawn while the rest is still being read,
 * then the whole trace replaces it, with the hash of every byte. Whether a trace is large enough
 * for that is known from its length: one streamed without a length (as `dsim view` serves a file)
 * is treated as large; one whose Content-Length says it is short is drawn once, whole.
 */
describe.skipIf(!available)('a large trace', () => {
  let server: StaticServer;
  let browser: Browser;
  let text = '';

  beforeAll(async () => {
    await buildApp();
    server = await serve();
    text = runScenario(
      { name: 'pingpong-large', protocol: 'pingpong', nodes: 20, until: '700ms' },
      { registry },
      { trace: 'memory' },
    ).traceText;
    server.put('/traces/large.jsonl', text, { streamed: true });
    server.put('/traces/sized.jsonl', text);
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(path: string) {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${server.url}/?trace=${path}`);
    await page.waitForFunction(
      () => (window as unknown as { __dsim?: Hook }).__dsim?.state().hash !== undefined,
      null,
      {
        timeout: 120_000,
      },
    );
    const state = await page.evaluate(() => (window as unknown as { __dsim: Hook }).__dsim.state());
    await page.close();
    return state;
  }

  it('shows its first part first, then all of it with the hash of the whole file', async () => {
    const parsed = parseTrace(text);
    expect(parsed.events.length).toBeGreaterThan(60_000);
    const state = await open('/traces/large.jsonl');
    expect(state.loaded).toBe(true);
    expect(state.loading).toBe(false);
    expect(state.events).toBe(parsed.events.length);
    expect(state.problems).toEqual([]);
    expect(state.hash).toBe(hashTrace(text));
    expect(state.firstPictureEvents).toBeGreaterThan(0);
    expect(state.firstPictureEvents).toBeLessThan(parsed.events.length);
  }, 180_000);

  it('draws a trace whose length says it is short once, whole', async () => {
    const parsed = parseTrace(text);
    expect(text.length).toBeLessThan(12_000_000);
    const state = await open('/traces/sized.jsonl');
    expect(state.loaded).toBe(true);
    expect(state.events).toBe(parsed.events.length);
    expect(state.hash).toBe(hashTrace(text));
    expect(state.firstPictureEvents).toBe(parsed.events.length);
  }, 180_000);
});
