import { createRandom, type History, type HistoryEntry } from '@dsim/core';

export type StoreFunction = 'read' | 'write' | 'cas' | 'get' | 'put' | 'append';

export interface StoreHistoryOptions {
  readonly seed: number;
  /** Concurrent client processes. */
  readonly processes: number;
  /** Operations in total. */
  readonly operations: number;
  /** Keys to spread operations over; omit for a single register without keys. */
  readonly keys?: readonly string[];
  readonly functions: readonly StoreFunction[];
  /**
   * A corrupted read that saw two or more appends may instead see two of them swapped (half the
   * time): a value every piece of which was written, in an order real time may forbid.
   */
  readonly reorderAppends?: boolean;
  /** Values are drawn from 0..values-1 (appends use unique strings). Default 5. */
  readonly values?: number;
  /** Chance an operation's outcome is unknown (info, or no completion at all). Default 0. */
  readonly infoProbability?: number;
  /** Chance a write/put/append fails without taking effect. Default 0. */
  readonly failProbability?: number;
  /** Chance one completed read is corrupted to return a value the store did not hold. Default 0. */
  readonly corruptProbability?: number;
  /** Longest gap (µs) between a process's operations, and longest invoke→effect and effect→completion. */
  readonly thinkMax?: number;
  readonly latencyMax?: number;
  /** Every write/put writes a value no other does (its operation number), as generated workloads do. */
  readonly uniqueValues?: boolean;
  /** What a read of a never-written key returns. Default null. */
  readonly absentValue?: null | '';
}

export interface StoreHistory {
  readonly history: History;
  /** True when a read was corrupted (the history may or may not still be linearizable). */
  readonly corrupted: boolean;
}

interface PlannedOp {
  readonly id: number;
  process: number;
  readonly f: StoreFunction;
  readonly key?: string;
  input: unknown;
  output?: unknown;
  outcome: 'ok' | 'fail' | 'info' | 'lost';
  readonly invoke: number;
  readonly effect: number;
  readonly complete: number;
  applied: boolean;
}

/**
 * Simulates a correct, linearizable store under random concurrency: every operation takes effect
 * atomically at one instant between its invocation and its completion (its linearization point),
 * so the recorded history is linearizable by construction, unless a read is then corrupted. Seeded
 * from @dsim/core's streams, so the same options give the same history.
 */
export function simulateStoreHistory(options: StoreHistoryOptions): StoreHistory {
  const random = createRandom(options.seed, 'store-history');
  const values = options.values ?? 5;
  const thinkMax = options.thinkMax ?? 20;
  const latencyMax = options.latencyMax ?? 30;
  const perProcess = Math.ceil(options.operations / options.processes);
  const planned: PlannedOp[] = [];
  let nextProcess = options.processes;
  for (let p = 0; p < options.processes && planned.length < options.operations; p++) {
    let time = random.int(0, thinkMax);
    let process = p;
    for (let i = 0; i < perProcess && planned.length < options.operations; i++) {
      const f = random.pick(options.functions);
      const key = options.keys ? random.pick(options.keys) : undefined;
      const invoke = time;
      const effect = invoke + random.int(1, latencyMax);
      const complete = effect + random.int(1, latencyMax);
      const id = planned.length;
      let input: unknown;
      if (f === 'write' || f === 'put') input = options.uniqueValues ? 1000 + id : random.int(0, values - 1);
      else if (f === 'append') input = `${id},`;
      else if (f === 'cas') input = [random.int(0, values - 1), random.int(0, values - 1)];
      let outcome: PlannedOp['outcome'] = 'ok';
      if (random.chance(options.infoProbability ?? 0)) outcome = random.chance(0.8) ? 'info' : 'lost';
      else if (f !== 'read' && f !== 'get' && f !== 'cas' && random.chance(options.failProbability ?? 0))
        outcome = 'fail';
      planned.push({
        id,
        process,
        f,
        ...(key !== undefined ? { key } : {}),
        input,
        outcome,
        invoke,
        effect,
        complete,
        applied: false,
      });
      // After an unknown outcome (info, or no answer at all) the old process may still be "in" its
      // operation forever, so the client continues as a fresh process, as Jepsen and dsim do.
      if (outcome === 'info' || outcome === 'lost') process = nextProcess++;
      time = complete + random.int(1, thinkMax);
    }
  }

  // Apply each operation at its linearization point, in time order, to the real store.
  const store = new Map<string, unknown>();
  for (const op of [...planned].sort((a, b) => a.effect - b.effect || a.id - b.id)) {
    const key = op.key ?? '';
    const current = store.has(key) ? store.get(key) : (options.absentValue ?? null);
    // An unknown outcome may or may not have taken effect; a failed one did not.
    const takesEffect = op.outcome === 'ok' || ((op.outcome === 'info' || op.outcome === 'lost') && random.chance(0.5));
    if (!takesEffect) continue;
    switch (op.f) {
      case 'read':
      case 'get':
        op.output = current;
        break;
      case 'write':
      case 'put':
        store.set(key, op.input);
        break;
      case 'append':
        // JavaScript concatenation, as a store doing `(current ?? '') + value` does.
        store.set(key, `${current === null || current === undefined ? '' : String(current)}${op.input as string}`);
        break;
      case 'cas': {
        const [expected, next] = op.input as [number, number];
        if (current === expected) store.set(key, next);
        else if (op.outcome === 'ok') op.outcome = 'fail';
        break;
      }
    }
    op.applied = true;
  }

  let corrupted = false;
  if (random.chance(options.corruptProbability ?? 0)) {
    const reads = planned.filter((op) => (op.f === 'read' || op.f === 'get') && op.outcome === 'ok');
    if (reads.length > 0) {
      const victim = random.pick(reads);
      // Another small value (maybe one some write used, maybe stale, maybe never written).
      // With unique values, also a value some write of the same key wrote (stale, or from the future).
      const written = options.uniqueValues
        ? planned.filter((op) => (op.f === 'write' || op.f === 'put') && op.key === victim.key).map((op) => op.input)
        : [];
      const choices = [null, ...Array.from({ length: values + 1 }, (_, v) => v), 'zz', ...written, ...written].filter(
        (value) => value !== victim.output,
      );
      const pieces = typeof victim.output === 'string' ? victim.output.split(',').slice(0, -1) : [];
      if (options.reorderAppends && pieces.length >= 2 && random.chance(0.5)) {
        const at = random.int(0, pieces.length - 2);
        [pieces[at], pieces[at + 1]] = [pieces[at + 1]!, pieces[at]!];
        victim.output = `${pieces.join(',')},`;
      } else victim.output = random.pick(choices);
      corrupted = true;
    }
  }

  const events: Array<{ time: number; order: number; entry: Omit<HistoryEntry, 'index'> }> = [];
  let order = 0;
  for (const op of planned) {
    const base = { process: op.process, f: op.f, ...(op.key !== undefined ? { key: op.key } : {}) };
    events.push({
      time: op.invoke,
      order: order++,
      entry: { ...base, type: 'invoke', ...(op.input !== undefined ? { value: op.input } : {}), time: op.invoke },
    });
    if (op.outcome === 'lost') continue;
    const value = op.outcome === 'ok' && (op.f === 'read' || op.f === 'get') ? { value: op.output ?? null } : {};
    events.push({
      time: op.complete,
      order: order++,
      entry: { ...base, type: op.outcome, ...value, time: op.complete },
    });
  }
  events.sort((a, b) => a.time - b.time || a.order - b.order);
  return { history: events.map((event, index) => ({ index, ...event.entry }) as HistoryEntry), corrupted };
}
