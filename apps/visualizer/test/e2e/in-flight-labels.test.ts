import { join } from 'node:path';
import { runScenario } from '@dsim/core';
import { registry } from '@dsim/registry';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, chromiumAvailable, launch, serve, type StaticServer } from './harness.ts';
import { SIMULATIONS } from './node-scenarios.ts';

const available = chromiumAvailable();

type Hook = {
  ready: Promise<void>;
  state(): { loaded: boolean; end: number };
  seekTime(t: number): void;
  drawNow(): void;
};

async function traceOf(file: string): Promise<string> {
  const module = (await import(join(SIMULATIONS, file))) as { default: unknown };
  return runScenario(module.default, { registry }, { trace: 'memory' }).traceText;
}

/** Labels of messages in flight as drawn: [x, y, width, height] boxes, one list per frame. */
type Frames = Array<Array<[number, number, number, number]>>;

function overlaps(a: readonly number[], b: readonly number[]): boolean {
  return a[0]! < b[0]! + b[2]! && b[0]! < a[0]! + a[2]! && a[1]! < b[1]! + b[3]! && b[1]! < a[1]! + a[3]!;
}

describe.skipIf(!available)('labels of messages in flight', () => {
  let server: StaticServer;
  let browser: Browser;

  beforeAll(async () => {
    await buildApp();
    server = await serve();
    // Five Raft nodes: a leader's AppendEntries leave for four followers at once, and their
    // replies come back together, so labels start side by side near one node.
    server.put('/traces/figure8-bug.jsonl', await traceOf('raft/figure8-bug.ts'));
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('never overlap one another, and hundreds are still drawn', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${server.url}/?trace=/traces/figure8-bug.jsonl`);
    await page.waitForFunction(() => (window as unknown as { __dsim?: Hook }).__dsim?.state().loaded === true);
    const frames: Frames = await page.evaluate(() => {
      const hook = (window as unknown as { __dsim: Hook }).__dsim;
      const canvas = document.querySelector<HTMLCanvasElement>('#cluster canvas')!;
      const end = hook.state().end;
      const seen: Frames = [];
      for (let step = 0; step < 300; step++) {
        hook.seekTime((end * step) / 300);
        hook.drawNow();
        seen.push(JSON.parse(canvas.dataset.inFlightLabels ?? '[]') as Frames[number]);
      }
      return seen;
    });
    let labels = 0;
    let inFlightFrames = 0;
    const collisions: string[] = [];
    frames.forEach((boxes, frame) => {
      labels += boxes.length;
      if (boxes.length > 1) inFlightFrames++;
      for (let a = 0; a < boxes.length; a++)
        for (let b = a + 1; b < boxes.length; b++)
          if (overlaps(boxes[a]!, boxes[b]!))
            collisions.push(`frame ${frame}: ${JSON.stringify(boxes[a])} × ${JSON.stringify(boxes[b])}`);
    });
    // The run really has frames with several labels to place.
    expect(inFlightFrames).toBeGreaterThan(25);
    expect(labels).toBeGreaterThan(100);
    expect(collisions.slice(0, 5)).toEqual([]);
    await page.close();
  }, 120_000);
});
