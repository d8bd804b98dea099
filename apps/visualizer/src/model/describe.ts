import type { TraceEvent } from '@dsim/core';

/** Time for people, with microsecond precision kept where it matters: '12.345678s', '3.2ms', '850us'. */
export function formatTime(micros: number): string {
  const sign = micros < 0 ? '-' : '';
  const abs = Math.abs(micros);
  if (abs >= 1_000_000) return `${sign}${(abs / 1_000_000).toFixed(6).replace(/\.?0+$/, '')}s`;
  if (abs >= 1_000) return `${sign}${(abs / 1_000).toFixed(3).replace(/\.?0+$/, '')}ms`;
  return `${sign}${abs}us`;
}

/**
 * A whole number with its thousands grouped as 'en-US' writes them ('66,559'), without the
 * browser's locale data: the first toLocaleString of a page loads it, tens of milliseconds spent
 * while the first picture waits.
 */
export function formatCount(count: number): string {
  const whole = Math.round(count);
  const digits = String(Math.abs(whole));
  let grouped = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = grouped.length; i < digits.length; i += 3) grouped += `,${digits.slice(i, i + 3)}`;
  return whole < 0 ? `-${grouped}` : grouped;
}

/** A compact duration for axis ticks and badges: '1.5s', '20ms', '+120ms'. */
export function formatDuration(micros: number, signed = false): string {
  const sign = micros < 0 ? '−' : signed ? '+' : '';
  const abs = Math.abs(micros);
  const trim = (value: number) => String(Math.round(value * 100) / 100);
  if (abs >= 1_000_000) return `${sign}${trim(abs / 1_000_000)}s`;
  if (abs >= 1_000) return `${sign}${trim(abs / 1_000)}ms`;
  return `${sign}${Math.round(abs)}us`;
}

/** A value in one short line. */
export function brief(value: unknown, max = 60): string {
  if (value === undefined) return '';
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** One line per event, as the event log and the status line show it. */
export function describeEvent(event: TraceEvent): string {
  switch (event.k) {
    case 'init':
      return `${event.node} ${event.restart ? 'restarts' : 'starts'}`;
    case 'send':
      return `${event.from} → ${event.to}  ${event.desc}  (#${event.id} sent)`;
    case 'deliver':
      return `${event.from} → ${event.to}  #${event.id} delivered${event.dup ? ' (duplicate)' : ''}`;
    case 'drop':
      return `${event.from} → ${event.to}  #${event.id} dropped: ${event.reason}`;
    case 'timer':
      return `${event.node} timer '${event.name}' fires`;
    case 'request':
      return `${event.node} receives ${event.client}'s request ${event.req}`;
    case 'invoke':
      return `${event.client} invokes ${describeOperation(event.op)} on ${event.node}`;
    case 'complete':
      return `${event.client} ${event.req} → ${event.type}${event.value !== undefined ? ` ${brief(event.value, 40)}` : ''}${event.error ? ` (${event.error})` : ''}`;
    case 'fault':
      return `fault: ${event.desc}`;
    case 'clock':
      return `${event.node} clock offset ${formatDuration(event.offset, true)}, drift ${event.driftPpm}ppm`;
    case 'state':
      return `${event.node} is ${event.summary?.role ?? '?'}${summaryTail(event.summary)}`;
    case 'view':
      return `${event.node} view${event.role !== undefined ? `: ${event.role}` : ''} (${viewParts(event).join(', ')} changed)`;
    case 'note':
      return `${event.node ? `${event.node}: ` : ''}${event.text}`;
    case 'violation':
      return `VIOLATION ${event.invariant}: ${event.message}`;
    case 'error':
      return `ERROR ${event.node ? `${event.node}: ` : ''}${event.message}`;
    case 'end':
      return `end of run (${event.reason})`;
  }
}

export function describeOperation(op: unknown): string {
  if (typeof op !== 'object' || op === null) return brief(op, 40);
  const { f, key, value } = op as { f?: unknown; key?: unknown; value?: unknown };
  return [f, key, value === undefined ? undefined : brief(value, 24)]
    .filter((part) => part !== undefined && part !== '')
    .join(' ');
}

function summaryTail(summary: Record<string, unknown> | undefined): string {
  if (!summary) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(summary)) {
    if (key === 'role' || value === '' || value === undefined) continue;
    parts.push(`${key}=${brief(value, 20)}`);
    if (parts.length >= 3) break;
  }
  return parts.length ? ` (${parts.join(' ')})` : '';
}

/** Which parts of a node's view a view line changes. */
function viewParts(event: Extract<TraceEvent, { k: 'view' }>): string[] {
  const parts = (['role', 'badges', 'logs', 'fields', 'tables', 'edges'] as const).filter(
    (part) => event[part] !== undefined,
  );
  return parts.length ? [...parts] : ['nothing'];
}
