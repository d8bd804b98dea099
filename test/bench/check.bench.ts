import { fileURLToPath, pathToFileURL } from 'node:url';
import { casRegisterModel, checkLinearizability, kvModel, type Model } from '@dsim/check';
import type { History } from '@dsim/core';
import { simulateStoreHistory } from '../../packages/check/test/simulated-store.ts';
import { runInFreshProcess } from './child.ts';
import type { BenchRow } from './kernel.bench.ts';

/**
 * Linearizability checker benchmarks. Histories come from a seeded simulation of a correct
 * linearizable store under random concurrency (packages/check/test/simulated-store.ts), so every
 * run checks the same histories. Standalone:
 * `node --import ./packages/cli/bin/register-typescript.mjs test/bench/check.bench.ts`.
 */

function kvHistory(): History {
  return simulateStoreHistory({
    seed: 1,
    processes: 50,
    operations: 2_000,
    keys: keys(10),
    functions: ['get', 'put', 'append'],
    infoProbability: 0.02,
  }).history;
}

function casHistory(): History {
  return simulateStoreHistory({
    seed: 2,
    processes: 15,
    operations: 100,
    functions: ['read', 'write', 'cas'],
    values: 5,
    infoProbability: 0.2,
  }).history;
}

function bigHistory(): History {
  return simulateStoreHistory({
    seed: 3,
    processes: 10,
    operations: 100_000,
    keys: keys(100),
    functions: ['get', 'put', 'append'],
    infoProbability: 0.01,
  }).history;
}

function keys(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `k${i}`);
}

/** Median wall time of `runs` checks after two warm-ups. */
function time(history: History, model: Model, runs: number): { ms: number; verdict: string; steps: number } {
  let result = checkLinearizability(history, model);
  checkLinearizability(history, model);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    result = checkLinearizability(history, model);
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { ms: samples[Math.floor(samples.length / 2)]!, verdict: result.verdict, steps: result.steps };
}

interface BigCheck {
  readonly ms: number;
  readonly verdict: string;
  readonly heapMb: number;
  readonly maxRssMb: number;
  readonly operations: number;
}

/** The 100k-operation check, in a child process capped at a 1 GB heap: it passes only if it fits. */
function bigInChild(): BigCheck {
  return runInFreshProcess<BigCheck>(fileURLToPath(import.meta.url), ['--child-100k'], ['--max-old-space-size=1024']);
}

function runBigChild(): void {
  const history = bigHistory();
  const start = performance.now();
  const result = checkLinearizability(history, kvModel, { maxSteps: 50_000_000 });
  const ms = performance.now() - start;
  const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ ms, verdict: result.verdict, heapMb, maxRssMb, operations: result.operations }));
}

export async function benchCheck(): Promise<BenchRow[]> {
  const kv = kvHistory();
  const cas = casHistory();
  const kvResult = time(kv, kvModel, 9);
  const casResult = time(cas, casRegisterModel, 51);
  const big = bigInChild();
  return [
    {
      name: 'kv 50 clients, 10 keys, 2k ops',
      value: Number(kvResult.ms.toFixed(2)),
      unit: 'ms',
      note: `${kv.length} entries, ${kvResult.verdict}, ${kvResult.steps} steps (target < 150 ms)`,
    },
    {
      name: 'cas-register 15 procs, 100 ops, 1/5 info',
      value: Number(casResult.ms.toFixed(3)),
      unit: 'ms',
      note: `${cas.length} entries, ${casResult.verdict}, ${casResult.steps} steps (target < 5 ms)`,
    },
    {
      name: 'kv 10 clients, 100 keys, 100k ops',
      value: Number(big.ms.toFixed(0)),
      unit: 'ms',
      note: `${big.operations} ops searched, ${big.verdict}, 1 GB heap cap`,
    },
    {
      name: 'kv 100k ops: heap after check',
      value: Number(big.heapMb.toFixed(1)),
      unit: 'MB',
      note: `peak RSS ${big.maxRssMb.toFixed(0)} MB (process total, history included)`,
    },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.argv.includes('--child-100k')) runBigChild();
  else {
    const rows = await benchCheck();
    const { printRows } = await import('./run.ts');
    printRows('check', rows);
  }
}
