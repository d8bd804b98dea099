import type { RunResult } from '../kernel/run-types.ts';
import type { Scenario } from './schema.ts';
import { applySwarm, drawSwarm, type SwarmDraw, type SwarmRanges } from './swarm.ts';

/**
 * A seed family: a function from a seed (and a few named options) to a scenario, so a sweep can
 * run thousands of different runs of one kind (TigerBeetle's VOPR draws its whole run from one
 * seed the same way). Families are data a protocol package exports; `dsim sweep --family` runs
 * them and `dsim run --family ... --seed N` replays one.
 */
export interface SeedFamily {
  /** One line for `dsim list` and the sweep header. */
  readonly description: string;
  /** The options the family takes, by name: each becomes a `--name` flag of `dsim sweep` and `dsim run`. */
  readonly options?: Readonly<Record<string, FamilyOption>>;
  /** The scenario of one seed: pure data derived from the seed, the options and the bug switches to turn on. */
  scenario(seed: number, options: FamilyOptionValues): Scenario;
  /** What a sweep measures per seed beyond the verdict, and how it prints the totals. */
  readonly measure?: FamilyMeasure;
  /** The ranges `--swarm` draws each seed's fault kinds and knobs from (see SwarmRanges). */
  readonly swarm?: SwarmRanges;
}

/**
 * An option of a family. `integer` and `choice` options accept a comma-separated list on the
 * command line (`--nodes 5,7`): the sweep then runs every seed once per value. A `list` option's
 * commas separate the items of its one value (`--kinds crash,partition`).
 */
export type FamilyOption =
  | {
      readonly type: 'integer';
      readonly description: string;
      readonly default: number;
      readonly min?: number;
      /** Default: the largest safe integer; the scenario's own limits (LIMITS) still apply. */
      readonly max?: number;
    }
  | {
      readonly type: 'choice';
      readonly description: string;
      readonly default: string;
      readonly values: readonly string[];
    }
  | {
      readonly type: 'list';
      readonly description: string;
      readonly default: readonly string[];
      readonly values: readonly string[];
    };

export type FamilyOptionValue = number | string | readonly string[];

/** The options of one run: every declared option (its default when not given), and the bug switches. */
export interface FamilyOptionValues {
  readonly [name: string]: FamilyOptionValue | undefined;
  readonly bugs: readonly string[];
}

/**
 * Per-seed measurements: `instrument` may add probes to the scenario before the run (a probe must
 * not change the run) and returns how to read the finished run as named numbers; `report` prints
 * the totals a sweep keeps for each number: the sum, the largest value and how many seeds had a
 * non-zero value.
 */
export interface FamilyMeasure {
  instrument(scenario: Scenario): { readonly scenario: Scenario; read(result: RunResult): Record<string, number> };
  report(totals: MeasureTotals): readonly string[];
}

export interface MeasureTotals {
  readonly runs: number;
  readonly sum: Readonly<Record<string, number>>;
  readonly max: Readonly<Record<string, number>>;
  readonly nonZero: Readonly<Record<string, number>>;
}

/** Identity with type checking, like defineScenario. */
export function defineSeedFamily<F extends SeedFamily>(family: F): F {
  return family;
}

/** Every declared option at its default, then the given values over them, and the bug switches. */
export function familyOptions(
  family: SeedFamily,
  given: Readonly<Record<string, FamilyOptionValue>> = {},
  bugs: readonly string[] = [],
): FamilyOptionValues {
  const values: Record<string, FamilyOptionValue> = {};
  for (const [name, option] of Object.entries(family.options ?? {})) values[name] = given[name] ?? option.default;
  for (const name of Object.keys(given)) {
    if (!(name in values)) {
      const known = Object.keys(family.options ?? {});
      throw new Error(
        `unknown family option '${name}'${known.length ? `: this family takes ${known.join(', ')}` : ': this family takes none'}`,
      );
    }
  }
  return { ...values, bugs };
}

/**
 * The scenario of one seed, with `--swarm` its drawn configuration over the family's choices
 * (the cluster size through the family's `nodes` option when it has one). Throws when swarm is
 * asked of a family that declares no ranges.
 */
export function familyScenario(
  family: SeedFamily,
  seed: number,
  options: FamilyOptionValues,
  swarm = false,
): { readonly scenario: Scenario; readonly swarm?: SwarmDraw } {
  if (!swarm) return { scenario: family.scenario(seed, options) };
  if (!family.swarm) throw new Error(`this family declares no swarm ranges: run it without --swarm`);
  const draw = drawSwarm(family.swarm, seed);
  const viaOption = draw.nodes !== undefined && family.options?.nodes?.type === 'integer';
  const drawnOptions: Record<string, FamilyOptionValue> = {};
  for (const [name, value] of Object.entries(draw.options ?? {})) {
    const option = family.options?.[name];
    const fits =
      option?.type === 'choice'
        ? typeof value === 'string' && option.values.includes(value)
        : option?.type === 'integer' && typeof value === 'number';
    if (!fits)
      throw new Error(
        `swarm.options.${name}: ${option ? `draw values the family's option '${name}' takes` : `the family has no option '${name}'; declare it in the family's options`}`,
      );
    drawnOptions[name] = value as FamilyOptionValue;
  }
  const scenario = family.scenario(seed, {
    ...options,
    ...drawnOptions,
    ...(viaOption ? { nodes: draw.nodes } : {}),
  });
  return { scenario: applySwarm(scenario, draw), swarm: draw };
}
