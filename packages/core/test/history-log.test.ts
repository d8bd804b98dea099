import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HistoryLog } from '../src/history-log.ts';

const entryArgs = fc.tuple(
  fc.nat({ max: 1000 }),
  fc.constantFrom('invoke' as const, 'ok' as const, 'fail' as const, 'info' as const),
  fc.constantFrom('put', 'get', 'cas'),
  fc.option(fc.string(), { nil: undefined }),
  fc.option(fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 })), { nil: undefined }),
  fc.integer({ min: 0, max: 2 ** 40 }),
  fc.option(fc.constantFrom('c1', 'c2'), { nil: undefined }),
  fc.option(fc.constantFrom('n1', 'n2'), { nil: undefined }),
  fc.option(fc.string(), { nil: undefined }),
);

describe('HistoryLog', () => {
  it('builds exactly the entries a direct construction would, absent fields left out, in the same key order', () => {
    fc.assert(
      fc.property(fc.array(entryArgs, { maxLength: 3000, size: 'large' }), fc.array(fc.nat({ max: 3000 }), { maxLength: 5 }), (rows, readPoints) => {
        const log = new HistoryLog();
        const expected: unknown[] = [];
        const reads = new Set(readPoints);
        let first: readonly unknown[] | undefined;
        rows.forEach(([process, type, f, key, value, time, client, node, error], index) => {
          if (reads.has(index)) first ??= log.entries();
          log.append(process, type, f, key, value, time, client, node, error);
          const entry: Record<string, unknown> = { index, process, type, f };
          if (key !== undefined) entry.key = key;
          if (value !== undefined) entry.value = value;
          entry.time = time;
          if (client !== undefined) entry.client = client;
          if (node !== undefined) entry.node = node;
          if (error !== undefined) entry.error = error;
          expected.push(entry);
        });
        const entries = log.entries();
        expect(log.length).toBe(rows.length);
        expect(JSON.stringify(entries)).toBe(JSON.stringify(expected));
        expect(entries).toEqual(expected);
        // One array, extended in place: an earlier read sees the later entries after the next read.
        if (first) expect(first).toBe(entries);
      }),
      { numRuns: 100 },
    );
  });

  it('keeps every entry as its columns grow (1,024 at first, doubling)', () => {
    const log = new HistoryLog();
    const total = 4096 * 2 + 17;
    for (let i = 0; i < total; i++) log.append(i % 7, i % 2 === 0 ? 'invoke' : 'ok', 'put', `k${i % 3}`, `v${i}`, i * 1_000_003, `c${i % 5}`, 'n1', i % 1000 === 0 ? 'boom' : undefined);
    const entries = log.entries();
    expect(entries).toHaveLength(total);
    for (const i of [0, 1023, 1024, 2048, 4095, 4096, 8191, 8192, total - 1]) {
      expect(entries[i]).toEqual({ index: i, process: i % 7, type: i % 2 === 0 ? 'invoke' : 'ok', f: 'put', key: `k${i % 3}`, value: `v${i}`, time: i * 1_000_003, client: `c${i % 5}`, node: 'n1', ...(i % 1000 === 0 ? { error: 'boom' } : {}) });
    }
  });
});
