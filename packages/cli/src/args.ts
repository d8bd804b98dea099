import { UsageError } from './errors.ts';

export interface FlagSpec {
  /** Takes a value (`--seed 7`); otherwise a boolean switch. */
  readonly value?: boolean;
  readonly short?: string;
  readonly description: string;
  readonly placeholder?: string;
}

export interface ParsedArgs {
  readonly positional: string[];
  readonly flags: Record<string, string | boolean>;
}

/**
 * A small, strict argument parser: unknown flags are errors that list the known ones, so a typo
 * never silently changes what runs.
 */
export function parseArgs(
  args: readonly string[],
  spec: Readonly<Record<string, FlagSpec>>,
  command: string,
): ParsedArgs {
  const positional: string[] = [];
  const flags: Record<string, string | boolean> = {};
  const byShort = new Map(
    Object.entries(spec)
      .filter(([, flag]) => flag.short)
      .map(([name, flag]) => [flag.short!, name]),
  );
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    let name: string;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq === -1 ? undefined : arg.slice(eq + 1);
    } else {
      const long = byShort.get(arg.slice(1));
      if (!long) throw new UsageError(`dsim ${command}: unknown option '${arg}'. ${knownFlags(spec)}`);
      name = long;
    }
    const flag = spec[name];
    if (!flag) throw new UsageError(`dsim ${command}: unknown option '--${name}'. ${knownFlags(spec)}`);
    if (flag.value) {
      const value = inline ?? args[++i];
      if (value === undefined || (inline === undefined && value.startsWith('--')))
        throw new UsageError(`dsim ${command}: option '--${name}' needs a value (${flag.placeholder ?? 'value'})`);
      flags[name] = value;
    } else {
      if (inline !== undefined) throw new UsageError(`dsim ${command}: option '--${name}' takes no value`);
      flags[name] = true;
    }
  }
  return { positional, flags };
}

function knownFlags(spec: Readonly<Record<string, FlagSpec>>): string {
  return `Known options: ${Object.keys(spec)
    .map((name) => `--${name}`)
    .join(', ')}`;
}

export function formatFlags(spec: Readonly<Record<string, FlagSpec>>): string {
  const rows = Object.entries(spec).map(([name, flag]) => {
    const left = `${flag.short ? `-${flag.short}, ` : '    '}--${name}${flag.value ? ` <${flag.placeholder ?? 'value'}>` : ''}`;
    return [left, flag.description] as const;
  });
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, description]) => `  ${left.padEnd(width)}  ${description}`).join('\n');
}

/** Parses a non-negative integer flag, naming the flag in the error. */
export function integerFlag(value: string | boolean | undefined, name: string, command: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`dsim ${command}: --${name} must be a non-negative whole number, got '${String(value)}'`);
  }
  return Number(value);
}
