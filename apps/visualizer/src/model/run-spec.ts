import type { ScheduledFault } from '@dsim/core';

/**
 * What the page URL says to run: a shipped scenario (by its path under simulations/, without
 * `.ts`) or a whole scenario as JSON, a seed, and optionally a fault schedule that replaces the
 * scenario's own explicit faults. The same inputs give the same trace hash as
 * `dsim run <scenario> --seed <seed>`.
 */
export interface RunSpec {
  readonly scenario?: string;
  readonly spec?: Readonly<Record<string, unknown>>;
  readonly seed?: number;
  readonly faults?: readonly ScheduledFault[];
  /** Where to put the replay cursor once the run is loaded (global microseconds). */
  readonly at?: number;
}

export function encodeRunSpec(run: RunSpec): string {
  const params = new URLSearchParams();
  if (run.scenario !== undefined) params.set('scenario', run.scenario);
  else if (run.spec !== undefined) params.set('spec', JSON.stringify(run.spec));
  if (run.seed !== undefined) params.set('seed', String(run.seed));
  if (run.faults !== undefined) params.set('faults', JSON.stringify(run.faults));
  if (run.at !== undefined) params.set('at', String(run.at));
  return params.toString();
}

/** Reads a run from URL parameters; undefined when the URL asks for no run; an error names the bad parameter. */
export function decodeRunSpec(search: string | URLSearchParams): RunSpec | { error: string } | undefined {
  const params = typeof search === 'string' ? new URLSearchParams(search) : search;
  const scenario = params.get('scenario');
  const specText = params.get('spec');
  if (scenario === null && specText === null) return undefined;
  let spec: Record<string, unknown> | undefined;
  if (specText !== null) {
    try {
      const value: unknown = JSON.parse(specText);
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        return { error: `URL parameter 'spec' must be a scenario object in JSON` };
      spec = value as Record<string, unknown>;
    } catch (error) {
      return { error: `URL parameter 'spec' is not valid JSON: ${(error as Error).message}` };
    }
  }
  let seed: number | undefined;
  const seedText = params.get('seed');
  if (seedText !== null) {
    if (!/^\d+$/.test(seedText) || !Number.isSafeInteger(Number(seedText)))
      return { error: `URL parameter 'seed' must be a whole number, got '${seedText}'` };
    seed = Number(seedText);
  }
  let faults: ScheduledFault[] | undefined;
  const faultsText = params.get('faults');
  if (faultsText !== null) {
    try {
      const value: unknown = JSON.parse(faultsText);
      if (!Array.isArray(value)) return { error: `URL parameter 'faults' must be a JSON list of { at, fault }` };
      faults = value as ScheduledFault[];
    } catch (error) {
      return { error: `URL parameter 'faults' is not valid JSON: ${(error as Error).message}` };
    }
  }
  let at: number | undefined;
  const atText = params.get('at');
  if (atText !== null) {
    if (!/^\d+$/.test(atText) || !Number.isSafeInteger(Number(atText)))
      return { error: `URL parameter 'at' must be a whole number of microseconds, got '${atText.slice(0, 40)}'` };
    at = Number(atText);
  }
  return {
    ...(scenario !== null ? { scenario } : { spec }),
    ...(seed !== undefined ? { seed } : {}),
    ...(faults !== undefined ? { faults } : {}),
    ...(at !== undefined ? { at } : {}),
  };
}

/** The scenario object a run executes: the base scenario with the fault override applied. */
export function scenarioFor(base: Readonly<Record<string, unknown>>, run: RunSpec): Record<string, unknown> {
  return run.faults === undefined ? { ...base } : { ...base, faults: run.faults };
}

/**
 * A fork: the same scenario and seed with one more fault at `at`. Faults at the same time keep
 * their written order, and the new fault goes after the ones already there, so everything before
 * `at` replays identically (the kernel is deterministic and the fault consumes no randomness
 * before it fires).
 */
export function forkFaults(
  existing: readonly ScheduledFault[],
  at: number,
  fault: ScheduledFault['fault'],
): ScheduledFault[] {
  return [...existing, { at, fault }];
}
