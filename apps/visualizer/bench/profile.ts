/**
 * Where the visualizer's main-thread time goes, from Chromium's own performance trace: while a big
 * trace loads (after its first picture) and while the cursor is scrubbed. Prints, per phase, the
 * main thread's self time by trace event (script, style, layout, paint, garbage collection, …),
 * the frames the compositor produced, and the JavaScript functions with the most self time.
 *
 *   npx tsx --conditions=@dsim/source apps/visualizer/bench/profile.ts [events] [load,scrub] [window|whole] [views]
 *
 * `whole` scrubs with the whole run in view; `views` (e.g. `inspector` or `cluster,spacetime`)
 * are not drawn while scrubbing, so comparing runs shows what each view costs.
 *
 * A diagnosis tool beside open.bench.ts: open.bench.ts says how fast, this says where the time goes.
 */
import type { CDPSession, Page } from 'playwright-core';
import { join } from 'node:path';
import { APP_ROOT, DIST, launch, serve } from '../test/e2e/harness.ts';
import type { TraceRecord as TraceEventRecord } from './main-thread.ts';
import { pingpongTrace } from './pingpong-trace.ts';

const events = Number(process.argv[2] ?? 1_000_000);
const view = process.argv[4] ?? 'window';
/** Views not drawn while scrubbing (comma-separated: cluster, spacetime, operations, timeline, inspector), to see what each costs. */
const stubbed = (process.argv[5] ?? '').split(',').filter(Boolean);
const phases = (process.argv[3] ?? 'load,scrub').split(',');

/** Self time (ms) per event name on one thread, in [from, to] (trace microseconds), from complete events. */
function selfTimes(records: TraceEventRecord[], pid: number, tid: number, from: number, to: number) {
  const mine = records
    .filter((r) => r.pid === pid && r.tid === tid && r.ph === 'X' && r.dur !== undefined && r.ts >= from && r.ts <= to)
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const self = new Map<string, number>();
  const selfCpu = new Map<string, number>();
  const stack: Array<{ name: string; end: number; child: number; dur: number; childCpu: number; cpu: number }> = [];
  const close = (until: number) => {
    while (stack.length && stack[stack.length - 1]!.end <= until) {
      const top = stack.pop()!;
      self.set(top.name, (self.get(top.name) ?? 0) + (top.dur - top.child) / 1000);
      selfCpu.set(top.name, (selfCpu.get(top.name) ?? 0) + Math.max(0, top.cpu - top.childCpu) / 1000);
    }
  };
  const tasks: Array<{ ts: number; dur: number; cpu: number }> = [];
  for (const record of mine) {
    close(record.ts);
    const cpu = record.tdur ?? record.dur!;
    if (stack.length) {
      stack[stack.length - 1]!.child += record.dur!;
      stack[stack.length - 1]!.childCpu += cpu;
    } else tasks.push({ ts: record.ts, dur: record.dur!, cpu });
    stack.push({ name: record.name, end: record.ts + record.dur!, child: 0, dur: record.dur!, childCpu: 0, cpu });
  }
  close(Infinity);
  return { self, selfCpu, tasks };
}

async function traced(page: Page, client: CDPSession, run: () => Promise<void>) {
  const browser = page.context().browser()!;
  await client.send('Profiler.enable');
  await client.send('Profiler.setSamplingInterval', { interval: 200 });
  await client.send('Profiler.start');
  await browser.startTracing(page, {
    categories: [
      'devtools.timeline',
      'disabled-by-default-devtools.timeline',
      'disabled-by-default-devtools.timeline.frame',
      'v8',
      'v8.execute',
      'blink.user_timing',
      'blink',
      'cc',
      'gpu',
    ],
  });
  await run();
  const buffer = await browser.stopTracing();
  const { profile } = await client.send('Profiler.stop');
  const parsed = JSON.parse(buffer.toString('utf8')) as { traceEvents: TraceEventRecord[] };
  return { records: parsed.traceEvents, profile };
}

function report(
  label: string,
  records: TraceEventRecord[],
  profile: {
    nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
    samples?: number[];
    timeDeltas?: number[];
    startTime: number;
  },
  window?: [number, number],
) {
  const main = records.find((r) => r.name === 'thread_name' && r.args?.name === 'CrRendererMain');
  if (!main) throw new Error('no renderer main thread in the trace');
  const times = records.filter((r) => r.pid === main.pid && r.ts > 0).map((r) => r.ts);
  const [from, to] = window ?? [Math.min(...times), Math.max(...times)];
  const { self, selfCpu, tasks } = selfTimes(records, main.pid, main.tid, from, to);
  const wall = (to - from) / 1000;
  const busy = tasks.reduce((sum, task) => sum + task.dur, 0) / 1000;
  const cpu = tasks.reduce((sum, task) => sum + task.cpu, 0) / 1000;
  console.log(
    `\n== ${label}: ${wall.toFixed(0)} ms of wall time, main thread busy ${busy.toFixed(0)} ms, of which on a CPU ${cpu.toFixed(0)} ms`,
  );
  const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 18);
  console.table(
    top.map(([name, ms]) => ({
      'trace event': name,
      'self ms': ms.toFixed(1),
      'self CPU ms': (selfCpu.get(name) ?? 0).toFixed(1),
      share: `${((ms / busy) * 100).toFixed(1)}%`,
    })),
  );
  const long = tasks
    .filter((task) => task.dur > 50_000)
    .map(
      (task) =>
        `${(task.dur / 1000).toFixed(0)}ms(cpu ${(task.cpu / 1000).toFixed(0)})@${((task.ts - from) / 1000).toFixed(0)}`,
    );
  console.log('main-thread tasks over 50 ms:', long.join(' ') || 'none');
  const frames = records.filter(
    (r) =>
      r.pid === main.pid &&
      (r.name === 'DrawFrame' || r.name === 'Frame' || r.name === 'BeginFrame') &&
      r.ts >= from &&
      r.ts <= to,
  );
  const byName = new Map<string, number>();
  for (const f of frames) byName.set(f.name, (byName.get(f.name) ?? 0) + 1);
  console.log('frame events:', Object.fromEntries(byName));
  // JavaScript self time by function, within the window (profile times are in the trace's clock).
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const perFunction = new Map<string, number>();
  let at = profile.startTime;
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    at += deltas[i] ?? 0;
    const next = at + (deltas[i + 1] ?? 0);
    if (at < from || at > to) continue;
    const frame = nodes.get(samples[i]!)!.callFrame;
    const key = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop()}:${frame.lineNumber + 1}`;
    perFunction.set(key, (perFunction.get(key) ?? 0) + (next - at) / 1000);
  }
  const functions = [...perFunction.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25);
  console.table(functions.map(([name, ms]) => ({ function: name, 'self ms': ms.toFixed(1) })));
}

// Unminified, so the profile names the app's functions.
const { build } = await import('vite');
await build({
  configFile: join(APP_ROOT, 'vite.config.ts'),
  logLevel: 'warn',
  build: { outDir: DIST, emptyOutDir: true, minify: false },
});
const server = await serve();
const browser = await launch();
try {
  const text = pingpongTrace(events);
  server.put('/profile.jsonl', text);
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const client = await page.context().newCDPSession(page);
  type Hook = { state(): { firstPictureAt: number; analysedAt: number; timings?: unknown } };
  /** Opens the trace and waits until the app has also hashed and checked it. */
  const openAndAnalyse = async () => {
    await page.goto(`${server.url}/?trace=/profile.jsonl`);
    await page.waitForFunction(
      () => ((window as unknown as { __dsim?: Hook }).__dsim?.state().analysedAt ?? 0) > 0,
      null,
      { timeout: 300_000, polling: 100 },
    );
  };
  if (phases.includes('load')) {
    const { records, profile } = await traced(page, client, async () => {
      await openAndAnalyse();
    });
    // The first picture in the trace's clock: the app's own user-timing mark.
    const marks = records.filter((r) => r.name.startsWith('dsim:'));
    const first = records.find((r) => r.name === 'dsim:first-picture');
    const firstPictureTs = first?.ts ?? Math.min(...marks.map((m) => m.ts));
    const end = Math.max(...records.filter((r) => r.ts > 0).map((r) => r.ts));
    console.log('marks:', marks.map((m) => `${m.name}@${((m.ts - firstPictureTs) / 1000).toFixed(0)}`).join(' '));
    // From the navigation's first task to the whole trace on screen: what opening costs.
    const whole = records.find((r) => r.name === 'dsim:whole')?.ts ?? end;
    const pageStart = Math.min(...records.filter((r) => r.pid === first?.pid && r.ts > 0).map((r) => r.ts));
    report(`${events} events, from navigation to the whole trace on screen`, records, profile, [pageStart, whole]);
    report(`${events} events, load after the first picture`, records, profile, [firstPictureTs, end]);
  }
  if (phases.includes('scrub')) {
    if (!phases.includes('load')) await openAndAnalyse();
    const { records, profile } = await traced(page, client, async () => {
      await page
        .evaluate(
          `(async () => {
        const hook = window.__dsim;
        const end = hook.app.loaded.model.endTime;
        if (${JSON.stringify(view)} === 'whole') hook.setDomain(0, end);
        for (const name of ${JSON.stringify(stubbed)}) hook.app[name].draw = () => {};
        await new Promise((resolve) => requestAnimationFrame(resolve));
        const start = performance.now();
        performance.mark('profile:scrub-start');
        let step = 0;
        const frames0 = hook.state().frames;
        await new Promise((resolve) => {
          const tick = () => {
            if (performance.now() - start > 3000) return resolve();
            step++;
            hook.seekTime((((step * 7919) % 1000) / 1000) * end);
            requestAnimationFrame(tick);
          };
          tick();
        });
        performance.mark('profile:scrub-end');
        return (hook.state().frames - frames0) / 3;
      })()`,
        )
        .then((fps) => console.log('scrub fps while traced', fps));
    });
    const mark = (name: string) => records.find((r) => r.name === name)!.ts;
    report(`${events} events, scrubbing for 3 s`, records, profile, [
      mark('profile:scrub-start'),
      mark('profile:scrub-end'),
    ]);
  }
} finally {
  await browser.close();
  await server.close();
}
