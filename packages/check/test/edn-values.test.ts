import { describe, expect, it } from 'vitest';
import {
  checkLinearizability,
  createCasRegisterModel,
  historyFromEdn,
  historyFromJson,
  HistoryStreamReader,
  registerModel,
  type HistoryRecord,
} from '../src/index.ts';

/** A register history in Jepsen EDN: one write, completed, then one read of `read`. */
function writeThenRead(written: string, read: string): string {
  return [
    `{:process 0, :type :invoke, :f :write, :value ${written}, :time 1000}`,
    `{:process 0, :type :ok, :f :write, :value ${written}, :time 2000}`,
    `{:process 1, :type :invoke, :f :read, :value nil, :time 3000}`,
    `{:process 1, :type :ok, :f :read, :value ${read}, :time 4000}`,
  ].join('\n');
}

function verdictOf(edn: string): string {
  return checkLinearizability(historyFromEdn(edn).history, registerModel).verdict;
}

/** Streams `text` through the reader in pieces of `size` characters. */
function streamed(text: string, size: number): HistoryRecord[] {
  const records: HistoryRecord[] = [];
  const reader = new HistoryStreamReader({ source: 'h.edn', onRecord: (record) => records.push(record) });
  for (let at = 0; at < text.length; at += size) reader.push(text.slice(at, at + size));
  reader.end();
  return records;
}

describe('EDN values compare by value, as Clojure compares them', () => {
  it('a set read back in another order is the set that was written', () => {
    expect(verdictOf(writeThenRead('#{1 2 3}', '#{3 2 1}'))).toBe('linearizable');
    expect(verdictOf(writeThenRead('#{1 2 3}', '#{3 2}'))).toBe('not-linearizable');
  });

  it('a map read back with its entries in another order is the map that was written', () => {
    expect(verdictOf(writeThenRead('{:a 1, :b #{1 2}}', '{:b #{2 1}, :a 1}'))).toBe('linearizable');
  });

  it('maps with collection keys keep their keys apart (no "[object Object]")', () => {
    expect(verdictOf(writeThenRead('{{:a 1} 2}', '{{:b 1} 2}'))).toBe('not-linearizable');
    expect(verdictOf(writeThenRead('{[1 2] 3}', '{[2 1] 3}'))).toBe('not-linearizable');
    expect(verdictOf(writeThenRead('{#{1 2} 3}', '{#{2 1} 3}'))).toBe('linearizable');
  });

  it('a keyword is not the string of its name, and a vector is not a string', () => {
    expect(verdictOf(writeThenRead(':a', '"a"'))).toBe('not-linearizable');
    expect(verdictOf(writeThenRead(':a', ':a'))).toBe('linearizable');
    expect(verdictOf(writeThenRead('[1 2]', '"1,2"'))).toBe('not-linearizable');
    expect(verdictOf(writeThenRead('[1 2]', '(1 2)'))).toBe('linearizable');
  });

  it('the keys [1 2], "1,2" and :x are three keys', () => {
    const edn = [
      `{:process 0, :type :invoke, :f :write, :key [1 2], :value 1}`,
      `{:process 0, :type :ok, :f :write, :key [1 2], :value 1}`,
      `{:process 1, :type :invoke, :f :read, :key "1,2", :value nil}`,
      `{:process 1, :type :ok, :f :read, :key "1,2", :value nil}`,
      `{:process 2, :type :invoke, :f :read, :key :x, :value nil}`,
      `{:process 2, :type :ok, :f :read, :key :x, :value nil}`,
    ].join('\n');
    const result = checkLinearizability(historyFromEdn(edn).history, registerModel);
    expect(result.verdict).toBe('linearizable');
    expect(result.keys.map((key) => key.key).sort()).toEqual(['1,2', ':x', '[1 2]']);
  });
});

describe("Jepsen's multi-key histories (jepsen.independent)", () => {
  // Two keys, each a linearizable register; read as one register, the read of 1 on key 0 after
  // key 1 was set to 2 would be stale.
  const independent = [
    `{:process 0, :type :invoke, :f :write, :value [0 1], :time 1000}`,
    `{:process 0, :type :ok, :f :write, :value [0 1], :time 2000}`,
    `{:process 1, :type :invoke, :f :write, :value [1 2], :time 3000}`,
    `{:process 1, :type :ok, :f :write, :value [1 2], :time 4000}`,
    `{:process 2, :type :invoke, :f :read, :value [0 nil], :time 5000}`,
    `{:process 2, :type :ok, :f :read, :value [0 1], :time 6000}`,
    `{:process 3, :type :invoke, :f :cas, :value [1 [2 3]], :time 7000}`,
    `{:process 3, :type :ok, :f :cas, :value [1 [2 3]], :time 8000}`,
    `{:process 4, :type :invoke, :f :read, :value [1 nil], :time 9000}`,
    `{:process 4, :type :ok, :f :read, :value [1 3], :time 10000}`,
  ].join('\n');

  it('reads each [k v] as value v on key k, and checks the keys independently', () => {
    const { history } = historyFromEdn(independent);
    expect(history.map((entry) => entry.key)).toEqual(['0', '0', '1', '1', '0', '0', '1', '1', '1', '1']);
    expect(history[6]!.value).toEqual([2, 3]);
    expect(history[4]!.value).toBeUndefined();
    const result = checkLinearizability(history, createCasRegisterModel());
    expect(result.verdict).toBe('linearizable');
    expect(result.keys).toHaveLength(2);
  });

  it('streams the same way in any chunking', () => {
    for (const size of [1, 7, 64, independent.length]) {
      const records = streamed(independent, size);
      expect(records.map((record) => record.key)).toEqual(['0', '0', '1', '1', '0', '0', '1', '1', '1', '1']);
      expect(records.map((record) => record.value)).toEqual([1, 1, 2, 2, undefined, 1, [2, 3], [2, 3], undefined, 3]);
    }
  });

  it('still catches a stale read on one key', () => {
    const stale = independent.replace(':value [1 3], :time 10000', ':value [1 2], :time 10000');
    expect(checkLinearizability(historyFromEdn(stale).history, createCasRegisterModel()).verdict).toBe(
      'not-linearizable',
    );
  });

  it('leaves a plain cas-register history alone: a cas [expected next] is not a tuple', () => {
    const plain = [
      `{:process 0, :type :invoke, :f :cas, :value [1 2]}`,
      `{:process 0, :type :fail, :f :cas, :value [1 2]}`,
      `{:process 1, :type :invoke, :f :read, :value nil}`,
      `{:process 1, :type :ok, :f :read, :value nil}`,
    ].join('\n');
    const { history } = historyFromEdn(plain);
    expect(history.every((entry) => entry.key === undefined)).toBe(true);
    expect(history[0]!.value).toEqual([1, 2]);
  });
});

describe('hostile nesting and sizes get a clear error', () => {
  it('an EDN value nested 100,000 deep', () => {
    const deep = `{:process 0, :type :invoke, :f :write, :value ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    expect(() => historyFromEdn(deep)).toThrow(/nested more than 1000 levels deep/);
    expect(() => streamed(deep, 4096)).toThrow(/line 1, column \d+: values nested more than 1000 levels deep/);
    const tagged = `{:process 0, :type :invoke, :f :write, :value ${'#a '.repeat(100_000)}1}`;
    expect(() => historyFromEdn(tagged)).toThrow(/nested more than 1000 levels deep/);
  });

  it('a JSON value nested 100,000 deep', () => {
    const deep = `{"process":0,"type":"invoke","f":"write","value":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    expect(() => historyFromJson(deep)).toThrow(/line 1: "value" is nested more than 1000 levels deep/);
    expect(() => historyFromJson(`[${deep}]`)).toThrow(/entry 0: "value" is nested more than 1000 levels deep/);
    const records: HistoryRecord[] = [];
    const reader = new HistoryStreamReader({ source: 'h.jsonl', onRecord: (record) => records.push(record) });
    expect(() => {
      reader.push(deep);
      reader.end();
    }).toThrow(/h.jsonl: line 1: "value" is nested more than 1000 levels deep/);
  });

  it('an entry that never ends is not held whole', () => {
    const reader = new HistoryStreamReader({ source: 'h.jsonl', onRecord: () => undefined });
    const piece = `{"process":0,"type":"invoke","f":"write","value":"${'x'.repeat(1 << 20)}`;
    expect(() => {
      for (let i = 0; i < 20; i++) reader.push(piece);
    }).toThrow(/h.jsonl: line 1: an entry \(or line\) longer than 16 M characters/);
  });
});

describe('real-time order at the same microsecond', () => {
  // The write of 2 completes at 20 µs, and the read is invoked at 20 µs, after it in the history:
  // the write precedes the read, so the read of 1 is stale. A checker that took operations at the
  // same microsecond as concurrent would accept it.
  const rows = [
    { process: 0, type: 'invoke', f: 'write', value: 1, time: 0 },
    { process: 0, type: 'ok', f: 'write', time: 5 },
    { process: 1, type: 'invoke', f: 'write', value: 2, time: 10 },
    { process: 1, type: 'ok', f: 'write', time: 20 },
    { process: 2, type: 'invoke', f: 'read', time: 20 },
    { process: 2, type: 'ok', f: 'read', value: 1, time: 30 },
  ];
  const jsonLines = rows.map((row) => JSON.stringify(row)).join('\n');

  it('an invoke at the instant another operation completes comes after it, by both algorithms', () => {
    const history = historyFromJson(jsonLines);
    expect(checkLinearizability(history, registerModel).verdict).toBe('not-linearizable');
    expect(checkLinearizability(history, registerModel, { uniqueWrites: false }).verdict).toBe('not-linearizable');
  });

  it('and the same rows in the other order (read invoked first) are concurrent, so linearizable', () => {
    const swapped = [rows[0], rows[1], rows[2], rows[4], rows[3], rows[5]].map((row) => JSON.stringify(row)).join('\n');
    const history = historyFromJson(swapped);
    expect(checkLinearizability(history, registerModel).verdict).toBe('linearizable');
    expect(checkLinearizability(history, registerModel, { uniqueWrites: false }).verdict).toBe('linearizable');
  });
});
