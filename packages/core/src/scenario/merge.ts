import { FORBIDDEN_KEYS } from './limits.ts';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Merges plain objects recursively; arrays and other values in `override` replace. */
export function deepMerge(base: unknown, override: unknown): unknown {
  if (!isRecord(base) || !isRecord(override)) return override === undefined ? base : override;
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    // A JSON '__proto__' key is an own key; assigned, it would replace the result's prototype.
    if (FORBIDDEN_KEYS.has(key)) continue;
    result[key] = deepMerge(Object.hasOwn(base, key) ? base[key] : undefined, value);
  }
  return result;
}
