import {
  familyOptions,
  type FamilyOptionValue,
  type FamilyOptionValues,
  type MeasureTotals,
  type SeedFamily,
} from '@dsim/core';
import { families } from '@dsim/registry';
import type { FlagSpec, ParsedArgs } from './args.ts';
import { UsageError } from './errors.ts';

/** The `--family` value in raw arguments, before the full parse (a family's options are flags too). */
export function familyNameIn(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return undefined;
    if (arg === '--family') return args[i + 1];
    if (arg.startsWith('--family=')) return arg.slice('--family='.length);
  }
  return undefined;
}

export function findFamily(name: string, command: string): SeedFamily {
  const family = families[name];
  if (!family)
    throw new UsageError(
      `dsim ${command}: no seed family '${name}'. Families: ${Object.keys(families).join(', ')} (see 'dsim list')`,
    );
  return family;
}

/** The flags a family adds to a command: one per option, and `--bug`. */
export function familyFlags(family: SeedFamily, command: 'run' | 'sweep'): Record<string, FlagSpec> {
  const flags: Record<string, FlagSpec> = {};
  for (const [name, option] of Object.entries(family.options ?? {})) {
    const values = option.type === 'integer' ? 'n' : option.values.join('|');
    const axis =
      command === 'sweep' && option.type !== 'list' ? '; a comma-separated list runs every seed once per value' : '';
    const fallback = Array.isArray(option.default) ? option.default.join(',') : String(option.default);
    flags[name] = {
      value: true,
      placeholder: option.type === 'list' ? `${values},...` : values,
      description: `${option.description} (default ${fallback})${axis}`,
    };
  }
  flags.bug = { value: true, placeholder: 'name,...', description: 'bug switches to turn on' };
  return flags;
}

/**
 * The option sets a command line asks for: the cartesian product of the comma-separated values of
 * integer and choice options (`--nodes 5,7`), each completed with the defaults. `run` allows one.
 */
export function familyCases(
  family: SeedFamily,
  flags: ParsedArgs['flags'],
  command: 'run' | 'sweep',
): FamilyOptionValues[] {
  const bugs = typeof flags.bug === 'string' ? flags.bug.split(',').filter(Boolean) : [];
  let cases: Array<Record<string, FamilyOptionValue>> = [{}];
  for (const [name, option] of Object.entries(family.options ?? {})) {
    const text = flags[name];
    if (typeof text !== 'string') continue;
    const items = text.split(',').map((item) => item.trim());
    let values: FamilyOptionValue[];
    if (option.type === 'list') {
      for (const item of items) checkChoice(command, name, item, option.values);
      values = [items];
    } else if (option.type === 'choice') {
      for (const item of items) checkChoice(command, name, item, option.values);
      values = items;
    } else {
      values = items.map((item) => {
        const min = option.min ?? 0;
        const max = option.max ?? Number.MAX_SAFE_INTEGER;
        if (!/^\d+$/.test(item) || Number(item) < min || Number(item) > max)
          throw new UsageError(
            `dsim ${command}: --${name} takes whole numbers from ${min} to ${max}, got '${item.length > 40 ? `${item.slice(0, 40)}…` : item}'`,
          );
        return Number(item);
      });
    }
    if (command === 'run' && values.length > 1)
      throw new UsageError(`dsim run: --${name} takes one value (dsim sweep runs several: --${name} ${text})`);
    cases = cases.flatMap((partial) => values.map((value) => ({ ...partial, [name]: value })));
  }
  return cases.map((given) => familyOptions(family, given, bugs));
}

function checkChoice(command: string, name: string, item: string, values: readonly string[]): void {
  if (!values.includes(item))
    throw new UsageError(`dsim ${command}: --${name} must be one of ${values.join(', ')}, got '${item}'`);
}

/** The flags that select one case again: every option given on the command line, with this case's value, and the bugs. */
export function familyCaseFlags(family: SeedFamily, flags: ParsedArgs['flags'], options: FamilyOptionValues): string {
  const parts: string[] = [];
  for (const name of Object.keys(family.options ?? {})) {
    if (typeof flags[name] !== 'string') continue;
    const value = options[name]!;
    parts.push(`--${name} ${Array.isArray(value) ? value.join(',') : String(value)}`);
  }
  if (options.bugs.length > 0) parts.push(`--bug ${options.bugs.join(',')}`);
  return parts.join(' ');
}

/** A case's options in a few words, for the sweep's list of failing seeds: 'nodes=7'. */
export function describeCase(family: SeedFamily, flags: ParsedArgs['flags'], options: FamilyOptionValues): string {
  return Object.keys(family.options ?? {})
    .filter((name) => typeof flags[name] === 'string' && String(flags[name]).includes(','))
    .map((name) => `${name}=${String(options[name])}`)
    .join(' ');
}

/** Per measurement: the sum over runs, the largest value, and how many runs had a non-zero value. */
export function measureTotals(runs: ReadonlyArray<Readonly<Record<string, number>> | undefined>): MeasureTotals {
  const sum: Record<string, number> = {};
  const max: Record<string, number> = {};
  const nonZero: Record<string, number> = {};
  for (const measures of runs) {
    for (const [name, value] of Object.entries(measures ?? {})) {
      sum[name] = (sum[name] ?? 0) + value;
      max[name] = Math.max(max[name] ?? value, value);
      nonZero[name] = (nonZero[name] ?? 0) + (value !== 0 ? 1 : 0);
    }
  }
  return { runs: runs.length, sum, max, nonZero };
}
