import { parentPort, workerData } from 'node:worker_threads';
import {
  resolveScenario,
  Simulation,
  type FamilyOptionValues,
  type RunResult,
  type Scenario,
  type StateMode,
} from '@dsim/core';
import { families, registry } from '@dsim/registry';
import { loadScenario } from './load-scenario.ts';

/** One seed's verdict, small enough to post back cheaply. */
export interface SeedResult {
  readonly seed: number;
  /** For a seed family: which of the sweep's option sets ran (index into SweepSource's cases). */
  readonly case?: number;
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
  /** The family's own measurements of this run (see SeedFamily.measure). */
  readonly measures?: Readonly<Record<string, number>>;
}

/** What a sweep runs: a scenario file, or a seed family with one or more option sets. */
export type SweepSource =
  { readonly file: string } | { readonly family: string; readonly cases: readonly FamilyOptionValues[] };

export interface SweepWorkerData {
  readonly source: SweepSource;
  readonly until?: string;
  readonly hashes: boolean;
  readonly stateMode: StateMode;
}

export interface SweepJob {
  readonly seed: number;
  readonly case: number;
}

export type SweepRequest = { readonly jobs: readonly SweepJob[] } | { readonly stop: true };

export interface SeedRunOptions {
  readonly until?: string;
  readonly hashes: boolean;
  readonly stateMode: StateMode;
}

/** Runs one seed of a loaded scenario file (or any scenario input). */
export function runSeed(scenarioInput: unknown, source: string, seed: number, options: SeedRunOptions): SeedResult {
  return summarize(seed, simulate(scenarioInput, source, seed, options));
}

/** Runs one seed of a seed family, with the family's measurements when it declares them. */
export function runFamilySeed(
  name: string,
  options: FamilyOptionValues,
  job: SweepJob,
  runOptions: SeedRunOptions,
): SeedResult {
  const family = families[name];
  if (!family) throw new Error(`no seed family '${name}'`);
  const scenario: Scenario = family.scenario(job.seed, options);
  const instrumented = family.measure?.instrument(scenario);
  const result = simulate(instrumented?.scenario ?? scenario, `family ${name}`, job.seed, runOptions);
  return {
    ...summarize(job.seed, result),
    case: job.case,
    ...(instrumented ? { measures: instrumented.read(result) } : {}),
  };
}

function simulate(scenarioInput: unknown, source: string, seed: number, options: SeedRunOptions): RunResult {
  const scenario = resolveScenario(scenarioInput, {
    registry,
    seed,
    source,
    ...(options.until ? { until: options.until } : {}),
  });
  return new Simulation(scenario, { trace: options.hashes ? 'hash' : 'off', stateMode: options.stateMode }).run();
}

function summarize(seed: number, result: RunResult): SeedResult {
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

/** A job that could not run (a bad option set, a throwing scenario builder): a failing seed with the reason. */
export function failedJob(job: SweepJob, error: unknown, family: boolean): SeedResult {
  return {
    seed: job.seed,
    ...(family ? { case: job.case } : {}),
    ok: false,
    endReason: 'error',
    events: 0,
    simulatedMicros: 0,
    violations: [],
    error: error instanceof Error ? error.message : String(error),
    operations: 0,
  };
}

/** The function that runs one job of a sweep, in a worker or inline. */
export async function jobRunner(data: SweepWorkerData): Promise<(job: SweepJob) => SeedResult> {
  const { source } = data;
  if ('file' in source) {
    const scenario = await loadScenario(source.file);
    return (job) => runSeed(scenario, source.file, job.seed, data);
  }
  return (job) => runFamilySeed(source.family, source.cases[job.case]!, job, data);
}

if (parentPort) {
  const data = workerData as SweepWorkerData;
  const run = await jobRunner(data);
  const port = parentPort;
  port.on('message', (request: SweepRequest) => {
    if ('stop' in request) {
      port.close();
      return;
    }
    const results: SeedResult[] = [];
    for (const job of request.jobs) {
      try {
        results.push(run(job));
      } catch (error) {
        results.push(failedJob(job, error, 'family' in data.source));
      }
    }
    port.postMessage(results);
  });
  port.postMessage('ready');
}
