import { FORBIDDEN_KEYS, LIMITS } from './limits.ts';
import type { ScenarioIssue } from './schema.ts';

/**
 * A scenario is plain data: what a JSON file can hold, plus functions and protocol or invariant
 * objects in a `.ts` file. This takes a copy of it, reading every value exactly once, so that
 * what a `.ts` scenario can hand over and JSON cannot (a cycle, a getter that throws, a BigInt,
 * NaN, a class instance, nesting deep enough to overflow the stack when the trace header is
 * written) becomes an issue naming its field instead of a stack trace from deep in the kernel,
 * and keys that reach a prototype (`__proto__`, `constructor`, `prototype`) never get merged.
 * The copy has bounded depth, so the recursion here is bounded too.
 */
export function copyPlainData(
  input: Readonly<Record<string, unknown>>,
  keepAsIs: (path: string, value: unknown) => boolean,
): { copy: Record<string, unknown>; issues: ScenarioIssue[] } {
  const issues: ScenarioIssue[] = [];
  const copies = new Map<object, unknown>();
  const ancestors = new Map<object, string>();
  let values = 0;
  const fail = (path: string, message: string) => {
    issues.push({ path, message });
  };

  const copy = (value: unknown, path: string, depth: number): unknown => {
    if (++values === LIMITS.values + 1)
      fail(
        path,
        `the scenario holds more than ${LIMITS.values.toLocaleString('en-US')} values; a scenario is settings, not data`,
      );
    switch (typeof value) {
      case 'number':
        if (!Number.isFinite(value)) fail(path, `must be a finite number, got ${String(value)}`);
        return value;
      case 'string':
        if (value.length > LIMITS.stringLength)
          fail(
            path,
            `a string of ${value.length.toLocaleString('en-US')} characters is longer than the ${LIMITS.stringLength.toLocaleString('en-US')} allowed`,
          );
        return value;
      case 'bigint':
        fail(path, `must be a number, not a BigInt (write ${String(value)} without the 'n')`);
        return undefined;
      case 'symbol':
        fail(path, 'must be plain data, not a Symbol');
        return undefined;
      case 'object':
        break;
      default:
        // undefined, booleans and functions are kept as they are.
        return value;
    }
    if (value === null) return null;
    if (keepAsIs(path, value)) return value;
    const ancestor = ancestors.get(value);
    if (ancestor !== undefined) {
      fail(
        path,
        `refers back to ${ancestor || 'the scenario itself'}: a cycle; a scenario must be plain data (a tree)`,
      );
      return undefined;
    }
    if (copies.has(value)) return copies.get(value);
    if (depth >= LIMITS.depth) {
      fail(
        shorten(path),
        `nests deeper than ${LIMITS.depth} levels of objects and arrays; a scenario is settings: flatten this value`,
      );
      return undefined;
    }
    const result = guarded(path, fail, () => {
      if (Array.isArray(value)) return copyArray(value, path, depth);
      const prototype = Object.getPrototypeOf(value) as unknown;
      if (prototype !== Object.prototype && prototype !== null) {
        const kind = (value as { constructor?: { name?: unknown } }).constructor?.name;
        fail(
          path,
          `must be plain data (an object, array, string, number or boolean), got ${typeof kind === 'string' && kind ? `a ${kind}` : 'an object with a prototype'}`,
        );
        return undefined;
      }
      return copyRecord(value as Record<string, unknown>, path, depth);
    });
    copies.set(value, result);
    return result;
  };

  const copyArray = (array: readonly unknown[], path: string, depth: number): unknown[] => {
    ancestors.set(array, path);
    const length = array.length;
    const out: unknown[] = [];
    for (let i = 0; i < length && issues.length <= MAX_ISSUES; i++) {
      const at = `${path}[${i}]`;
      out.push(guarded(at, fail, () => copy(array[i], at, depth + 1)));
    }
    ancestors.delete(array);
    return out;
  };

  const copyRecord = (record: Record<string, unknown>, path: string, depth: number): Record<string, unknown> => {
    ancestors.set(record, path);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(record)) {
      if (issues.length > MAX_ISSUES) break;
      const at = path ? `${path}.${key}` : key;
      if (FORBIDDEN_KEYS.has(key)) {
        fail(at, `'${key}' cannot be a key: merged into defaults it would reach the object's prototype; remove it`);
        continue;
      }
      out[key] = guarded(at, fail, () => copy(record[key], at, depth + 1));
    }
    ancestors.delete(record);
    return out;
  };

  const copied = guarded('', fail, () => copyRecord(input as Record<string, unknown>, '', 0)) ?? {};
  return { copy: copied, issues };
}

/** Past this many problems the rest are noise: a scenario with a million bad values gets a readable message. */
const MAX_ISSUES = 50;

/** Runs `read`, turning anything it throws (a getter, a proxy trap) into an issue at `path`. */
function guarded<T>(path: string, fail: (path: string, message: string) => void, read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    fail(path, `reading this value threw: ${errorText(error)}`);
    return undefined;
  }
}

/** A thrown value as text, whatever it is (a string, an Error, a Symbol, an object whose toString throws). */
export function errorText(error: unknown): string {
  try {
    const text = error instanceof Error ? error.message : String(error);
    return text.length > 200 ? `${text.slice(0, 200)}…` : text;
  } catch {
    return 'a value that cannot be printed';
  }
}

/** A path 64 levels deep is unreadable: keep its two ends. */
function shorten(path: string): string {
  return path.length > 120 ? `${path.slice(0, 50)}…${path.slice(-50)}` : path;
}
