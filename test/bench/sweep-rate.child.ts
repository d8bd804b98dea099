import { Worker } from 'node:worker_threads';
import { familyOptions } from '@dsim/core';
import { families } from '@dsim/registry';
import { runJobs } from '../../packages/cli/src/commands/sweep.ts';
import type { SweepWorkerData } from '../../packages/cli/src/sweep-worker.ts';

/**
 * One measurement of the sweep benchmark in a process of its own, so the one-worker and the
 * two-worker sweeps both start cold (no JIT warm-up or loaded modules from an earlier
 * measurement). Prints one JSON line.
 *   rate <family> <seeds> <workers>: wall and CPU milliseconds of the whole sweep (every thread
 *     of the process; `--workers 1` runs inline on the main thread, as the CLI does)
 *   startup <family>: wall and CPU milliseconds from creating one sweep worker to its 'ready'
 */
const [mode, family, ...rest] = process.argv.slice(2);
if (!family || !families[family]) throw new Error(`give a seed family (${Object.keys(families).join(', ')})`);
const data: SweepWorkerData = {
  source: { family, cases: [familyOptions(families[family]!)] },
  hashes: true,
  stateMode: 'mutable',
  coverage: true,
};

function cpuMillis(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

const cpuBefore = cpuMillis();
const started = performance.now();
if (mode === 'rate') {
  const seeds = Number(rest[0]);
  const workers = Number(rest[1]);
  const jobs = Array.from({ length: seeds }, (_, i) => ({ seed: i + 1, case: 0 }));
  const results = await runJobs(data, jobs, workers, () => {});
  if (results.length !== seeds) throw new Error(`the sweep finished ${results.length} of ${seeds} runs`);
  const runMillis = results.map((result) => result.wallMillis ?? 0);
  console.log(
    JSON.stringify({
      wallMillis: performance.now() - started,
      cpuMillis: cpuMillis() - cpuBefore,
      longestRunMillis: Math.max(...runMillis),
      runMillis: runMillis.reduce((sum, millis) => sum + millis, 0),
    }),
  );
} else if (mode === 'startup') {
  const worker = new Worker(new URL('../../packages/cli/src/sweep-worker-entry.mjs', import.meta.url), {
    workerData: data,
  });
  await new Promise((resolve) => worker.once('message', resolve));
  const result = { wallMillis: performance.now() - started, cpuMillis: cpuMillis() - cpuBefore };
  await worker.terminate();
  console.log(JSON.stringify(result));
} else throw new Error(`mode: give 'rate' or 'startup', got '${mode}'`);
