/**
 * Simulated time. Every instant and duration in dsim is an integer number of microseconds:
 * never a float, never wall-clock time.
 */
export type Micros = number;

/** A duration as written by a user: integer microseconds, or a string such as '150ms', '2s', '1.5m'. */
export type Duration = Micros | string;

const UNIT_MICROS: Readonly<Record<string, number>> = {
  us: 1,
  µs: 1,
  ms: 1_000,
  s: 1_000_000,
  m: 60_000_000,
  h: 3_600_000_000,
};

export const DURATION_PATTERN = /^\s*(-?\d+(?:\.\d+)?)\s*(us|µs|ms|s|m|h)\s*$/;

/**
 * Parses a duration into integer microseconds. Returns an error message (not a throw) so that
 * scenario validation can name the field that held the bad value.
 */
export function parseDuration(value: unknown): Micros | { error: string } {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { error: `${value} is not a finite number of microseconds` };
    if (!Number.isInteger(value)) {
      return {
        error: `${value} is not a whole number of microseconds (write '${value}us' as an integer, or use a unit such as '5ms')`,
      };
    }
    return value;
  }
  if (typeof value === 'string') {
    const match = DURATION_PATTERN.exec(value);
    if (!match)
      return {
        error: `'${clip(value)}' is not a duration: use an integer of microseconds or a number with a unit (us, ms, s, m, h), e.g. '150ms'`,
      };
    const micros = Number(match[1]) * (UNIT_MICROS[match[2]!] ?? 1);
    const rounded = Math.round(micros);
    if (!Number.isSafeInteger(rounded))
      return { error: `'${clip(value)}' is more microseconds than a number holds exactly` };
    // Only the error of decimal arithmetic ('1.1ms' is 1100.0000000000002) is rounded away: '1.0000001us' is refused.
    if (Math.abs(rounded - micros) > 1e-9 * Math.max(1, Math.abs(micros)))
      return { error: `'${value}' is finer than one microsecond` };
    return rounded;
  }
  return { error: `expected a duration (microseconds or a string like '150ms'), got ${describeValue(value)}` };
}

/** Parses a duration, throwing a plain Error when it is invalid (for code paths that were validated already). */
export function toMicros(value: Duration): Micros {
  const parsed = parseDuration(value);
  if (typeof parsed !== 'number') throw new Error(parsed.error);
  return parsed;
}

/** Formats microseconds for people: 1500 → '1.5ms', 2_000_000 → '2s'. */
export function formatMicros(micros: Micros): string {
  const sign = micros < 0 ? '-' : '';
  const abs = Math.abs(micros);
  if (abs >= 3_600_000_000 && abs % 3_600_000_000 === 0) return `${sign}${abs / 3_600_000_000}h`;
  if (abs >= 600_000_000 && abs % 60_000_000 === 0) return `${sign}${abs / 60_000_000}m`;
  if (abs >= 1_000_000) return `${sign}${trim(abs / 1_000_000)}s`;
  if (abs >= 1_000) return `${sign}${trim(abs / 1_000)}ms`;
  return `${sign}${abs}us`;
}

function trim(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

/** A value in a message: short (a 10 MB string is not echoed back) and never throwing (BigInt, cycles). */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string '${clip(value)}'`;
  if (typeof value === 'number') return `number ${String(value)}`;
  if (typeof value === 'bigint') return `bigint ${String(value)}n`;
  try {
    return `${typeof value} ${clip(JSON.stringify(value) ?? String(value))}`;
  } catch {
    return `an unprintable ${typeof value}`;
  }
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
