import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatMicros } from '@dsim/core';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * A trace as compact text, one event per line, in the style of etcd raft's testdata:
 *   `   8ms c->p1 Commit tx=1`. Deliveries are left out (a send that is not dropped is delivered);
 * drops, timers (but not the fan-out pacing timer), faults, notes, client completions and
 * violations are kept, so a diff shows a behaviour change, not noise.
 */
export function compactTrace(lines: readonly string[]): string {
  const sends = new Map<number, string>();
  const out: string[] = [];
  for (const line of lines.slice(1)) {
    const event = JSON.parse(line) as Record<string, unknown> & { t: number; k: string };
    const at = formatMicros(event.t).padStart(9);
    switch (event.k) {
      case 'send':
        sends.set(event.id as number, `${event.from}->${event.to} ${event.desc}`);
        out.push(`${at} ${event.from}->${event.to} ${event.desc}`);
        break;
      case 'drop':
        out.push(`${at} DROP ${sends.get(event.id as number) ?? `#${event.id}`} (${event.reason})`);
        break;
      case 'timer':
        if (event.name !== 'fanout') out.push(`${at} ${event.node} timer ${event.name}`);
        break;
      case 'fault':
        out.push(`${at} FAULT ${event.desc}`);
        break;
      case 'init':
        if (event.restart) out.push(`${at} ${event.node} restarts`);
        break;
      case 'note':
        out.push(`${at} ${event.node ? `${event.node}: ` : ''}${event.text}`);
        break;
      case 'invoke':
        out.push(`${at} ${event.client} invokes ${JSON.stringify((event.op as { value?: unknown }).value)}`);
        break;
      case 'complete':
        out.push(`${at} ${event.client} ${event.type}${event.error ? ` (${event.error})` : ''}`);
        break;
      case 'violation':
        out.push(`${at} VIOLATION ${event.invariant}: ${event.message}`);
        break;
      case 'end':
        out.push(`${at} END ${event.reason}`);
        break;
      default:
        break;
    }
  }
  return `${out.join('\n')}\n`;
}

/** Compares with test/golden/<name>.txt; with UPDATE_GOLDEN=1, rewrites it instead. Returns the stored text. */
export function golden(name: string, actual: string): string {
  const file = join(here, 'golden', `${name}.txt`);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return actual;
  }
  return readFileSync(file, 'utf8');
}
