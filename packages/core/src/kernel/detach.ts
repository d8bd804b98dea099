/**
 * Copies a value out of an immer draft. Messages and notes must not hold drafts: a draft is
 * revoked when its handler returns, and later mutations would leak between nodes.
 */
export function detach(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  return copyPlain(value);
}

function copyPlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyPlain);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, copyPlain(v)]));
  if (value instanceof Set) return new Set([...value].map(copyPlain));
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(value)) result[key] = copyPlain((value as Record<string, unknown>)[key]);
  return result;
}
