import { createRandom, type History, type HistoryEntry } from '@dsim/core';

export interface CollectionHistoryOptions {
  readonly seed: number;
  readonly kind: 'set' | 'queue';
  readonly processes: number;
  readonly operations: number;
  /** Chance an operation's outcome is unknown (info). Default 0. */
  readonly infoProbability?: number;
  /** Chance one completed read/dequeue is corrupted to return something else. Default 0. */
  readonly corruptProbability?: number;
}

/**
 * Simulates a correct grow-only set (add, read → every element) or FIFO queue (enqueue, dequeue →
 * head or null when empty) under random concurrency: each operation takes effect at one instant
 * between its invocation and completion, so the history is linearizable unless a result is then
 * corrupted. Seeded, so the same options give the same history.
 */
export function simulateCollectionHistory(options: CollectionHistoryOptions): { history: History; corrupted: boolean } {
  const random = createRandom(options.seed, 'collection-history');
  const [writer, reader] = options.kind === 'set' ? ['add', 'read'] : ['enqueue', 'dequeue'];
  interface Planned {
    process: number;
    f: string;
    input?: number;
    output?: unknown;
    outcome: 'ok' | 'info';
    invoke: number;
    effect: number;
    complete: number;
  }
  const planned: Planned[] = [];
  const perProcess = Math.ceil(options.operations / options.processes);
  let nextProcess = options.processes;
  for (let p = 0; p < options.processes && planned.length < options.operations; p++) {
    let time = random.int(0, 20);
    let process = p;
    for (let i = 0; i < perProcess && planned.length < options.operations; i++) {
      const f = random.chance(0.5) ? writer : reader;
      const invoke = time;
      const effect = invoke + random.int(1, 30);
      const complete = effect + random.int(1, 30);
      const outcome = random.chance(options.infoProbability ?? 0) ? 'info' : 'ok';
      planned.push({
        process,
        f,
        ...(f === writer ? { input: planned.length } : {}),
        outcome,
        invoke,
        effect,
        complete,
      });
      if (outcome === 'info') process = nextProcess++;
      time = complete + random.int(1, 20);
    }
  }
  const contents: number[] = [];
  for (const op of [...planned].sort((a, b) => a.effect - b.effect)) {
    if (op.outcome === 'info' && random.chance(0.5)) continue;
    if (op.f === writer) contents.push(op.input!);
    else if (op.f === 'read') op.output = [...contents].reverse();
    else op.output = contents.length > 0 ? contents.shift()! : null;
  }
  let corrupted = false;
  const reads = planned.filter((op) => op.f === reader && op.outcome === 'ok');
  if (reads.length > 0 && random.chance(options.corruptProbability ?? 0)) {
    const victim = random.pick(reads);
    if (options.kind === 'set') {
      const seen = victim.output as number[];
      victim.output = seen.length > 0 && random.chance(0.5) ? seen.slice(1) : [...seen, random.int(0, planned.length)];
    } else victim.output = random.chance(0.3) ? null : random.int(0, planned.length);
    corrupted = true;
  }
  const events: Array<{ time: number; order: number; entry: Omit<HistoryEntry, 'index'> }> = [];
  let order = 0;
  for (const op of planned) {
    events.push({
      time: op.invoke,
      order: order++,
      entry: {
        process: op.process,
        f: op.f,
        type: 'invoke',
        ...(op.input !== undefined ? { value: op.input } : {}),
        time: op.invoke,
      },
    });
    events.push({
      time: op.complete,
      order: order++,
      entry: {
        process: op.process,
        f: op.f,
        type: op.outcome,
        ...(op.outcome === 'ok' && op.f === reader ? { value: op.output ?? null } : {}),
        time: op.complete,
      },
    });
  }
  events.sort((a, b) => a.time - b.time || a.order - b.order);
  return { history: events.map((event, index) => ({ index, ...event.entry }) as HistoryEntry), corrupted };
}
