/**
 * Seed sweep: many runs of Raft under aggressive generated fault schedules, with every safety
 * invariant after every step, linearizability of the client history at the end, and liveness
 * after the heal. Any failure prints the seed and the command that reproduces it.
 *
 *   npx tsx simulations/raft/sweep.ts [--seeds 10000] [--from 1] [--nodes 5,7] [--workers 2] [--bug name]
 *   npx tsx simulations/raft/sweep.ts --seed 1234 --nodes 7      # one run, verbose
 *
 * Seed s runs on every cluster size given. The seed also picks the configuration, so the sweep
 * covers every read mode and PreVote/CheckQuorum setting, a low snapshot threshold, and one or
 * many entries per message. Clock jumps stay within a third of the lease bound (jumps can add up),
 * so lease reads must stay linearizable too.
 */
import { formatMicros, runScenario, type RunResult, type Scenario } from '@dsim/core';
import { raft } from '@dsim/raft';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

export interface SweepCase {
  readonly seed: number;
  readonly nodes: number;
  readonly bugs?: readonly string[];
}

/** The scenario a sweep seed runs: pure data derived from the seed. */
export function sweepScenario({ seed, nodes, bugs = [] }: SweepCase): Scenario {
  const readMode = (['readIndex', 'lease', 'log'] as const)[seed % 3]!;
  const variant = Math.floor(seed / 3) % 4;
  const checkQuorum = readMode === 'lease' || variant !== 0;
  const preVote = variant !== 1;
  const leaseClockBound = 60_000;
  return {
    name: `raft-sweep-${nodes}n-${seed}`,
    protocol: raft,
    nodes,
    seed,
    until: '16s',
    config: {
      readMode,
      checkQuorum,
      preVote,
      leaseClockBoundMicros: leaseClockBound,
      snapshotThresholdEntries: seed % 2 === 0 ? 40 : 200,
      maxEntriesPerMessage: seed % 5 === 0 ? 1 : 16,
    },
    bugs,
    network: { latency: { dist: 'uniform', min: 1_000, max: 8_000 } },
    nemesis: {
      faults: 6,
      kinds: ['partition', 'crash', 'pause', 'clock', 'loss', 'duplicate'],
      from: '500ms',
      healAt: '9s',
      minDuration: '100ms',
      maxDuration: '3s',
      clockJumpMax: leaseClockBound / 3,
      driftPpmMax: 1_000,
      probability: 0.3,
    },
    workload: {
      name: 'kv',
      clients: 4,
      stopAt: '15s',
      timeout: '1s',
      thinkTime: '10ms',
      options: { keys: 3, transferEvery: seed % 4 === 0 ? 30 : 0 },
    },
  };
}

export interface SweepOutcome {
  readonly seed: number;
  readonly nodes: number;
  readonly ok: boolean;
  readonly failure?: string;
  readonly events: number;
  readonly operations: number;
}

export function runSweepCase(sweepCase: SweepCase): SweepOutcome {
  let result: RunResult;
  try {
    result = runScenario(sweepScenario(sweepCase), {}, { trace: 'off', stateMode: 'mutable' });
  } catch (error) {
    return {
      ...sweepCase,
      ok: false,
      failure: `could not run: ${error instanceof Error ? error.message : String(error)}`,
      events: 0,
      operations: 0,
    };
  }
  const violation = result.violations[0];
  const failure = violation
    ? `${violation.invariant} at ${formatMicros(violation.time)}: ${violation.message}`
    : result.endReason === 'error'
      ? `error: ${result.error}`
      : undefined;
  return {
    seed: sweepCase.seed,
    nodes: sweepCase.nodes,
    ok: failure === undefined,
    failure,
    events: result.stats.events,
    operations: result.stats.operations,
  };
}

function parseArgs(argv: readonly string[]): Record<string, string> {
  const args: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith('--'))
      args[arg.slice(2)] = argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--') ? argv[++i]! : 'true';
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  // --nodes 5,7 runs every seed on both sizes; --nodes alternate runs odd seeds on 5 nodes and even seeds on 7.
  const alternate = args.nodes === 'alternate';
  const sizes = alternate ? [5, 7] : (args.nodes ?? '5,7').split(',').map(Number);
  const bugs = args.bug ? args.bug.split(',') : [];
  if (args.seed) {
    const seed = Number(args.seed);
    for (const nodes of alternate ? [seed % 2 === 1 ? 5 : 7] : sizes)
      console.log(JSON.stringify(runSweepCase({ seed, nodes, bugs })));
    return;
  }
  const seeds = Number(args.seeds ?? 10_000);
  const from = Number(args.from ?? 1);
  const workers = Math.max(1, Number(args.workers ?? 2));
  const cases: SweepCase[] = [];
  for (let seed = from; seed < from + seeds; seed++) {
    if (alternate) cases.push({ seed, nodes: seed % 2 === 1 ? 5 : 7, bugs });
    else for (const nodes of sizes) cases.push({ seed, nodes, bugs });
  }
  console.log(
    `raft sweep: ${seeds} seeds, ${alternate ? '5 nodes for odd seeds and 7 for even ones' : `clusters of ${sizes.join(', ')}`} = ${cases.length} runs on ${workers} workers${bugs.length ? `, bugs ${bugs.join(',')}` : ''}`,
  );
  // Workers load this same file through dsim's TypeScript loader (the one the CLI uses).
  const loader = new URL('../../packages/cli/bin/register-typescript.mjs', import.meta.url).href;
  const started = performance.now();
  const failures: SweepOutcome[] = [];
  let done = 0;
  let events = 0;
  let operations = 0;
  await Promise.all(
    Array.from({ length: workers }, (_, w) => {
      const share = cases.filter((_, i) => i % workers === w);
      return new Promise<void>((resolve, reject) => {
        const worker = new Worker(
          `import(${JSON.stringify(loader)}).then(() => import(${JSON.stringify(import.meta.url)}));`,
          { eval: true, workerData: share },
        );
        worker.on('message', (outcome: SweepOutcome) => {
          done++;
          events += outcome.events;
          operations += outcome.operations;
          if (!outcome.ok) {
            failures.push(outcome);
            console.log(
              `FAIL seed ${outcome.seed} (${outcome.nodes} nodes): ${outcome.failure}\n  reproduce: npx tsx simulations/raft/sweep.ts --seed ${outcome.seed} --nodes ${outcome.nodes}${bugs.length ? ` --bug ${bugs.join(',')}` : ''}`,
            );
          }
          if (done % 500 === 0)
            console.log(
              `  ${done}/${cases.length} runs, ${failures.length} failing, ${((performance.now() - started) / 1000).toFixed(0)}s`,
            );
        });
        worker.on('error', reject);
        worker.on('exit', () => resolve());
      });
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `done: ${done} runs (${seeds} seeds), ${failures.length} failing, ${seconds.toFixed(0)}s wall, ${(done / seconds).toFixed(1)} runs/s, ${events} events, ${operations} client operations`,
  );
  if (failures.length > 0) process.exitCode = 1;
}

if (isMainThread) {
  if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) await main();
} else {
  for (const sweepCase of workerData as SweepCase[]) parentPort!.postMessage(runSweepCase(sweepCase));
}
