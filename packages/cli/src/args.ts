import { parseArgs as parseNodeArgs, type ParseArgsConfig } from 'node:util';
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
 * Every command's parser: Node's `util.parseArgs` splits the arguments (long and short options,
 * `--name=value`, short groups, `--`), and the checks here turn its tokens into errors that name
 * the flag and the fix. Unknown flags are errors that suggest the closest known one and list them
 * all, so a typo never silently changes what runs.
 */
export function parseArgs(
  args: readonly string[],
  spec: Readonly<Record<string, FlagSpec>>,
  command: string,
): ParsedArgs {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, flag] of Object.entries(spec))
    options[name] = { type: flag.value ? 'string' : 'boolean', ...(flag.short ? { short: flag.short } : {}) };
  // Not strict: unknown flags and missing values come back as tokens, so the messages are ours.
  const { tokens } = parseNodeArgs({ args: [...args], options, strict: false, allowPositionals: true, tokens: true });
  const positional: string[] = [];
  const flags: Record<string, string | boolean> = {};
  for (const token of tokens) {
    if (token.kind === 'positional') {
      positional.push(token.value);
      continue;
    }
    if (token.kind !== 'option') continue;
    const flag = Object.hasOwn(spec, token.name) ? spec[token.name] : undefined;
    if (!flag) throw new UsageError(`dsim ${command}: ${unknownOption(token.rawName, spec)}`);
    if (flag.value) {
      // parseArgs takes the next argument whatever it is; `--seed --out x` means a forgotten value.
      if (token.value === undefined || (!token.inlineValue && token.value.startsWith('--')))
        throw new UsageError(
          `dsim ${command}: option '--${token.name}' needs a value: --${token.name} <${flag.placeholder ?? 'value'}>`,
        );
      flags[token.name] = token.value;
    } else {
      if (token.value !== undefined)
        throw new UsageError(`dsim ${command}: option '--${token.name}' takes no value (give '--${token.name}' alone)`);
      flags[token.name] = true;
    }
  }
  return { positional, flags };
}

function unknownOption(raw: string, spec: Readonly<Record<string, FlagSpec>>): string {
  const known = Object.keys(spec);
  const suggestion = raw.startsWith('--') ? closest(raw.slice(2), known) : undefined;
  return `unknown option '${raw}'.${suggestion ? ` Did you mean '--${suggestion}'?` : ''} Known options: ${known
    .map((name) => `--${name}`)
    .join(', ')}`;
}

/**
 * The candidate nearest to a mistyped name by edit distance, if it is near enough to be the one
 * meant: at most a third of the name's letters wrong (at least one, at most three).
 */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  const limit = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Damerau–Levenshtein distance (optimal string alignment): a swapped pair of letters counts once. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = value;
    }
  return rows[a.length]![b.length]!;
}

/** The options section of a command's --help, from the same table the parser reads. */
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
