// Screenshots of shipped scenarios at their key moments:
//   npx tsx --conditions=@dsim/source apps/visualizer/test/e2e/screenshots.ts
// writes the README tour's pictures to docs/images/ and review shots to test-results/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { APP_ROOT, buildApp, launch, resultsDir, serve } from './harness.ts';

type Hook = {
  state(): { hash?: string; end: number; markers: Array<{ kind: string; time: number; label: string }> };
  seekTime(t: number): void;
  select(selection: unknown): void;
  drawNow(): void;
  app: { loaded: { model: { nodes: string[] } } };
};

/**
 * Where each picture is taken: at a time, at the first violation whose label starts with a text,
 * or at a share of the run; optionally with a node selected, so the inspector shows its state.
 */
interface Shot {
  readonly scenario: string;
  readonly file: string;
  readonly seed?: number;
  readonly at?: number;
  readonly violation?: string;
  readonly share?: number;
  /** Moves the cursor this far past the moment (µs), so what follows from it is on screen too. */
  readonly after?: number;
  readonly select?: string;
  readonly dir: string;
}

const IMAGES = join(APP_ROOT, '..', '..', 'docs', 'images');
mkdirSync(IMAGES, { recursive: true });

const shots: Shot[] = [
  // The README's tour: each run at the moment that shows what went wrong.
  {
    scenario: 'raft/figure8-bug',
    file: 'tour-raft-figure8-bug.png',
    violation: 'state-machine-safety',
    select: 'n5',
    dir: IMAGES,
  },
  { scenario: 'commit/3pc-partition', file: 'tour-3pc-partition.png', violation: '', select: 'p2', dir: IMAGES },
  { scenario: 'tcc/late-try-suspended', file: 'tour-tcc-late-try-suspended.png', at: 503_000, dir: IMAGES },
  {
    scenario: 'kafka/s1-kip101-case-a',
    file: 'tour-kafka-kip101-case-a.png',
    violation: 'no-acked-write-lost',
    select: 'b2',
    dir: IMAGES,
  },
  // For review only.
  { scenario: 'heartbeat/clock-skew', file: 'clock-skew.png', seed: 7, at: 52_000_000, dir: resultsDir() },
  { scenario: 'raft/leader-isolated', file: 'raft.png', seed: 7, share: 0.45, dir: resultsDir() },
  { scenario: 'commit/2pc-partition', file: '2pc.png', seed: 7, share: 0.45, dir: resultsDir() },
];

await buildApp();
const server = await serve();
const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
page.on('pageerror', (error) => console.log('pageerror:', error.message));
for (const shot of shots) {
  await page.goto(`${server.url}/?scenario=${shot.scenario}${shot.seed !== undefined ? `&seed=${shot.seed}` : ''}`);
  await page.waitForFunction(() => (window as unknown as { __dsim?: Hook }).__dsim?.state().hash, null, {
    timeout: 120_000,
  });
  const where = await page.evaluate((shot) => {
    const hook = (window as unknown as { __dsim: Hook }).__dsim;
    const state = hook.state();
    let at = shot.at ?? Math.round(state.end * (shot.share ?? 0.45));
    if (shot.violation !== undefined) {
      const marker = state.markers.find((m) => m.kind === 'violation' && m.label.startsWith(shot.violation!));
      if (!marker) throw new Error(`${shot.scenario}: no violation '${shot.violation}'`);
      at = marker.time;
    }
    at += shot.after ?? 0;
    hook.seekTime(at);
    if (shot.select) {
      const node = hook.app.loaded.model.nodes.indexOf(shot.select);
      if (node >= 0) hook.select({ kind: 'node', node });
    }
    hook.drawNow();
    return at;
  }, shot);
  // The status toast of the run fades after 3.5 s: the picture is of the run, not the toast.
  await page.waitForTimeout(3800);
  await page.screenshot({ path: join(shot.dir, shot.file) });
  console.log(`${shot.file}: ${shot.scenario} at ${where} µs`);
}
await browser.close();
await server.close();
