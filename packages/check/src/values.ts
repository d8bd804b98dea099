/**
 * Value identity for checkers. Histories carry JSON values (numbers, strings, null, arrays,
 * objects); two values are the same when their canonical JSON is the same, so `[1, 2]` read back
 * from a node equals the `[1, 2]` that was written even though they are different objects.
 */
export function canonicalKey(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  // A string is its own key (a Map tells the string '1' from the number 1), so a state that is
  // the very string a write carried hashes once; other values get a prefix no string key has:
  // '\u0001j' + canonical JSON, and a string that itself starts with '\u0001' gets '\u0001s'.
  if (typeof value === 'string') return value.charCodeAt(0) === 1 ? `\u0001s${value}` : value;
  return `\u0001j${canonicalJson(value)}`;
}

export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || a === undefined) return b === null || b === undefined;
  if (typeof a !== 'object' || typeof b !== 'object' || b === null) return false;
  return canonicalJson(a) === canonicalJson(b);
}

/** JSON with object keys sorted, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  return `{${Object.keys(record)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`)
    .join(',')}}`;
}

/** A short rendering for messages: strings quoted, null as nil-free 'null'. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  return canonicalJson(value);
}
