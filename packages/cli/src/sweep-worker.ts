import { parentPort, workerData } from 'node:worker_threads';
import { resolveScenario, Simulation, type StateMode } from '@dsim/core';
import { registry } from '@dsim/registry';
import { loadScenario } from './load-scenario.ts';

/** One seed's verdict, small enough to post back cheaply. */
export interface SeedResult {
  readonly seed: number;
  readonly ok: boolean;
  readonly endReason: string;
  readonly events: number;
  readonly simulatedMicros: number;
  readonly violations: ReadonlyArray<{
    readonly invariant: string;
    readonly kind: string;
    readonly time: number;
    readonly message: string;
  }>;
  readonly error?: string;
  readonly hash?: string;
  readonly operations: number;
}

export interface SweepWorkerData {
  readonly file: string;
  readonly until?: string;
  readonly hashes: boolean;
  readonly stateMode: StateMode;
}

export type SweepRequest = { readonly seeds: readonly number[] } | { readonly stop: true };

export function runSeed(
  scenarioInput: unknown,
  file: string,
  seed: number,
  options: { until?: string; hashes: boolean; stateMode: StateMode },
): SeedResult {
  const scenario = resolveScenario(scenarioInput, {
    registry,
    seed,
    source: file,
    ...(options.until ? { until: options.until } : {}),
  });
  const result = new Simulation(scenario, {
    trace: options.hashes ? 'hash' : 'off',
    stateMode: options.stateMode,
  }).run();
  return {
    seed,
    ok: result.violations.length === 0 && result.endReason !== 'error',
    endReason: result.endReason,
    events: result.stats.events,
    simulatedMicros: result.endTime,
    violations: result.violations.map(({ invariant, kind, time, message }) => ({ invariant, kind, time, message })),
    ...(result.error ? { error: result.error } : {}),
    ...(result.hash ? { hash: result.hash } : {}),
    operations: result.stats.operations,
  };
}

if (parentPort) {
  const data = workerData as SweepWorkerData;
  const scenario = await loadScenario(data.file);
  const port = parentPort;
  port.on('message', (request: SweepRequest) => {
    if ('stop' in request) {
      port.close();
      return;
    }
    const results: SeedResult[] = [];
    for (const seed of request.seeds) {
      try {
        results.push(runSeed(scenario, data.file, seed, data));
      } catch (error) {
        results.push({
          seed,
          ok: false,
          endReason: 'error',
          events: 0,
          simulatedMicros: 0,
          violations: [],
          error: (error as Error).message,
          operations: 0,
        });
      }
    }
    port.postMessage(results);
  });
  port.postMessage('ready');
}
