// Screenshots of shipped scenarios for review: npx tsx --conditions=@dsim/source apps/visualizer/test/e2e/screenshots.ts (writes test-results/*.png)
import { buildApp, launch, serve, resultsDir } from './harness.ts';
await buildApp();
const server = await serve();
const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1500, height: 940 } });
page.on('pageerror', (e) => console.log('pageerror:', e.message));
for (const [key, at, name] of [
  ['heartbeat/clock-skew', 52_000_000, 'clock-skew'],
  ['raft/leader-isolated', 0, 'raft'],
  ['commit/2pc-partition', 0, '2pc'],
] as const) {
  await page.goto(`${server.url}/?scenario=${key}&seed=7`);
  await page.waitForFunction(() => (window as any).__dsim?.state().hash, null, { timeout: 60000 });
  const end = await page.evaluate(() => (window as any).__dsim.app.loaded.model.endTime);
  await page.evaluate(
    (t) => {
      const h = (window as any).__dsim;
      h.seekTime(t);
      h.drawNow();
    },
    at || Math.round(end * 0.45),
  );
  await page.waitForTimeout(200);
  await page.screenshot({ path: `${resultsDir()}/${name}.png` });
}
await browser.close();
await server.close();
