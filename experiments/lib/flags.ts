/**
 * The experiments' argument parser: `--name value` for the names in `valued`, `--name` for the
 * switches, anything else is an error naming the known flags. Positional arguments are returned
 * in order.
 */
export function parseFlags(
  args: readonly string[],
  valued: readonly string[],
  switches: readonly string[] = [],
): {
  readonly values: Readonly<Record<string, string>>;
  readonly on: ReadonlySet<string>;
  readonly positional: string[];
} {
  const values: Record<string, string> = {};
  const on = new Set<string>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const name = arg.slice(2);
    if (switches.includes(name)) on.add(name);
    else if (valued.includes(name)) {
      const value = args[++i];
      if (value === undefined || value.startsWith('--')) throw new Error(`--${name} needs a value`);
      values[name] = value;
    } else {
      const known = [...valued, ...switches].map((flag) => `--${flag}`).join(', ');
      throw new Error(`unknown option '${arg}'; known: ${known || 'none'}`);
    }
  }
  return { values, on, positional };
}

/** A whole number flag, or the default; anything else is an error naming the flag. */
export function wholeNumber(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new Error(`--${name} must be a whole number, got '${value}'`);
  return Number(value);
}
