import { createHash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import {
  familyScenario,
  resolveScenario,
  Simulation,
  type CoverageCounts,
  type SwarmDraw,
  type FamilyOptionValues,
  type ResolvedScenario,
  type RunResult,
  type RunStats,
  type Scenario,
  type StateMode,
} from '@dsim/core';
import type { ProtocolRegistry } from '@dsim/core';
import { families, registry as builtIn } from '@dsim/registry';
import { loadScenario } from './load-scenario.ts';
import { loadProjectProtocols, type ProtocolSources } from './project-protocols.ts';

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
  /** The run's name as resolved (a family's scenario names itself per seed). */
  readonly scenario?: string;
  /** A digest of the resolved scenario without its seed: two runs with equal digests ran the same configuration. */
  readonly configDigest?: string;
  readonly stats?: RunStats;
  /** Wall-clock time of this one run on its worker. */
  readonly wallMillis?: number;
  /** What the run reached: roles, message kinds, faults by role, declared states, `sometimes` invariants. */
  readonly coverage?: CoverageCounts;
  /** With `--swarm`: the configuration this seed drew (it draws the same again on replay). */
  readonly swarm?: SwarmDraw;
}

/** What a sweep runs: a scenario file, or a seed family with one or more option sets. */
export type SweepSource =
  { readonly file: string } | { readonly family: string; readonly cases: readonly FamilyOptionValues[] };

export interface SweepWorkerData {
  readonly source: SweepSource;
  readonly until?: string;
  readonly hashes: boolean;
  readonly stateMode: StateMode;
  readonly coverage?: boolean;
  /** Seed families: draw each seed's fault kinds and knobs from the family's swarm ranges. */
  readonly swarm?: boolean;
  /** The project's protocols (dsim.config, --protocol), loaded again in every worker. */
  readonly protocols?: ProtocolSources;
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
  /** Count coverage (see RunOptions.coverage). */
  readonly coverage?: boolean;
  /** The protocols scenarios may name (default: the built-in ones). */
  readonly registry?: ProtocolRegistry;
}

/** Runs one seed of a loaded scenario file (or any scenario input). */
export function runSeed(scenarioInput: unknown, source: string, seed: number, options: SeedRunOptions): SeedResult {
  const started = performance.now();
  const { scenario, result } = simulate(scenarioInput, source, seed, options);
  return summarize(seed, scenario, result, performance.now() - started);
}

/** Runs one seed of a seed family, with the family's measurements when it declares them. */
export function runFamilySeed(
  name: string,
  options: FamilyOptionValues,
  job: SweepJob,
  runOptions: SeedRunOptions & { readonly swarm?: boolean },
): SeedResult {
  const family = families[name];
  if (!family) throw new Error(`no seed family '${name}'`);
  const started = performance.now();
  const drawn = familyScenario(family, job.seed, options, runOptions.swarm === true);
  const scenario: Scenario = drawn.scenario;
  const instrumented = family.measure?.instrument(scenario);
  const run = simulate(instrumented?.scenario ?? scenario, `family ${name}`, job.seed, runOptions);
  const result = run.result;
  return {
    ...summarize(job.seed, run.scenario, result, performance.now() - started),
    case: job.case,
    ...(instrumented ? { measures: instrumented.read(result) } : {}),
    ...(drawn.swarm ? { swarm: drawn.swarm } : {}),
  };
}

function simulate(
  scenarioInput: unknown,
  source: string,
  seed: number,
  options: SeedRunOptions,
): { scenario: ResolvedScenario; result: RunResult } {
  const scenario = resolveScenario(scenarioInput, {
    registry: options.registry ?? builtIn,
    seed,
    source,
    ...(options.until ? { until: options.until } : {}),
  });
  const result = new Simulation(scenario, {
    trace: options.hashes ? 'hash' : 'off',
    stateMode: options.stateMode,
    coverage: options.coverage === true,
  }).run();
  return { scenario, result };
}

/**
 * A digest of everything that shapes a run except its seed: the protocol by name, the nodes, the
 * end time, the config, the bug switches, network, clocks, faults, workload and invariants (by
 * name). Functions inside the config or workload count by their source text.
 */
export function configDigest(scenario: ResolvedScenario): string {
  const { seed: _seed, protocol, invariants, description: _description, ...rest } = scenario;
  const shape = {
    ...rest,
    protocol: protocol.name,
    invariants: invariants.map((invariant) => invariant.name),
  };
  return createHash('sha256').update(stableJson(shape)).digest('hex').slice(0, 16);
}

/** JSON with object keys sorted, so equal values give equal text whatever the key order. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (typeof inner === 'function') return `function:${String(inner)}`;
    if (typeof inner === 'bigint') return `bigint:${inner}`;
    if (inner && typeof inner === 'object' && !Array.isArray(inner)) {
      if (inner instanceof Map) return { map: [...inner.entries()] };
      if (inner instanceof Set) return { set: [...inner.values()] };
      return Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return inner;
  });
}

function summarize(seed: number, scenario: ResolvedScenario, result: RunResult, wallMillis: number): SeedResult {
  return {
    seed,
    scenario: scenario.name,
    configDigest: configDigest(scenario),
    ok: result.violations.length === 0 && result.endReason !== 'error',
    endReason: result.endReason,
    events: result.stats.events,
    simulatedMicros: result.endTime,
    violations: result.violations.map(({ invariant, kind, time, message }) => ({ invariant, kind, time, message })),
    ...(result.error ? { error: result.error } : {}),
    ...(result.hash ? { hash: result.hash } : {}),
    operations: result.stats.operations,
    stats: result.stats,
    wallMillis: Math.round(wallMillis * 1000) / 1000,
    ...(result.coverage ? { coverage: result.coverage } : {}),
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
    const { registry } = data.protocols ? await loadProjectProtocols(data.protocols) : { registry: builtIn };
    const scenario = await loadScenario(source.file);
    return (job) => runSeed(scenario, source.file, job.seed, { ...data, registry });
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
