import { runScenario } from '@dsim/core';
import { registry } from '@dsim/registry';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, chromiumAvailable, launch, serve, type StaticServer } from './harness.ts';
import { loadShippedScenarios } from './node-scenarios.ts';

/**
 * Seeds per scenario: 10 in the suite, which must stay well inside CI's time; the full check
 * (100 seeds of every shipped scenario, #21's figure) is `DSIM_BROWSER_SEEDS=100 npx vitest run
 * apps/visualizer/test/e2e/determinism.test.ts`.
 */
const SEED_COUNT = Number(process.env.DSIM_BROWSER_SEEDS ?? 10);
const SEEDS = Array.from({ length: SEED_COUNT }, (_, i) => i + 1);
const available = chromiumAvailable();

/**
 * The browser is a second machine: for every shipped scenario and SEED_COUNT seeds, the run worker's
 * trace hashes must equal Node's, byte for byte. One page, one worker, one loop.
 */
describe.skipIf(!available)('browser runs are deterministic', () => {
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

  it(
    `gives the Node hashes for ${SEED_COUNT} seeds of every shipped scenario`,
    async () => {
      const shipped = await loadShippedScenarios();
      expect(shipped.length).toBeGreaterThan(0);
      const page = await browser.newPage();
      await page.goto(`${server.url}/`);
      await page.waitForFunction(
        () => (window as unknown as { __dsim?: { ready: Promise<void> } }).__dsim !== undefined,
      );
      const browserKeys = await page.evaluate(async () => {
        const hook = (window as unknown as { __dsim: { ready: Promise<void>; scenarios(): Array<{ key: string }> } })
          .__dsim;
        await hook.ready;
        return hook.scenarios().map((entry) => entry.key);
      });
      // The app ships exactly the scenario files Node finds.
      expect(browserKeys).toEqual(shipped.map((entry) => entry.key));
      const keys = shipped.map((entry) => entry.key);
      const inBrowser = page.evaluate(
        ([scenarios, seeds]) =>
          (
            window as unknown as { __dsim: { hashes(k: string[], s: number[]): Promise<Record<string, string[]>> } }
          ).__dsim.hashes(scenarios, seeds),
        [keys, SEEDS] as const,
      );
      const inNode: Record<string, string[]> = {};
      for (const { key, scenario } of shipped)
        inNode[key] = SEEDS.map(
          (seed) => runScenario(scenario, { registry, seed }, { trace: 'hash', stateMode: 'mutable' }).hash!,
        );
      const browserHashes = await inBrowser;
      for (const key of keys) {
        expect(browserHashes[key]).toHaveLength(SEEDS.length);
        expect(new Set(inNode[key]).size).toBeGreaterThan(1); // the seeds really differ
        expect({ key, hashes: browserHashes[key] }).toEqual({ key, hashes: inNode[key] });
      }
      await page.close();
      // Node's runs above hold the event loop, so this test's time limit must cover all of them.
    },
    Math.max(900_000, SEED_COUNT * 90_000),
  );
});
