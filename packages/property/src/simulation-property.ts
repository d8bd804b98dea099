import {
  describeFault,
  episodesToSchedule,
  formatMicros,
  hashText,
  resolveScenario,
  runScenario,
  toMicros,
  type Fault,
  type FaultEpisode,
  type Micros,
  type NodeId,
  type ProtocolRegistry,
  type ResolvedScenario,
  type RunResult,
  type Scenario,
  type StateMode,
  type WorkloadSpec,
} from '@dsim/core';
import fc from 'fast-check';
import { join } from 'node:path';
import { faultEpisodes, type FaultArbitraryOptions } from './fault-episodes.ts';
import { writeFailureFiles } from './failure-files.ts';
import { serializableScenario } from './serializable-scenario.ts';

export interface SimulationPropertyOptions {
  /** Names the property in reports and the failure directory. */
  readonly name: string;
  /** The base scenario. Generated faults are appended to `scenario.faults`; `scenario.nemesis` is ignored. */
  readonly scenario: Scenario;
  /** Resolves `scenario.protocol` when it is a name. */
  readonly registry?: ProtocolRegistry;
  /**
   * The fault arbitrary. Faults hit the scenario's nodes, or only `nodes` when given: the servers
   * of a protocol whose clients run as nodes, say.
   */
  readonly faults: Omit<FaultArbitraryOptions, 'nodes'> & { readonly nodes?: readonly NodeId[] };
  /** An extra check on the finished run, e.g. `checkLinearizability(result.history, kvModel)`. */
  readonly check?: (result: RunResult) => true | string;
  /** Also draw the workload block (it replaces `scenario.workload`). */
  readonly workload?: fc.Arbitrary<WorkloadSpec>;
  /** Runs to try. Default: the DSIM_PROPERTY_RUNS environment variable, else 100. */
  readonly numRuns?: number;
  /** fast-check's seed. Default: derived from `name`, so a test is the same on every run. */
  readonly seed?: number;
  /** Default 'mutable' (the fastest; both modes give identical runs). */
  readonly stateMode?: StateMode;
  /** Where counterexamples are written. Default '.dsim/failures'. */
  readonly outDir?: string;
  /** Stop a run after this many kernel events (a guard against runaway protocols). */
  readonly maxEvents?: number;
  /**
   * At most this many runs while fast-check shrinks (default: no limit, fast-check shrinks until
   * nothing smaller fails). Shrinking a long schedule tries every field of every episode; a budget
   * keeps it to minutes and stays deterministic (it counts runs, not seconds): once spent,
   * fast-check keeps the smallest failing schedule found so far. The episode-removal passes that
   * follow (see findCounterexample) are not counted: they are bounded by the schedule's length.
   */
  readonly maxShrinkRuns?: number;
}

/**
 * A hunt: a property run that looks for a counterexample, kept as data so a protocol's tests and
 * the bug-hunt experiment run the same thing. `bug` names the switch it hunts (absent for a hunt
 * of the correct protocol's known weakness, such as 3PC under partitions). Add `numRuns` (and a
 * registry, an outDir) to run it with findCounterexample.
 */
export interface Hunt extends Omit<SimulationPropertyOptions, 'numRuns' | 'registry' | 'outDir'> {
  /** Short and unique within its package: '2pc:skipPreCommit', 'commitPriorTermByCount'. */
  readonly id: string;
  readonly bug?: string;
}

/** How big a fault schedule is: episodes drawn, and the faults they flatten to (undos and the final heal included). */
export interface ScheduleSize {
  readonly episodes: number;
  readonly scheduledFaults: number;
}

export type CounterexampleReport =
  | { readonly found: false; readonly runs: number; readonly seed: number }
  | {
      readonly found: true;
      /** Runs until the first failure, that one included. */
      readonly runsToFailure: number;
      /** fast-check's seed: pass it back as `seed` to find the same counterexample again. */
      readonly seed: number;
      /** The first failing schedule, and the one left after shrinking. */
      readonly originalFaults: ReadonlyArray<{ readonly at: Micros; readonly fault: Fault }>;
      readonly shrunkFaults: ReadonlyArray<{ readonly at: Micros; readonly fault: Fault }>;
      readonly originalSize: ScheduleSize;
      readonly shrunkSize: ScheduleSize;
      /** Successful shrink steps: fast-check's, plus the episodes the removal passes dropped. */
      readonly shrinks: number;
      /** Of those, the episodes the removal passes dropped after fast-check had finished. */
      readonly removedAfterShrinking: number;
      /** What went wrong in the shrunk run. */
      readonly violation: string;
      /** The shrunk scenario's simulation seed. */
      readonly simulationSeed: number;
      /** False if re-running the shrunk scenario did not fail again: a determinism bug worth reporting. */
      readonly reproduced: boolean;
      /** Custom invariants the scenario file cannot hold (see serializableScenario). */
      readonly omittedInvariants: readonly string[];
      readonly scenarioFile: string;
      readonly traceFile: string;
      readonly replayCommand: string;
      readonly viewCommand: string;
    };

export interface Drawn {
  readonly seed: number;
  readonly episodes: FaultEpisode[];
  readonly workload?: WorkloadSpec;
}

/**
 * Runs a scenario under generated fault schedules (and seeds, and optionally workloads) until a
 * run fails or `numRuns` pass. A run fails when an invariant is violated, the run ends in an
 * error, or `check` returns a message. A failure is shrunk by fast-check to a small schedule
 * (faults are data, so they shrink; a seed would not), then by removal passes that drop whole
 * episodes fast-check left behind (see removeEpisodes), re-run with a full trace, and written to
 * `outDir/<name>-<id>/` (scenario.json, trace.jsonl), where the id is a hash of the scenario, so
 * the same counterexample always lands in the same place.
 *
 * Never throws for a bug it found; throws for a base scenario or options that cannot run.
 */
export function findCounterexample(options: SimulationPropertyOptions): CounterexampleReport {
  const setup = prepare(options);
  let runs = 0;
  let firstFailure: Drawn | undefined;
  let runsToFailure = 0;
  let shrinkRuns = 0;
  const shrinkBudget = options.maxShrinkRuns ?? Infinity;
  const property = fc.property(setup.arbitrary, (drawn) => {
    if (firstFailure === undefined) runs++;
    // Budget spent: call every further candidate a pass, so fast-check keeps the last failure.
    else if (++shrinkRuns > shrinkBudget) return true;
    const failure = runOnce(setup, drawn, 'off').failure;
    if (failure !== undefined && firstFailure === undefined) {
      firstFailure = drawn;
      runsToFailure = runs;
    }
    return failure === undefined;
  });
  const details = fc.check(property, { numRuns: setup.numRuns, seed: setup.seed });
  if (!details.failed || details.counterexample === null) return { found: false, runs, seed: setup.seed };
  if (details.errorInstance !== undefined && details.errorInstance !== null && firstFailure === undefined) {
    // The property itself threw (not a failing run): a bug in the runner or the options.
    throw details.errorInstance instanceof Error ? details.errorInstance : new Error(String(details.errorInstance));
  }
  const removal = removeEpisodes(setup, details.counterexample[0]);
  const shrunk = removal.drawn;
  const replay = runOnce(setup, shrunk, 'memory');
  const { scenario: json, omittedInvariants } = serializableScenario(replay.scenario, setup.resolved);
  const text = `${JSON.stringify(json, null, 2)}\n`;
  const dir = join(options.outDir ?? '.dsim/failures', `${slug(options.name)}-${hashText(text).slice(0, 12)}`);
  const files = writeFailureFiles(dir, text, replay.result?.trace ?? []);
  const original = firstFailure ?? shrunk;
  const originalFaults = episodesToSchedule(original.episodes, setup.healAt);
  const shrunkFaults = episodesToSchedule(shrunk.episodes, setup.healAt);
  return {
    found: true,
    runsToFailure,
    seed: setup.seed,
    originalFaults,
    shrunkFaults,
    originalSize: { episodes: original.episodes.length, scheduledFaults: originalFaults.length },
    shrunkSize: { episodes: shrunk.episodes.length, scheduledFaults: shrunkFaults.length },
    shrinks: details.numShrinks + removal.removed,
    removedAfterShrinking: removal.removed,
    violation:
      replay.failure ??
      'the shrunk scenario passed when re-run: the simulation is not deterministic (please report this with the files below)',
    simulationSeed: shrunk.seed,
    reproduced: replay.failure !== undefined,
    omittedInvariants,
    scenarioFile: files.scenarioFile,
    traceFile: files.traceFile,
    replayCommand: `npx dsim run ${shellArg(files.scenarioFile)}`,
    viewCommand: `npx dsim view ${shellArg(files.traceFile)}`,
  };
}

/**
 * How many runs a property run takes to fail, without shrinking or writing anything: what a
 * comparison of search strategies (hand-tuned hunts against swarm sweeps) counts. The runs are
 * findCounterexample's, in the same order for the same fast-check seed.
 */
export function runsToFailure(options: SimulationPropertyOptions): { readonly found: boolean; readonly runs: number } {
  const setup = prepare(options);
  let runs = 0;
  let found = false;
  const property = fc.property(setup.arbitrary, (drawn) => {
    runs++;
    found = runOnce(setup, drawn, 'off').failure !== undefined;
    return !found;
  });
  fc.check(property, { numRuns: setup.numRuns, seed: setup.seed, endOnFailure: true });
  return { found, runs };
}

/** Like findCounterexample, but throws an Error with a readable report when a run fails. For tests. */
export function assertSimulationProperty(options: SimulationPropertyOptions): void {
  const report = findCounterexample(options);
  if (report.found) throw new Error(formatCounterexample(options.name, report));
}

/** The report people read: what failed, how small the schedule got, and how to replay it. */
export function formatCounterexample(name: string, report: Extract<CounterexampleReport, { found: true }>): string {
  const size = (s: ScheduleSize) =>
    `${s.episodes} fault episode${s.episodes === 1 ? '' : 's'} (${s.scheduledFaults} scheduled faults with undos and the final heal)`;
  const lines = [
    `property '${name}' failed after ${report.runsToFailure} run${report.runsToFailure === 1 ? '' : 's'} (fast-check seed ${report.seed}, simulation seed ${report.simulationSeed})`,
    `violation: ${report.violation}`,
    `faults: ${size(report.originalSize)} shrunk to ${size(report.shrunkSize)} in ${report.shrinks} shrink steps${report.removedAfterShrinking > 0 ? ` (${report.removedAfterShrinking} of them whole episodes removed after fast-check's)` : ''}:`,
    ...report.shrunkFaults.map(({ at, fault }) => `  at ${formatMicros(at).padEnd(8)} ${describeFault(fault)}`),
    `scenario: ${report.scenarioFile}`,
    `trace:    ${report.traceFile}`,
    `replay:   ${report.replayCommand}`,
    `view:     ${report.viewCommand}`,
  ];
  if (report.omittedInvariants.length > 0) {
    lines.push(
      `note: the scenario file cannot hold the custom invariants ${report.omittedInvariants.join(', ')} or the property's check; the trace shows the full run.`,
    );
  }
  if (!report.reproduced)
    lines.push('warning: re-running the shrunk scenario did not fail again: the run is not deterministic.');
  return lines.join('\n');
}

// --------------------------------------------------------------------------- internals

/** What running and shrinking one drawn schedule needs (shrink-schedule.ts builds one from a sweep's seed). */
export interface RunSetup {
  readonly options: SimulationPropertyOptions;
  readonly base: Scenario;
  readonly healAt: Micros;
}

interface Setup extends RunSetup {
  readonly resolved: ResolvedScenario;
  readonly arbitrary: fc.Arbitrary<Drawn>;
  readonly numRuns: number;
  readonly seed: number;
}

function prepare(options: SimulationPropertyOptions): Setup {
  if (typeof options.name !== 'string' || options.name.trim() === '')
    throw new Error('simulation property: give it a name (options.name)');
  // The generated faults replace the nemesis: a schedule drawn from the seed could not shrink.
  const { nemesis: _ignored, ...base } = options.scenario;
  const resolved = resolveScenario(base, { registry: options.registry, source: `property '${options.name}'` });
  const healAt = toMicros(options.faults.healAt);
  if (healAt >= resolved.until) {
    throw new Error(
      `property '${options.name}': faults.healAt (${formatMicros(healAt)}) must be before the scenario's end (${formatMicros(resolved.until)}) so a quiet period follows the heal`,
    );
  }
  const envRuns = typeof process !== 'undefined' ? process.env.DSIM_PROPERTY_RUNS : undefined;
  const numRuns = options.numRuns ?? (envRuns !== undefined && envRuns !== '' ? Number(envRuns) : 100);
  if (!Number.isInteger(numRuns) || numRuns < 1)
    throw new Error(
      `property '${options.name}': numRuns (or DSIM_PROPERTY_RUNS) must be a positive whole number, got ${String(numRuns)}`,
    );
  const seed = options.seed ?? Number.parseInt(hashText(options.name).slice(0, 8), 16) | 0;
  const nodes = faultedNodes(options, resolved.nodes);
  const arbitrary = fc.record<Drawn>(
    options.workload
      ? {
          seed: fc.integer({ min: 0, max: 0x7fffffff }),
          episodes: faultEpisodes({ ...options.faults, nodes }),
          workload: options.workload,
        }
      : {
          seed: fc.integer({ min: 0, max: 0x7fffffff }),
          episodes: faultEpisodes({ ...options.faults, nodes }),
        },
  );
  return { options, base, resolved, healAt, arbitrary, numRuns, seed };
}

/** The nodes faults may hit: `faults.nodes`, checked against the scenario's, or all of them. */
function faultedNodes(options: SimulationPropertyOptions, scenarioNodes: readonly NodeId[]): readonly NodeId[] {
  const chosen = options.faults.nodes;
  if (chosen === undefined) return scenarioNodes;
  if (chosen.length === 0)
    throw new Error(
      `property '${options.name}': faults.nodes is empty; name the nodes faults may hit, or leave it out`,
    );
  for (const node of chosen)
    if (!scenarioNodes.includes(node))
      throw new Error(
        `property '${options.name}': faults.nodes names '${node}', which is not a node of the scenario (${scenarioNodes.join(', ')})`,
      );
  return chosen;
}

/**
 * Drops whole episodes that the failure does not need, after fast-check has shrunk. fast-check
 * shrinks an array mostly by cutting a prefix and by shrinking each element's fields in place,
 * and in a simulation nearly every such step moves later events, so it often stops with episodes
 * that play no part, notably ones after the violation. Two passes, repeated until neither
 * removes anything:
 *   1. every episode that starts after the first violation's time, at once (an `always`
 *      violation happened before they could matter);
 *   2. each episode on its own, the latest first.
 * A smaller schedule is kept only if its run still fails (any failure, as in fast-check); one
 * that flattens to the same faults (an episode episodesToSchedule drops anyway) is kept without
 * a run. Deterministic, and bounded by the schedule: at most (n + 1)(n + 2)/2 runs for n episodes.
 */
export function removeEpisodes(setup: RunSetup, start: Drawn): { drawn: Drawn; removed: number } {
  let current = start;
  let outcome = runOnce(setup, current, 'off');
  // A counterexample that does not fail again is left alone: the replay reports the non-determinism.
  if (outcome.failure === undefined) return { drawn: start, removed: 0 };
  const flat = (drawn: Drawn) => JSON.stringify(episodesToSchedule(drawn.episodes, setup.healAt));
  const attempt = (episodes: FaultEpisode[]): boolean => {
    const candidate: Drawn = { ...current, episodes };
    if (flat(candidate) !== flat(current)) {
      const result = runOnce(setup, candidate, 'off');
      if (result.failure === undefined) return false;
      outcome = result;
    }
    current = candidate;
    return true;
  };
  for (let changed = true; changed;) {
    changed = false;
    const time = outcome.violationTime;
    if (time !== undefined && current.episodes.some((episode) => episode.at > time)) {
      changed = attempt(current.episodes.filter((episode) => episode.at <= time)) || changed;
    }
    for (let i = current.episodes.length - 1; i >= 0; i--) {
      if (attempt(current.episodes.filter((_, j) => j !== i))) changed = true;
    }
  }
  return { drawn: current, removed: start.episodes.length - current.episodes.length };
}

export function runOnce(
  setup: RunSetup,
  drawn: Drawn,
  trace: 'off' | 'memory',
): { scenario: Scenario; result?: RunResult; failure?: string; violationTime?: Micros } {
  const scenario: Scenario = {
    ...setup.base,
    seed: drawn.seed,
    faults: [...(setup.base.faults ?? []), ...episodesToSchedule(drawn.episodes, setup.healAt)],
    ...(drawn.workload ? { workload: drawn.workload } : {}),
  };
  let result: RunResult;
  try {
    result = runScenario(
      scenario,
      { registry: setup.options.registry },
      { trace, stateMode: setup.options.stateMode ?? 'mutable', maxEvents: setup.options.maxEvents },
    );
  } catch (error) {
    return {
      scenario,
      failure: `the generated scenario could not run (do scenario.faults clash with the generated ones?): ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  return {
    scenario,
    result,
    failure: describeFailure(result, setup.options.check),
    violationTime: result.violations[0]?.time,
  };
}

function describeFailure(result: RunResult, check: SimulationPropertyOptions['check']): string | undefined {
  const violation = result.violations[0];
  if (violation)
    return `${violation.invariant} (${violation.kind}) at ${formatMicros(violation.time)}: ${violation.message}`;
  if (result.endReason === 'error') return `the run ended in an error: ${result.error ?? 'no message'}`;
  if (check) {
    let verdict: true | string;
    try {
      verdict = check(result);
    } catch (error) {
      verdict = `the check threw: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (verdict !== true) return `check: ${verdict}`;
  }
  return undefined;
}

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'property'
  );
}

/**
 * A path as a POSIX shell reads it back, so the printed command runs as printed (the CLI's own
 * reproduce commands quote the same way). `npx dsim` works wherever @dsim/cli is installed, a bare
 * `dsim` only after a global install.
 */
function shellArg(text: string): string {
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(text)) return text;
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
