/**
 * Opening one trace with two builds of the visualizer, alternately, in one browser: an A/B
 * comparison on a shared machine, where only figures taken side by side in the same minutes
 * compare.
 *
 *   npx tsx --conditions=@dsim/source apps/visualizer/bench/open-ab.bench.ts <dist A> <dist B> [events] [rounds]
 *
 * A dist folder is a `vite build` output (build the other side from another commit with
 * `npx vite build --outDir <folder>` in apps/visualizer). "open" is as in open.bench.ts: wall time
 * from navigation until the whole trace is on screen. Beside it, the main thread's CPU time until
 * then (from Chromium's trace), split at the start of the trace's fetch, and the median of each.
 */
import { launch, serve } from '../test/e2e/harness.ts';
import { cpuBetween, startMainThreadTrace, stopMainThreadTrace, type MainThreadTrace } from './main-thread.ts';
import { pingpongTrace } from './pingpong-trace.ts';

const [distA, distB] = process.argv.slice(2, 4);
if (!distA || !distB) throw new Error('usage: open-ab.bench.ts <dist A> <dist B> [events] [rounds]');
const events = Number(process.argv[4] ?? 100_000);
const rounds = Number(process.argv[5] ?? 5);

interface Sample {
  openMs: number;
  fetchAtMs: number;
  firstPictureAtMs: number;
  wholeAtMs: number;
  cpuBeforeFetchMs: number;
  cpuAfterFetchMs: number;
  /** CPU of the load's phases, between the app's marks: reading, indexing, extras, first draw. */
  cpuReadMs: number;
  cpuIndexMs: number;
  cpuExtrasMs: number;
  cpuDrawMs: number;
  /** Wall time from the fetch to the whole trace on screen in which the main thread ran no task (waiting for the network, a frame or a worker). */
  idleMs: number;
}

function idleBetween(trace: MainThreadTrace, from: number, to: number): number {
  let busy = 0;
  for (const task of trace.tasks) {
    const start = Math.max(from, task.start);
    const end = Math.min(to, task.start + task.wallMs);
    if (end > start) busy += end - start;
  }
  return to - from - busy;
}

/** A task is counted in the phase it starts in. */
function phases(trace: MainThreadTrace, fetchMark: number) {
  const mark = (name: string) => trace.marks.get(`dsim:${name}`) ?? NaN;
  return {
    cpuReadMs: cpuBetween(trace, fetchMark, mark('read')),
    cpuIndexMs: cpuBetween(trace, mark('read'), mark('indexed')),
    cpuExtrasMs: cpuBetween(trace, mark('indexed'), mark('extras')),
    cpuDrawMs: cpuBetween(trace, mark('extras'), 0),
  };
}

const text = pingpongTrace(events);
const servers = { A: await serve(distA), B: await serve(distB) };
for (const server of Object.values(servers)) server.put('/ab.jsonl', text);
const browser = await launch();
const samples: Record<'A' | 'B', Sample[]> = { A: [], B: [] };
try {
  for (let round = 0; round < rounds; round++) {
    for (const side of round % 2 === 0 ? (['A', 'B'] as const) : (['B', 'A'] as const)) {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await startMainThreadTrace(browser, page);
      const started = performance.now();
      await page.goto(`${servers[side].url}/?trace=/ab.jsonl`);
      await page.waitForFunction(
        () =>
          (window as unknown as { __dsim?: { state(): { timings?: unknown } } }).__dsim?.state().timings !== undefined,
        null,
        { timeout: 120_000, polling: 10 },
      );
      const openMs = performance.now() - started;
      // (Plain JavaScript text: tsx's helpers must not leak into the page.)
      const at = (await page.evaluate(
        `Object.fromEntries(['fetch', 'first-picture', 'whole'].map((name) => [name, performance.getEntriesByName('dsim:' + name)[0]?.startTime ?? NaN]))`,
      )) as Record<'fetch' | 'first-picture' | 'whole', number>;
      const trace = await stopMainThreadTrace(browser, 'dsim:whole');
      const fetchMark = trace.marks.get('dsim:fetch') ?? 0;
      samples[side].push({
        openMs,
        fetchAtMs: at.fetch,
        firstPictureAtMs: at['first-picture'],
        wholeAtMs: at.whole,
        cpuBeforeFetchMs: cpuBetween(trace, -Infinity, fetchMark),
        cpuAfterFetchMs: cpuBetween(trace, fetchMark, 0),
        ...phases(trace, fetchMark),
        idleMs: idleBetween(trace, fetchMark, 0),
      });
      await page.close();
    }
  }
} finally {
  await browser.close();
  for (const server of Object.values(servers)) await server.close();
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const rows = (['A', 'B'] as const).flatMap((side) =>
  [
    ...samples[side].map((sample, i) => ({ label: `${side} ${i + 1}`, sample })),
    { label: `${side} median`, sample: undefined },
  ].map(({ label, sample }) => {
    const pick = (key: keyof Sample) => Math.round(sample ? sample[key] : median(samples[side].map((s) => s[key])));
    return {
      run: label,
      'open ms (from navigation)': pick('openMs'),
      'fetch starts at ms': pick('fetchAtMs'),
      'first picture at ms': pick('firstPictureAtMs'),
      'whole on screen at ms': pick('wholeAtMs'),
      'CPU ms before fetch': pick('cpuBeforeFetchMs'),
      'CPU ms fetch to whole': pick('cpuAfterFetchMs'),
      'of which read': pick('cpuReadMs'),
      index: pick('cpuIndexMs'),
      'fold, extras': pick('cpuExtrasMs'),
      draw: pick('cpuDrawMs'),
      'idle ms fetch to whole': pick('idleMs'),
    };
  }),
);
console.log(`A = ${distA}\nB = ${distB}\n${events.toLocaleString()} events, ${rounds} rounds, alternating`);
console.table(rows);
