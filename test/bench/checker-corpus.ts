import { closeSync, existsSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { History, HistoryEntry } from '@dsim/core';
import { simulateStoreHistory } from '../../packages/check/test/simulated-store.ts';

/**
 * The checker benchmark corpus: seeded key-value histories of a correct store under many
 * concurrent clients over few keys (packages/check/test/simulated-store.ts), written as JSON Lines
 * that dsim, the plain reference checker and the Porcupine harness all read. A `stale` history is
 * the same history with one read turned stale (it returns a value that a later write, completed
 * before the read began, had replaced), so it is not linearizable.
 *
 * Values are strings and absent keys read "" (the style of Porcupine's own kv histories): check
 * them with `--model kv --absent-value ''`.
 */
export interface CorpusHistorySpec {
  readonly name: string;
  readonly seed: number;
  readonly operations: number;
  readonly clients: number;
  readonly keys: number;
  /** 'unique': every put writes its own value (the unique-writes path); 'small': values 0..4 and appends (the search). */
  readonly values: 'unique' | 'small';
  readonly stale: boolean;
  readonly infoProbability: number;
}

export function corpusSpecs(full: boolean): CorpusHistorySpec[] {
  const specs: CorpusHistorySpec[] = [];
  for (const values of ['unique', 'small'] as const)
    for (const keys of [10, 100])
      for (const stale of [false, true])
        specs.push({
          name: `kv-100k-c50-k${keys}-${values}${stale ? '-stale' : ''}`,
          seed: 11 + keys + (values === 'unique' ? 0 : 1000),
          operations: 100_000,
          clients: 50,
          keys,
          values,
          stale,
          infoProbability: 0.002,
        });
  if (full)
    for (const stale of [false, true])
      specs.push({
        name: `kv-2m-c50-k100-unique${stale ? '-stale' : ''}`,
        seed: 2_000_000,
        operations: 2_000_000,
        clients: 50,
        keys: 100,
        values: 'unique',
        stale,
        infoProbability: 0.001,
      });
  return specs;
}

/** Writes the history file of `spec` into `dir` unless it is there already; returns its path. */
export function ensureCorpusFile(dir: string, spec: CorpusHistorySpec): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${spec.name}.jsonl`);
  if (existsSync(path)) return path;
  const history = generateHistory(spec);
  const temporary = `${path}.partial`;
  const descriptor = openSync(temporary, 'w');
  try {
    let batch: string[] = [];
    for (const entry of history) {
      batch.push(lineOf(entry));
      if (batch.length === 10_000) {
        writeSync(descriptor, batch.join(''));
        batch = [];
      }
    }
    writeSync(descriptor, batch.join(''));
  } finally {
    closeSync(descriptor);
  }
  renameSync(temporary, path);
  return path;
}

function lineOf(entry: HistoryEntry): string {
  const record: Record<string, unknown> = { process: entry.process, type: entry.type, f: entry.f, key: entry.key };
  if (entry.value !== undefined) record.value = entry.value === null ? null : String(entry.value);
  record.time = entry.time;
  return `${JSON.stringify(record)}\n`;
}

export function generateHistory(spec: CorpusHistorySpec): History {
  const keys = Array.from({ length: spec.keys }, (_, i) => `k${i}`);
  const { history } = simulateStoreHistory({
    seed: spec.seed,
    processes: spec.clients,
    operations: spec.operations,
    keys,
    functions: spec.values === 'unique' ? ['get', 'put'] : ['get', 'put', 'append'],
    values: 5,
    uniqueValues: spec.values === 'unique',
    absentValue: '',
    infoProbability: spec.infoProbability,
  });
  return spec.stale ? withStaleRead(history) : history;
}

/**
 * One read, near the middle, made to return the value of a put that a later put on the same key
 * replaced before the read was invoked (both puts completed): no order explains it.
 */
function withStaleRead(history: History): History {
  interface Op {
    readonly invoke: number;
    complete: number;
    readonly entry: HistoryEntry;
    completion?: HistoryEntry;
  }
  const open = new Map<number, Op>();
  const ops: Op[] = [];
  history.forEach((entry, position) => {
    if (entry.type === 'invoke') {
      const op: Op = { invoke: position, complete: Infinity, entry };
      open.set(entry.process, op);
      ops.push(op);
    } else {
      const op = open.get(entry.process)!;
      open.delete(entry.process);
      if (entry.type === 'ok') {
        op.complete = position;
        op.completion = entry;
      }
    }
  });
  const puts = ops.filter((op) => op.entry.f === 'put' && op.completion !== undefined);
  const reads = ops.filter((op) => op.entry.f === 'get' && op.completion !== undefined);
  for (let i = Math.floor(reads.length / 2); i < reads.length; i++) {
    const read = reads[i]!;
    const before = puts.filter((put) => put.entry.key === read.entry.key && put.complete < read.invoke);
    // The last put completed before the read, and one completed before that one was invoked.
    const latest = before.reduce<Op | undefined>(
      (a, b) => (a === undefined || b.complete > a.complete ? b : a),
      undefined,
    );
    if (latest === undefined) continue;
    const older = before.find((put) => put.complete < latest.invoke && put.entry.value !== latest.entry.value);
    if (older === undefined) continue;
    const position = read.complete;
    const changed = history.slice();
    changed[position] = { ...read.completion!, value: older.entry.value };
    return changed;
  }
  throw new Error('no read in this history can be made stale');
}
