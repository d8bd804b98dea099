import type { History, HistoryEntry } from '@dsim/core';
import type { HistoryRecord } from './operations.ts';

/**
 * dsim's own history files: a JSON array of HistoryEntry, or JSON Lines (one entry per line,
 * what `dsim` streams). Entries are validated field by field, and every error names the entry
 * (and line, for JSON Lines) and the fix. Entries are reindexed by position.
 */
export class HistoryFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HistoryFormatError';
  }
}

const TYPES = new Set(['invoke', 'ok', 'fail', 'info']);

export function historyFromJson(text: string, options: { readonly source?: string } = {}): History {
  const prefix = options.source ? `${options.source}: ` : '';
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new HistoryFormatError(`${prefix}not valid JSON: ${(error as Error).message}`);
    }
    if (!Array.isArray(parsed)) throw new HistoryFormatError(`${prefix}expected a JSON array of history entries`);
    return parsed.map((value, i) => entryOf(recordFromJson(value, `${prefix}entry ${i}`), i));
  }
  const history: HistoryEntry[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new HistoryFormatError(
        `${prefix}line ${i + 1}: not valid JSON (${(error as Error).message}); a JSON Lines history has one entry object per line`,
      );
    }
    history.push(entryOf(recordFromJson(value, `${prefix}line ${i + 1}`), history.length));
  });
  return history;
}

function entryOf(record: HistoryRecord, index: number): HistoryEntry {
  const { time, ...rest } = record;
  return { index, ...rest, time: time ?? index } as unknown as HistoryEntry;
}

/**
 * One JSON history entry, validated field by field, as a record; `where` (the entry or line) starts
 * every error, which names the field and the fix.
 */
export function recordFromJson(value: unknown, where: string, line?: number): HistoryRecord {
  const fail = (problem: string): never => {
    throw new HistoryFormatError(`${where}: ${problem}`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail(
      `expected an entry object like {"process":0,"type":"invoke","f":"read","time":0}, got ${JSON.stringify(value)}`,
    );
  const entry = value as Record<string, unknown>;
  if (!Number.isInteger(entry.process)) fail(`"process" must be an integer, got ${JSON.stringify(entry.process)}`);
  if (typeof entry.type !== 'string' || !TYPES.has(entry.type))
    fail(`"type" must be "invoke", "ok", "fail" or "info", got ${JSON.stringify(entry.type)}`);
  if (typeof entry.f !== 'string' || entry.f === '')
    fail(`"f" must name the operation ("read", "write", "get", ...), got ${JSON.stringify(entry.f)}`);
  if (entry.time !== undefined && (typeof entry.time !== 'number' || !Number.isFinite(entry.time)))
    fail(`"time" must be a number of microseconds, got ${JSON.stringify(entry.time)}`);
  if (entry.key !== undefined && entry.key !== null && typeof entry.key !== 'string')
    fail(`"key" must be a string, got ${JSON.stringify(entry.key)}`);
  for (const field of ['client', 'node', 'error'] as const) {
    if (entry[field] !== undefined && typeof entry[field] !== 'string')
      fail(`"${field}" must be a string, got ${JSON.stringify(entry[field])}`);
  }
  if (entry.value !== undefined && nestingDepth(entry.value) > MAX_VALUE_DEPTH)
    fail(
      `"value" is nested more than ${MAX_VALUE_DEPTH} levels deep: a history's values nest a few levels; is the file a history?`,
    );
  const clean: Record<string, unknown> = { process: entry.process, type: entry.type, f: entry.f };
  if (entry.key !== undefined && entry.key !== null) clean.key = entry.key;
  if (entry.value !== undefined) clean.value = entry.value;
  if (typeof entry.time === 'number') clean.time = entry.time;
  for (const field of ['client', 'node', 'error'] as const) if (entry[field] !== undefined) clean[field] = entry[field];
  if (line !== undefined) clean.line = line;
  return clean as unknown as HistoryRecord;
}

/** How deep a value may nest (arrays and objects); deeper is an error, not a stack overflow later. */
export const MAX_VALUE_DEPTH = 1000;

/** How deep `value` nests, counted without recursion; stops counting past MAX_VALUE_DEPTH. */
function nestingDepth(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (depth > deepest) deepest = depth;
    if (deepest > MAX_VALUE_DEPTH) return deepest;
    for (const child of Array.isArray(item) ? item : Object.values(item as object))
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** A history as a JSON array, one entry per line (readable, and diffable in review). */
export function historyToJson(history: History): string {
  return `[\n${history.map((entry) => `  ${JSON.stringify(entry)}`).join(',\n')}\n]\n`;
}

/** A history as JSON Lines. */
export function historyToJsonLines(history: History): string {
  return history.map((entry) => `${JSON.stringify(entry)}\n`).join('');
}
