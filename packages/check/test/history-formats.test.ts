import { describe, expect, it } from 'vitest';
import {
  EdnKeyword,
  checkLinearizability,
  historyFromEdn,
  historyFromJson,
  historyToEdn,
  historyToJson,
  historyToJsonLines,
  parseEdn,
  parseHistory,
  registerModel,
  kvModel,
  HistoryStreamReader,
  type HistoryRecord,
} from '../src/index.ts';
import { simulateStoreHistory } from './simulated-store.ts';

describe('EDN reader', () => {
  it('reads the values Jepsen writes', () => {
    const value = parseEdn(
      '{:a [1 -2 3.5 1e3 7N 2.5M], :b (nil true false), "s" "q\\"\\n\\u00e9", :c #{:x}, :d foo/bar} ; comment',
    );
    expect(value).toMatchObject({ kind: 'map' });
    const entries = (value as unknown as { entries: Array<[unknown, unknown]> }).entries;
    expect(entries[0]).toEqual([new EdnKeyword('a'), [1, -2, 3.5, 1000, 7, 2.5]]);
    expect(entries[1]![1]).toEqual([null, true, false]);
    expect(entries[2]).toEqual(['s', 'q"\né']);
    expect(entries[3]![1]).toEqual({ kind: 'set', items: [new EdnKeyword('x')] });
    expect(String(entries[4]![1])).toBe('foo/bar');
  });

  it('reads tagged values and skips #_ discards', () => {
    expect(parseEdn('#jepsen.history.Op{:f :read}')).toEqual({
      kind: 'tagged',
      tag: 'jepsen.history.Op',
      value: { kind: 'map', entries: [[new EdnKeyword('f'), new EdnKeyword('read')]] },
    });
    expect(parseEdn('[1 #_ 2 3]')).toEqual([1, 3]);
  });

  it('names the line, the column and the problem', () => {
    expect(() => parseEdn('{:a 1\n :b}')).toThrow(
      'line 1, column 1: the map opened here has 3 forms: a map needs key/value pairs (a key is missing its value)',
    );
    expect(() => parseEdn('[1 2\n  3')).toThrow(
      "line 2, column 4: a vector opened at line 1, column 1 is never closed (missing ']')",
    );
    expect(() => parseEdn('[1 2}')).toThrow(
      "line 1, column 5: '}' closes a vector opened at line 1, column 1, which needs ']'",
    );
    expect(() => parseEdn('"abc')).toThrow('line 1, column 5: the string opened at line 1, column 1 is never closed');
    expect(() => parseEdn('"a\\qb"')).toThrow("line 1, column 3: unknown escape '\\q'");
    expect(() => parseEdn('\n  12abc')).toThrow("line 2, column 3: '12abc' is not a number");
    expect(() => parseEdn('99999999999999999999')).toThrow('too large to read exactly');
    expect(() => parseEdn('\\a')).toThrow('character literals');
  });
});

describe('Jepsen EDN histories', () => {
  const jepsen = `
{:process 0, :type :invoke, :f :write, :value 1, :time 1000000, :index 0}
{:process :nemesis, :type :info, :f :start-partition, :value nil, :time 1500000}
#jepsen.history.Op{:process 1, :type :invoke, :f :read, :value nil, :time 2000000, :index 2}
{:process 0, :type :ok, :f :write, :value 1, :time 3000000}
{:process 1, :type :ok, :f :read, :value 1, :time 4000000}
`;

  it('reads op maps, tagged Op records, and skips the nemesis', () => {
    const { history, skipped } = historyFromEdn(jepsen);
    expect(skipped).toBe(1);
    expect(history).toEqual([
      { index: 0, process: 0, type: 'invoke', f: 'write', value: 1, time: 1000 },
      { index: 1, process: 1, type: 'invoke', f: 'read', time: 2000 },
      { index: 2, process: 0, type: 'ok', f: 'write', value: 1, time: 3000 },
      { index: 3, process: 1, type: 'ok', f: 'read', value: 1, time: 4000 },
    ]);
    expect(checkLinearizability(history, registerModel).verdict).toBe('linearizable');
  });

  it('reads a single vector of ops, with keys', () => {
    const { history } = historyFromEdn(
      '[{:process 0, :type :invoke, :f :get, :key "x", :value nil} {:process 0, :type :ok, :f :get, :key "x", :value nil}]',
    );
    expect(history).toEqual([
      { index: 0, process: 0, type: 'invoke', f: 'get', key: 'x', time: 0 },
      { index: 1, process: 0, type: 'ok', f: 'get', key: 'x', value: null, time: 1 },
    ]);
  });

  it('names the line and the field of a bad operation', () => {
    expect(() =>
      historyFromEdn('{:process 0, :type :invoke, :f :read}\n{:process 0, :type :done, :f :read}', { source: 'h.edn' }),
    ).toThrow('h.edn: line 2, column 1: :type must be one of :invoke :ok :fail :info, got :done');
    expect(() => historyFromEdn('{:type :invoke, :f :read}')).toThrow(
      'line 1, column 1: the operation has no :process',
    );
    expect(() => historyFromEdn('[1 2]')).toThrow('expected an operation map');
  });

  it('round-trips dsim histories through EDN', () => {
    const { history } = simulateStoreHistory({
      seed: 7,
      processes: 4,
      operations: 40,
      keys: ['a', 'b'],
      functions: ['get', 'put', 'append', 'cas'],
      infoProbability: 0.2,
      failProbability: 0.1,
    });
    const edn = historyToEdn(history);
    expect(edn.split('\n')[0]).toMatch(
      /^\{:index 0, :type :invoke, :f :\w+, :process \d+, :time \d+, :key "[ab]", :value /,
    );
    expect(historyFromEdn(edn).history).toEqual(
      history.map((entry) =>
        entry.type !== 'invoke' && entry.value === undefined ? { ...entry, value: null } : entry,
      ),
    );
    expect(checkLinearizability(historyFromEdn(edn).history, kvModel).verdict).toBe('linearizable');
  });
});

describe('JSON histories', () => {
  const { history } = simulateStoreHistory({ seed: 3, processes: 3, operations: 20, functions: ['read', 'write'] });

  it('round-trips arrays and JSON Lines', () => {
    expect(historyFromJson(historyToJson(history))).toEqual(history);
    expect(historyFromJson(historyToJsonLines(history))).toEqual(history);
  });

  it('names the line and field of a bad entry', () => {
    expect(() =>
      historyFromJson('{"process":0,"type":"invoke","f":"read","time":0}\n{"process":"p","type":"ok","f":"read"}', {
        source: 'h.jsonl',
      }),
    ).toThrow('h.jsonl: line 2: "process" must be an integer, got "p"');
    expect(() => historyFromJson('[{"process":0,"type":"begin","f":"read"}]')).toThrow(
      'entry 0: "type" must be "invoke", "ok", "fail" or "info", got "begin"',
    );
    expect(() => historyFromJson('{"process":0,\n')).toThrow(/line 1: not valid JSON/);
  });

  it('detects the format from the text or the file name', () => {
    expect(parseHistory(historyToJson(history)).format).toBe('json');
    expect(parseHistory(historyToJsonLines(history)).format).toBe('json');
    expect(parseHistory(historyToEdn(history)).format).toBe('edn');
    expect(parseHistory('[{:process 0, :type :invoke, :f :read}]').format).toBe('edn');
    expect(parseHistory(historyToEdn(history), { source: 'x.edn' }).history).toHaveLength(history.length);
  });
});

describe('HistoryStreamReader', () => {
  const read = (text: string, chunk: number, format?: 'edn' | 'json') => {
    const records: HistoryRecord[] = [];
    const reader = new HistoryStreamReader({
      source: 'h',
      ...(format ? { format } : {}),
      onRecord: (r) => records.push(r),
    });
    for (let i = 0; i < text.length; i += chunk) reader.push(text.slice(i, i + chunk));
    reader.end();
    return { records, skipped: reader.skipped, format: reader.format };
  };
  const strip = (history: ReturnType<typeof historyFromJson>) => history.map(({ index: _index, ...rest }) => rest);

  it('reads the same entries as the whole-text readers, whatever the chunk boundaries, with their lines', () => {
    const { history } = simulateStoreHistory({
      seed: 5,
      processes: 4,
      operations: 40,
      keys: ['a', 'b'],
      functions: ['get', 'put', 'append'],
      infoProbability: 0.1,
    });
    const texts = {
      edn: `; a comment\n${historyToEdn(history)}{:process :nemesis, :type :info, :f :start}\n`,
      ednVector: `[${historyToEdn(history)}]`,
      json: historyToJson(history),
      jsonl: historyToJsonLines(history),
    };
    for (const [name, text] of Object.entries(texts)) {
      const whole = parseHistory(text);
      for (const chunk of [1, 3, 17, 1000, text.length]) {
        const streamed = read(text, chunk);
        expect(streamed.format, name).toBe(whole.format);
        expect(
          streamed.records.map(({ line: _line, ...rest }) => rest),
          name,
        ).toEqual(strip(whole.history));
      }
      const lines = read(text, 7).records.map((record) => record.line);
      if (name === 'edn') expect(lines.slice(0, 3)).toEqual([2, 3, 4]);
      if (name === 'json') expect(lines.slice(0, 3)).toEqual([2, 3, 4]);
      if (name === 'jsonl') expect(lines.slice(0, 3)).toEqual([1, 2, 3]);
    }
    expect(read(texts.edn, 5).skipped).toBe(1);
  });

  it('names the line of a broken entry, even when it straddles chunks', () => {
    const text =
      '{:process 0, :type :invoke, :f :read}\n{:process 0, :type :ok, :f :read, :value 1}\n{:process 1 :type}\n';
    for (const chunk of [2, 50, 500])
      expect(() => read(text, chunk)).toThrow('h: line 3, column 1: the map opened here has 3 forms');
    expect(() => read('{:process 0, :type :invoke', 4)).toThrow(
      /h: line 1, column 27: a map opened at line 1, column 1 is never closed/,
    );
    expect(() => read('[\n{"process":0,"type":"invoke","f":"read"},\n{"process":"x"}\n]', 5)).toThrow(
      'h: line 3: "process" must be an integer, got "x"',
    );
    expect(() => read('{"process":0,"type":"invoke","f":"read"}\nnope\n', 3)).toThrow(/h: line 2: not valid JSON/);
    expect(() => read('[{"process":0,"type":"invoke","f":"read"}', 3)).toThrow(/never closed/);
  });
});
