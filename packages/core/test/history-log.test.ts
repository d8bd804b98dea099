import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HistoryLog } from '../src/kernel/history-log.ts';

const NODES = ['n1', 'n2', 'n3'];
const CLIENTS = ['c1', 'c2'];
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });

/** One step of a history: invoke a new operation, or complete the `pick`-th still-open one (if any). */
const stepArgs = fc.oneof(
  fc.record({
    kind: fc.constant('invoke' as const),
    process: fc.nat({ max: 1000 }),
    f: fc.constantFrom('put', 'get', 'cas'),
    key: maybe(fc.string()),
    argument: maybe(fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }))),
    time: fc.integer({ min: 0, max: 2 ** 40 }),
    client: fc.integer({ min: -1, max: CLIENTS.length - 1 }),
    node: fc.integer({ min: -1, max: NODES.length - 1 }),
  }),
  fc.record({
    kind: fc.constant('complete' as const),
    pick: fc.nat(),
    process: fc.nat({ max: 1000 }),
    type: fc.constantFrom('ok' as const, 'fail' as const, 'info' as const),
    outcome: maybe(fc.oneof(fc.string(), fc.integer(), fc.constant(null))),
    time: fc.integer({ min: 0, max: 2 ** 40 }),
    node: fc.integer({ min: -1, max: NODES.length - 1 }),
  }),
);

describe('HistoryLog', () => {
  it('builds exactly the entries a direct construction would, absent fields left out, in the same key order', () => {
    fc.assert(
      fc.property(
        fc.array(stepArgs, { maxLength: 3000, size: 'large' }),
        fc.array(fc.nat({ max: 3000 }), { maxLength: 5 }),
        (steps, readPoints) => {
          const log = new HistoryLog(NODES, CLIENTS);
          const expected: Array<Record<string, unknown>> = [];
          const reads = new Set(readPoints);
          const open: Array<{ operation: number; f: string; key?: string; argument: unknown; client: number }> = [];
          let first: readonly unknown[] | undefined;
          steps.forEach((step, i) => {
            if (reads.has(i)) first ??= log.entries();
            const entry: Record<string, unknown> = { index: expected.length, process: step.process };
            let key: string | undefined;
            let value: unknown;
            let client: number;
            let error: unknown;
            if (step.kind === 'invoke') {
              const operation = log.invoke(
                step.process,
                step.f,
                step.key,
                step.argument,
                step.time,
                step.client,
                step.node,
              );
              open.push({ operation, f: step.f, key: step.key, argument: step.argument, client: step.client });
              Object.assign(entry, { type: 'invoke', f: step.f });
              key = step.key;
              value = step.argument;
              client = step.client;
            } else {
              if (open.length === 0) return;
              const [operation] = open.splice(step.pick % open.length, 1);
              log.complete(operation!.operation, step.process, step.type, step.outcome, step.time, step.node);
              Object.assign(entry, { type: step.type, f: operation!.f });
              key = operation!.key;
              value = step.type === 'ok' ? step.outcome : operation!.argument;
              error = step.type === 'ok' ? undefined : step.outcome;
              client = operation!.client;
            }
            if (key !== undefined) entry.key = key;
            if (value !== undefined) entry.value = value;
            entry.time = step.time;
            if (client >= 0) entry.client = CLIENTS[client];
            if (step.node >= 0) entry.node = NODES[step.node];
            if (error !== undefined) entry.error = error;
            expected.push(entry);
          });
          const entries = log.entries();
          expect(log.length).toBe(expected.length);
          expect(JSON.stringify(entries)).toBe(JSON.stringify(expected));
          expect(entries).toEqual(expected);
          // One array, extended in place: an earlier read sees the later entries after the next read.
          if (first) expect(first).toBe(entries);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('keeps every entry across its pages (4,096 entries and operations each)', () => {
    const log = new HistoryLog(['n1'], ['c1', 'c2', 'c3', 'c4', 'c5']);
    const total = 4096 * 2 + 17;
    for (let i = 0; i < total; i++) {
      const operation = log.invoke(i % 7, 'put', `k${i % 3}`, `v${i}`, i * 2_000_006, i % 5, 0);
      log.complete(
        operation,
        i % 7,
        i % 1000 === 0 ? 'fail' : 'ok',
        i % 1000 === 0 ? 'boom' : `r${i}`,
        i * 2_000_006 + 1,
        0,
      );
    }
    const entries = log.entries();
    expect(entries).toHaveLength(2 * total);
    for (const i of [0, 1023, 1024, 2048, 4095, 4096, 8191, 8192, total - 1]) {
      const common = { process: i % 7, f: 'put', key: `k${i % 3}`, client: `c${(i % 5) + 1}`, node: 'n1' };
      expect(entries[2 * i]).toEqual({ index: 2 * i, type: 'invoke', ...common, value: `v${i}`, time: i * 2_000_006 });
      expect(entries[2 * i + 1]).toEqual({
        index: 2 * i + 1,
        ...common,
        time: i * 2_000_006 + 1,
        ...(i % 1000 === 0 ? { type: 'fail', value: `v${i}`, error: 'boom' } : { type: 'ok', value: `r${i}` }),
      });
    }
  });
});
