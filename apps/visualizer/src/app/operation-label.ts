/**
 * Client operations and their results as people write them, not as JSON:
 * `put k0 = c1.1`, `transfer p1/a0 → p2/a0 amount 10 fee 1 feeTo p3/a0`, `→ tx 1`.
 */
export function operationLabel(op: unknown, max = 48): string {
  if (typeof op !== 'object' || op === null || Array.isArray(op)) return shorten(plain(op), max);
  const { f, key, value, ...rest } = op as Record<string, unknown>;
  const parts: string[] = [];
  if (f !== undefined) parts.push(plain(f));
  if (key !== undefined) parts.push(plain(key));
  if (value !== undefined) parts.push(key !== undefined && isScalar(value) ? `= ${plain(value)}` : plain(value));
  if (Object.keys(rest).length) parts.push(plain(rest));
  return shorten(parts.join(' '), max);
}

/** A completion's value: `→ 3`, `→ tx 1`, or the outcome when there is no value. */
export function resultLabel(type: string, value: unknown, max = 24): string {
  if (type !== 'ok') return type;
  return value === undefined ? '✓' : `→ ${shorten(plain(value), max)}`;
}

function isScalar(value: unknown): boolean {
  return value === null || typeof value !== 'object';
}

/** Objects as `field value` pairs, with `from`/`to` pairs as arrows; lists comma-separated; strings unquoted. */
function plain(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `[${value.map(plain).join(', ')}]`;
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  const { from, to, ...rest } = record;
  if (from !== undefined && to !== undefined && isScalar(from) && isScalar(to))
    parts.push(`${plain(from)} → ${plain(to)}`);
  else Object.assign(rest, from === undefined ? {} : { from }, to === undefined ? {} : { to });
  for (const [field, inner] of Object.entries(rest))
    parts.push(isScalar(inner) ? `${field} ${plain(inner)}` : `${field} (${plain(inner)})`);
  return parts.join(' ');
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
