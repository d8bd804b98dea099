/**
 * How fast the visualizer opens and scrubs big traces, in headless Chromium.
 *
 *   npx tsx --conditions=@dsim/source apps/visualizer/bench/open.bench.ts            (100k and 1M events)
 *   npx tsx --conditions=@dsim/source apps/visualizer/bench/open.bench.ts 100000     (just one size)
 *
 * Targets: open 100k events < 1 s, 1M events < 5 s, scrub ≥ 30 frames per second. Traces are
 * ping-pong runs (nearly every event is a message, the worst case for the diagrams). "open" is
 * wall time from navigation until the whole trace is on screen, including fetching the file, on the
 * page's clock (performance marks count from the navigation's start; the driver's clock beside
 * it adds its own round trips and polling); the
 * in-page split (parse, index, checkpoints, first draw) comes from the app's own timings. A large
 * trace shows its first part before that: "first picture" (a trace served with a length under
 * 12 MB, as the 100k one is, is drawn once, whole: its first picture is the whole trace).
 *
 * Time to first picture (from the start of the fetch to the first drawn frame) is reported beside
 * the time the same page takes merely to fetch the file and split it into lines (the floor any
 * viewer pays; target: at most 2×), and the longest main-thread block after the first picture
 * while the rest is read, indexed and folded and the worker hashes and checks (from the
 * browser's long-task entries; target ≤ 200 ms). Each long task after the first picture is
 * printed with the load's phases (performance marks dsim:read, indexed, folded, extras, whole),
 * to tell the app's own slices from garbage collection. Scrub figures are frames per second of
 * the app's own animation loop and the mean draw time per frame, by view; on a loaded machine
 * compare draw times, which depend less on the load than frame rates.
 *
 * Beside each wall time, the CPU time of the page's main thread from Chromium's trace (see
 * main-thread.ts): until the whole trace is on screen, the longest task after the first picture,
 * and per scrubbed frame (the draw plus the browser's style, layout, paint and layer updates).
 * On a machine whose load exceeds its cores the wall times include the time the renderer waited
 * for a CPU; the CPU times are what the page itself costs (1000 / CPU ms a frame is the frame
 * rate a free core would give).
 */
import { buildApp, launch, serve } from '../test/e2e/harness.ts';
import { cpuBetween, longestAfter, startMainThreadTrace, stopMainThreadTrace } from './main-thread.ts';
import { pingpongTrace } from './pingpong-trace.ts';

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const targets = sizes.length ? sizes : [100_000, 1_000_000];

interface Row {
  events: number;
  /** The first picture showed the whole trace (no picture of its first part before). */
  firstPictureWhole: boolean;
  wholeMs: number;
  firstPictureMs: number;
  readSplitMs: number;
  blockAfterMs: number;
  blockAfterCpuMs: number;
  openCpuMs: number;
  scrubCpuPerFrameMs: number;
  fullViewCpuPerFrameMs: number;
  analysedAfterMs: number;
  megabytes: number;
  openMs: number;
  openPageMs: number;
  parseMs: number;
  indexMs: number;
  checkpointsMs: number;
  firstDrawMs: number;
  scrubFps: number;
  scrubDrawMs: number;
  fullViewFps: number;
  fullViewDrawMs: number;
}

type Hook = {
  state(): {
    loaded: boolean;
    events: number;
    firstPictureEvents: number;
    firstPictureAt: number;
    analysedAt: number;
    timings?: { parseMs: number; modelMs: number; checkpointsMs: number; firstDrawMs: number; totalMs: number };
  };
};

const SCRUB = `async (full) => {
  const hook = window.__dsim;
  const end = hook.app.loaded.model.endTime;
  if (full) hook.setDomain(0, end);
  await new Promise((resolve) => requestAnimationFrame(resolve));
  const frames0 = hook.state().frames;
  performance.mark('bench:scrub-start');
  const start = performance.now();
  let draws = 0, drawMs = 0, step = 0; const parts = {};
  await new Promise((resolve) => {
    const tick = () => {
      if (performance.now() - start > 3000) return resolve();
      step++;
      // A zig-zag across the run, as a hand on the scrubber does, not a gentle forward walk.
      hook.seekTime((((step * 7919) % 1000) / 1000) * end);
      requestAnimationFrame(() => { drawMs += hook.app.lastDrawMs; draws++; for (const [k, v] of Object.entries(hook.app.drawBreakdown)) parts[k] = (parts[k] || 0) + v; tick(); });
    };
    tick();
  });
  const seconds = (performance.now() - start) / 1000;
  performance.mark('bench:scrub-end');
  for (const k in parts) parts[k] = +(parts[k] / Math.max(1, draws)).toFixed(2);
  return { fps: (hook.state().frames - frames0) / seconds, frames: hook.state().frames - frames0, drawMs: drawMs / Math.max(1, draws), parts };
}`;

await buildApp();
const server = await serve();
const browser = await launch();
const rows: Row[] = [];
try {
  for (const size of targets) {
    const text = pingpongTrace(size);
    const path = `/bench-${size}.jsonl`;
    server.put(path, text);
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // Every main-thread task over 50 ms, as the browser reports them.
    await page.addInitScript(() => {
      const tasks: Array<{ start: number; duration: number }> = [];
      (window as unknown as { __longTasks: typeof tasks }).__longTasks = tasks;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) tasks.push({ start: entry.startTime, duration: entry.duration });
      }).observe({ type: 'longtask', buffered: true });
    });
    // Chromium's trace of the main thread, for the CPU time beside each wall time.
    await startMainThreadTrace(browser, page);
    const started = performance.now();
    await page.goto(`${server.url}/?trace=${path}`);
    await page.waitForFunction(
      () => (window as unknown as { __dsim?: Hook }).__dsim?.state().timings !== undefined,
      null,
      { timeout: 120_000, polling: 10 },
    );
    const openMs = performance.now() - started;
    // The same span on the page's own clock: its marks count from the navigation's start, so this
    // leaves out the driver's round trips and its polling interval.
    const openPageMs = await page.evaluate(() => performance.getEntriesByName('dsim:whole').at(-1)?.startTime ?? NaN);
    const loaded = await page.evaluate(() => (window as unknown as { __dsim: Hook }).__dsim.state());
    await page.waitForFunction(() => (window as unknown as { __dsim: Hook }).__dsim.state().analysedAt > 0, null, {
      timeout: 300_000,
      polling: 50,
    });
    const blocks = await page.evaluate(() => {
      const { firstPictureAt, analysedAt, timings } = (
        window as unknown as {
          __dsim: { state(): { firstPictureAt: number; analysedAt: number; timings: { pageReadyMs: number } } };
        }
      ).__dsim.state();
      const tasks = (window as unknown as { __longTasks: Array<{ start: number; duration: number }> }).__longTasks;
      let longest = 0;
      for (const task of tasks) {
        const end = task.start + task.duration;
        if (end > firstPictureAt) longest = Math.max(longest, end - Math.max(task.start, firstPictureAt));
      }
      // Where each long task after the first picture sits among the load's phases (performance marks).
      const marks = performance
        .getEntriesByType('mark')
        .filter((mark) => mark.name.startsWith('dsim:'))
        .map((mark) => `${mark.name.slice(5)}@${Math.round(mark.startTime - firstPictureAt)}`);
      const late = tasks
        .filter((task) => task.start + task.duration > firstPictureAt && task.duration > 100)
        .map((task) => `${Math.round(task.duration)}ms@${Math.round(task.start - firstPictureAt)}`);
      return {
        marks,
        late,
        longest,
        firstPictureMs: firstPictureAt - timings.pageReadyMs,
        analysedAfterMs: analysedAt - firstPictureAt,
      };
    });
    const loadTrace = await stopMainThreadTrace(browser, 'dsim:first-picture');
    const longestCpu = longestAfter(loadTrace, 0);
    const openCpuMs = cpuBetween(loadTrace, -Infinity, loadTrace.marks.get('dsim:whole') ?? 0);
    console.log(`${loaded.events} events: load phases after the first picture:`, blocks.marks.join(' '));
    const fetchMark = loadTrace.marks.get('dsim:fetch') ?? 0;
    console.log(
      `${loaded.events} events: main-thread CPU ms before the fetch (page start), fetch to first picture, first picture to whole:`,
      [
        cpuBetween(loadTrace, -Infinity, fetchMark),
        cpuBetween(loadTrace, fetchMark, 0),
        cpuBetween(loadTrace, 0, loadTrace.marks.get('dsim:whole') ?? 0),
      ].map(Math.round),
    );
    console.log(
      `${loaded.events} events: main-thread tasks over 100 ms after it, traced (wall/CPU ms @ start):`,
      loadTrace.tasks
        .filter((task) => task.start + task.wallMs > 0 && task.wallMs > 100)
        .map((task) => `${Math.round(task.wallMs)}/${Math.round(task.cpuMs)}@${Math.round(task.start)}`)
        .join(' ') || 'none',
    );
    console.log(`${loaded.events} events: main-thread tasks over 100 ms after it:`, blocks.late.join(' ') || 'none');
    // The floor, in the same page: fetch the same file and split it into lines, nothing else.
    const readSplitMs = await page.evaluate(async (url) => {
      const start = performance.now();
      const text = await (await fetch(url)).text();
      const lines = text.split('\n').length;
      return lines > 0 ? performance.now() - start : 0;
    }, path);

    // Scrub: every animation frame moves the cursor to a new place across the whole run, for 3 s.
    // (Plain JavaScript text: tsx's helpers must not leak into the page.)
    const scrub = async (fullView: boolean) => {
      await startMainThreadTrace(browser, page);
      const result = (await page.evaluate(`(${SCRUB})(${fullView})`)) as {
        fps: number;
        frames: number;
        drawMs: number;
        parts: Record<string, number>;
      };
      const trace = await stopMainThreadTrace(browser, 'bench:scrub-start');
      const cpuPerFrameMs = cpuBetween(trace, 0, trace.marks.get('bench:scrub-end')!) / Math.max(1, result.frames);
      return { ...result, cpuPerFrameMs };
    };
    const windowed = await scrub(false);
    const full = await scrub(true);
    console.log(`${loaded.events} events: timings`, loaded.timings);
    console.log(`${loaded.events} events: per-view draw ms, window:`, windowed.parts, 'whole run:', full.parts);
    rows.push({
      events: loaded.events,
      firstPictureWhole: loaded.firstPictureEvents === loaded.events,
      firstPictureMs: blocks.firstPictureMs,
      wholeMs: loaded.timings!.totalMs,
      readSplitMs,
      blockAfterMs: blocks.longest,
      blockAfterCpuMs: longestCpu.cpuMs,
      openCpuMs,
      scrubCpuPerFrameMs: windowed.cpuPerFrameMs,
      fullViewCpuPerFrameMs: full.cpuPerFrameMs,
      analysedAfterMs: blocks.analysedAfterMs,
      megabytes: text.length / 1e6,
      openMs,
      openPageMs,
      parseMs: loaded.timings!.parseMs,
      indexMs: loaded.timings!.modelMs,
      checkpointsMs: loaded.timings!.checkpointsMs,
      firstDrawMs: loaded.timings!.firstDrawMs,
      scrubFps: windowed.fps,
      scrubDrawMs: windowed.drawMs,
      fullViewFps: full.fps,
      fullViewDrawMs: full.drawMs,
    });
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}

const table = rows.map((row) => ({
  events: row.events.toLocaleString(),
  'trace MB': row.megabytes.toFixed(1),
  'open ms, navigation to whole, page clock (target)': `${Math.round(row.openPageMs)} (< ${row.events > 500_000 ? 5000 : 1000})`,
  'open ms, driver clock': Math.round(row.openMs),
  'whole trace on screen ms': Math.round(row.wholeMs),
  'first picture ms (1M: ≤ 2× read+split)': `${Math.round(row.firstPictureMs)} (${(row.firstPictureMs / row.readSplitMs).toFixed(2)}×${row.firstPictureWhole ? ', whole' : ''})`,
  'read+split ms': Math.round(row.readSplitMs),
  'main-thread CPU ms until whole': Math.round(row.openCpuMs),
  'longest block after ms (≤ 200)': Math.round(row.blockAfterMs),
  'longest task CPU ms after': Math.round(row.blockAfterCpuMs),
  'hash+check done after ms': Math.round(row.analysedAfterMs),
  'parse ms': Math.round(row.parseMs),
  'index ms': Math.round(row.indexMs),
  'checkpoints ms': Math.round(row.checkpointsMs),
  'first draw ms': Math.round(row.firstDrawMs),
  'scrub fps (≥ 30)': row.scrubFps.toFixed(1),
  'draw ms': row.scrubDrawMs.toFixed(1),
  'main-thread CPU ms a frame': row.scrubCpuPerFrameMs.toFixed(1),
  'scrub fps, whole run in view': row.fullViewFps.toFixed(1),
  'draw ms, whole run': row.fullViewDrawMs.toFixed(1),
  'CPU ms a frame, whole run': row.fullViewCpuPerFrameMs.toFixed(1),
}));
console.table(table);
