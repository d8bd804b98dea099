/**
 * The page's main-thread tasks from Chromium's own trace, with each task's wall time and the CPU
 * time its thread actually ran. On a loaded machine the two differ by the time the operating
 * system kept the renderer off the CPU: a 20 ms slice of the app's work can show as a 250 ms
 * "long task" when four other processes compete for two cores. The CPU time is the app's cost.
 */
import type { Browser, Page } from 'playwright-core';

export interface TraceRecord {
  readonly name: string;
  readonly ph: string;
  readonly ts: number;
  readonly dur?: number;
  /** Thread (CPU) time of the event, when the platform records it. */
  readonly tdur?: number;
  readonly pid: number;
  readonly tid: number;
  readonly args?: { name?: string; data?: Record<string, unknown> };
}

export interface MainThreadTask {
  /** Start, in ms from the trace's `origin` mark (see MainThreadTrace). */
  readonly start: number;
  readonly wallMs: number;
  readonly cpuMs: number;
}

export interface MainThreadTrace {
  readonly tasks: readonly MainThreadTask[];
  /** The page's user-timing marks (performance.mark), in ms from the origin. */
  readonly marks: ReadonlyMap<string, number>;
}

const TASK_NAMES = new Set(['ThreadControllerImpl::RunTask', 'RunTask']);

export async function startMainThreadTrace(
  browser: Browser,
  page: Page,
  extraCategories: string[] = [],
): Promise<void> {
  await browser.startTracing(page, { categories: ['toplevel', 'blink.user_timing', ...extraCategories] });
}

/**
 * Stops the trace and returns the top-level tasks of the renderer main thread that wrote the
 * `origin` mark, timed from that mark.
 */
export async function stopMainThreadTrace(browser: Browser, origin: string): Promise<MainThreadTrace> {
  const records = (JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceRecord[] })
    .traceEvents;
  const originMark = records.find((record) => record.name === origin);
  if (!originMark) throw new Error(`the page wrote no '${origin}' mark while traced`);
  const { pid, tid } = originMark;
  const zero = originMark.ts;
  const marks = new Map<string, number>();
  for (const record of records)
    if (record.pid === pid && record.tid === tid && record.ph !== 'X' && record.name.includes(':'))
      marks.set(record.name, (record.ts - zero) / 1000);
  // The scheduler's tasks ('toplevel'), outermost only: a nested run loop's tasks are part of their parent.
  const all = records
    .filter((r) => r.pid === pid && r.tid === tid && r.ph === 'X' && TASK_NAMES.has(r.name) && r.dur !== undefined)
    .sort((a, b) => a.ts - b.ts);
  const tasks: MainThreadTask[] = [];
  let end = -Infinity;
  for (const r of all) {
    if (r.ts < end) continue;
    end = r.ts + r.dur!;
    tasks.push({ start: (r.ts - zero) / 1000, wallMs: r.dur! / 1000, cpuMs: (r.tdur ?? r.dur!) / 1000 });
  }
  return { tasks, marks };
}

/** Main-thread CPU of the tasks that start in [from, to] (ms from the origin). */
export function cpuBetween(trace: MainThreadTrace, from: number, to: number): number {
  return trace.tasks.filter((t) => t.start >= from && t.start <= to).reduce((sum, t) => sum + t.cpuMs, 0);
}

/** The longest task (by wall time, and by CPU time) that ends after `from`, clipped to start there. */
export function longestAfter(trace: MainThreadTrace, from: number): { wallMs: number; cpuMs: number } {
  let wallMs = 0;
  let cpuMs = 0;
  for (const task of trace.tasks) {
    if (task.start + task.wallMs <= from) continue;
    const clip = Math.min(1, (task.start + task.wallMs - from) / task.wallMs);
    wallMs = Math.max(wallMs, task.start + task.wallMs - Math.max(task.start, from));
    cpuMs = Math.max(cpuMs, task.cpuMs * clip);
  }
  return { wallMs, cpuMs };
}
