import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEdnForms } from '../src/edn.ts';
import { HistoryStreamReader } from '../src/history-stream.ts';
import { recordFromEdn } from '../src/jepsen-edn.ts';
import { recordFromJson } from '../src/json-history.ts';
import { EdnLineScanner, JsonLineScanner, NOT_A_CLIENT, NOT_SCANNED } from '../src/line-scanner.ts';
import type { HistoryRecord } from '../src/operations.ts';

const runs = Number(process.env.DSIM_PROPERTY_RUNS ?? 1000);

/** Scalars as JSON text, plain and unusual (escapes, floats, big and signed numbers, unicode). */
const jsonScalars = fc.oneof(
  { arbitrary: fc.integer({ min: -1e6, max: 1e6 }).map(String), weight: 4 },
  { arbitrary: fc.string({ maxLength: 6 }).map((text) => JSON.stringify(text)), weight: 4 },
  fc.constantFrom('0', '-0', '7', '01', '1.5', '-2.0', '1e3', '2E-2', '123456789012345', '1234567890123456', '-'),
  fc.constantFrom('9007199254740993', '1e999', 'null', 'true', 'false', 'nul', 'truex', '[]', '{}', '[1,[2]]'),
  fc.string({ maxLength: 6 }).map((text) => JSON.stringify(text)),
  fc.constantFrom('"a\\"b"', '"\\u0041"', '"tab\there"', '"é€😀"', '"\\n"', '""', '"k1"', '"invoke"', '"ok"'),
  fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 3 }).map((items) => `[${items.join(', ')}]`),
  fc
    .array(fc.constantFrom('1', '"x"', 'null', 'true', '1.5', '[2]', '"\\n"'), { maxLength: 3 })
    .map((items) => `[ ${items.join(' , ')} ]`),
);

const jsonNames = fc.constantFrom(
  'process',
  'type',
  'f',
  'key',
  'value',
  'time',
  'client',
  'node',
  'error',
  'index',
  '__proto__',
  'proc\\u0065ss',
  'Process',
  '',
);

const jsonTypes = fc.constantFrom('"invoke"', '"ok"', '"fail"', '"info"', '"done"', 'null', '1', ':ok');
const jsonSpace = fc.constantFrom('', '', '', '', '', '', '', '', ' ', '\t', '  ', '\r', '\u00a0', '\n');

/** A JSON entry line: mostly well-formed operations, with wrong, extra, repeated and odd fields. */
const jsonLines = fc
  .tuple(
    fc.oneof({ arbitrary: fc.integer({ min: 0, max: 60 }).map(String), weight: 5 }, jsonScalars),
    fc.oneof({ arbitrary: fc.constantFrom('"invoke"', '"ok"'), weight: 5 }, jsonTypes),
    fc.oneof({ arbitrary: fc.constantFrom('"read"', '"put"', '"append"', '"cas"', '""'), weight: 5 }, jsonScalars),
    fc.array(fc.tuple(jsonNames, jsonScalars), { maxLength: 5 }),
    fc.array(jsonSpace, { minLength: 8, maxLength: 8 }),
    fc.boolean(),
  )
  .map(([process, type, f, extra, space, shuffle]) => {
    const fields = [`"process":${process}`, `"type":${type}`, `"f":${f}`];
    for (const [name, value] of extra) fields.push(`"${name}"${space[0]}:${space[1]}${value}`);
    if (shuffle) fields.reverse();
    return `${space[2]}{${space[3]}${fields.join(`${space[4]},${space[5]}`)}${space[6]}}${space[7]}`;
  });

/** The full reader's answer for a line: its record, or the error it throws. */
function fullJson(line: string, lineNumber = 7): HistoryRecord | Error {
  try {
    return recordFromJson(JSON.parse(line), `line ${lineNumber}`, lineNumber);
  } catch (error) {
    return error as Error;
  }
}

const ednScalars = fc.oneof(
  { arbitrary: fc.integer({ min: -1e6, max: 1e6 }).map(String), weight: 4 },
  { arbitrary: fc.constantFrom(':read', ':write', 'nil', '"x"', '[1 2]'), weight: 4 },
  fc.constantFrom('0', '-0', '007', '+1', '7N', '1.5', '2M', '1/2', '123456789012345', '1234567890123456', '-', '-x'),
  fc.constantFrom(
    'nil',
    'true',
    'false',
    'nilx',
    ':read',
    ':ok',
    ':nemesis',
    ':',
    '::x',
    ':a/b',
    ':a#b',
    'read',
    '#{1}',
  ),
  fc.string({ maxLength: 6 }).map((text) => JSON.stringify(text)),
  fc.constantFrom('"a\\"b"', '"\\u0041"', '"tab\there"', '"é€😀"', '"x\ny"', '""', '"k1"', '"invoke"', '#_ 1 2', '\\a'),
  fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 3 }).map((items) => `[${items.join(' ')}]`),
  fc
    .array(fc.constantFrom('1', '"x"', 'nil', ':k', '1.5', '[2]', '{:a 1}', '(1)'), { maxLength: 3 })
    .map((items) => `[${items.join(', ')}]`),
  fc.constantFrom('{:a 1}', '(1 2)', '#inst "x"', '; c'),
);

const ednNames = fc.constantFrom(
  ':process',
  ':type',
  ':f',
  ':key',
  ':value',
  ':time',
  ':client',
  ':node',
  ':error',
  ':index',
  '"process"',
  'process',
  ':Process',
  ':',
);

const ednTypes = fc.constantFrom(':invoke', ':ok', ':fail', ':info', '"ok"', ':done', 'nil', 'ok');
const ednSpace = fc.constantFrom('', ' ', ' ', ', ', ',', '\t', '  ', '\f', '\r');

/** An EDN operation map on one line: mostly Jepsen's shape, with wrong, extra, repeated and odd fields. */
const ednLines = fc
  .tuple(
    fc.oneof(
      { arbitrary: fc.integer({ min: 0, max: 60 }).map(String), weight: 5 },
      fc.constantFrom(':nemesis', '"0"'),
      ednScalars,
    ),
    fc.oneof({ arbitrary: fc.constantFrom(':invoke', ':ok'), weight: 5 }, ednTypes),
    fc.oneof({ arbitrary: fc.constantFrom(':read', ':write', ':cas', '"read"', 'read'), weight: 5 }, ednScalars),
    fc.array(fc.tuple(ednNames, ednScalars), { maxLength: 5 }),
    fc.array(ednSpace, { minLength: 4, maxLength: 4 }),
    fc.boolean(),
    fc.constantFrom('', '', ' ', '\n', ' {:process 1}', ';x', ' :extra'),
  )
  .map(([process, type, f, extra, space, shuffle, after]) => {
    const fields = [`:process ${process}`, `:type ${type}`, `:f ${f}`];
    for (const [name, value] of extra) fields.push(`${name}${space[0] || ' '}${value}`);
    if (shuffle) fields.reverse();
    return `{${space[1]}${fields.join(`${space[2] || ' '}`)}${space[3]}}${after}`;
  });

/** The full reader's answer for the first form of a line: record, undefined (not a client) or error. */
function fullEdn(line: string): HistoryRecord | undefined | Error {
  try {
    const [first] = parseEdnForms(line);
    if (first === undefined) return new Error('no form');
    return recordFromEdn(first.value, { line: 7, column: 1 });
  } catch (error) {
    return error as Error;
  }
}

/** Where the first form of `line` ends, by the full reader. */
function formEnd(line: string): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{' || char === '[' || char === '(') depth++;
    else if (char === '}' || char === ']' || char === ')') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

describe('the line scanners read what the full readers read, or leave the line to them', () => {
  it('JSON: a scanned line is the record recordFromJson(JSON.parse(line)) makes, never one it refuses', () => {
    let scanned = 0;
    fc.assert(
      fc.property(jsonLines, (line) => {
        const fast = new JsonLineScanner().scan(line, 0, line.length, 7);
        if (fast === NOT_SCANNED) return;
        scanned++;
        expect(fast).toEqual(fullJson(line));
      }),
      { numRuns: runs },
    );
    // The generator reaches the fast path, not only the fallback.
    expect(scanned).toBeGreaterThan(runs / 20);
  });

  it('JSON: a line inside a longer text is read only up to its end', () => {
    const line = '{"process":1,"type":"ok","f":"read","value":"x"}';
    const text = `${line}\n{"process":2}`;
    expect(new JsonLineScanner().scan(text, 0, line.length, 3)).toEqual(fullJson(line, 3));
    expect(new JsonLineScanner().scan(text, 0, line.length - 1, 3)).toBe(NOT_SCANNED);
  });

  it('EDN: a scanned map is the record recordFromEdn makes of the reader’s form, and ends where the form ends', () => {
    let scanned = 0;
    fc.assert(
      fc.property(ednLines, (line) => {
        const scanner = new EdnLineScanner();
        const fast = scanner.scan(line, 0, 7);
        if (fast === NOT_SCANNED) return;
        scanned++;
        const full = fullEdn(line.slice(0, scanner.end));
        if (fast === NOT_A_CLIENT) expect(full).toBeUndefined();
        else expect(fast).toEqual(full);
        expect(scanner.end).toBe(formEnd(line));
      }),
      { numRuns: runs },
    );
    expect(scanned).toBeGreaterThan(runs / 20);
  });

  it('Jepsen’s own lines are scanned', () => {
    const line =
      '{:type :ok, :f :cas, :value [1 2], :process 3, :time 1500, :index 4, :node "n1", :error :timeout, :key [1 :a]}';
    const scanner = new EdnLineScanner();
    expect(scanner.scan(line, 0, 7)).toEqual(fullEdn(line));
    expect(scanner.end).toBe(line.length);
    expect(new EdnLineScanner().scan('{:type :info, :f :kill, :process :nemesis}', 0, 1)).toBe(NOT_A_CLIENT);
  });
});

/** Every record (or the error's class and message) the stream reader gives for `text` in chunks of `size`. */
function streamed(text: string, size: number, scan: boolean): HistoryRecord[] | string {
  const records: HistoryRecord[] = [];
  try {
    const reader = new HistoryStreamReader({ source: 'h', scan, onRecord: (record) => records.push(record) });
    for (let at = 0; at < text.length; at += size) reader.push(text.slice(at, at + size));
    reader.end();
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
  return records;
}

describe('the streaming reader gives the same records and errors with and without the scanners', () => {
  it('JSON Lines, JSON arrays and EDN histories of generated and hostile lines, in any chunking', () => {
    const histories = fc.oneof(
      fc.array(jsonLines, { minLength: 1, maxLength: 8 }).map((lines) => lines.join('\n')),
      fc.array(jsonLines, { minLength: 1, maxLength: 8 }).map((lines) => `[\n${lines.join(',\n')}\n]`),
      fc.array(ednLines, { minLength: 1, maxLength: 8 }).map((lines) => lines.join('\n')),
      fc.array(ednLines, { minLength: 1, maxLength: 8 }).map((lines) => `[${lines.join('\n')}]`),
    );
    fc.assert(
      fc.property(histories, fc.integer({ min: 1, max: 80 }), (text, size) => {
        expect(streamed(text, size, true)).toEqual(streamed(text, size, false));
      }),
      { numRuns: runs },
    );
  });
});
