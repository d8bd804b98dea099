import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteHasher } from '../src/trace/hash.ts';
import { hashTrace, TraceRecorder, utf8 } from '../src/trace/recorder.ts';

/**
 * The recorder writes trace lines straight into UTF-8 byte chunks. These tests hold it to the
 * plain definition: a line is JSON.stringify of the event, the trace is the lines joined by
 * newlines, and the hash is the hash of those bytes, however the chunks happen to fall.
 */
const decoder = new TextDecoder();

function written(fill: (recorder: TraceRecorder) => void): string {
  const recorder = new TraceRecorder('memory');
  recorder.begin(0);
  recorder.bytes(utf8(',"v":'));
  fill(recorder);
  recorder.bytes(utf8('}'));
  recorder.end();
  return recorder.text();
}

/** What JSON.stringify writes, with `null` where it writes nothing (a top-level undefined). */
const reference = (value: unknown) => `{"t":0,"v":${JSON.stringify(value) ?? 'null'}}\n`;

describe('TraceRecorder.value writes exactly what JSON.stringify writes', () => {
  it('for arbitrary values: objects, arrays, unicode, -0, NaN, integer-like keys, null prototypes, sparse arrays', () => {
    fc.assert(
      fc.property(
        fc.anything({
          withNullPrototype: true,
          withSparseArray: true,
          withObjectString: true,
          withDate: true,
          withMap: true,
          withSet: true,
          withBoxedValues: true,
          maxDepth: 4,
        }),
        (value) => {
          expect(written((recorder) => recorder.value(value))).toBe(reference(value));
        },
      ),
      { numRuns: 2000, seed: 20261121 },
    );
  });

  it('for the values JSON treats specially', () => {
    const odd: unknown[] = [
      -0,
      0,
      1e15,
      1e21,
      123456789012345,
      -5,
      0.1,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.MAX_SAFE_INTEGER,
      '',
      'a"b\\c',
      'tab\there',
      'line\nbreak',
      '\u0000\u001f\u007f',
      'é😀',
      '\ud800 lone',
      '\udc00',
      { toJSON: () => 'custom' },
      { a: undefined, b: () => 1, c: Symbol('s'), d: 1 },
      [undefined, () => 1, Symbol('s')],
      { 2: 'two', 1: 'one', b: 'b', a: 'a' },
      Object.assign(Object.create(null), { x: 1 }),
      new Date(0),
      new Map([[1, 2]]),
      undefined,
      () => 1,
      Symbol('top'),
      true,
      false,
      null,
    ];
    for (const value of odd)
      expect(
        written((recorder) => recorder.value(value)),
        String(typeof value),
      ).toBe(reference(value));
    const deep: unknown[] = [];
    let cursor = deep;
    for (let i = 0; i < 100; i++) cursor.push((cursor = []));
    expect(written((recorder) => recorder.value(deep))).toBe(reference(deep));
  });

  it('string() quotes and escapes like JSON.stringify, and integer() writes like it', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.oneof(fc.nat(), fc.double()), (text, number) => {
        expect(written((recorder) => recorder.string(text))).toBe(reference(text));
        expect(written((recorder) => recorder.integer(number))).toBe(reference(number));
      }),
      { numRuns: 2000, seed: 7 },
    );
  });

  it('a cycle throws, as JSON.stringify does', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => written((recorder) => recorder.value(cyclic))).toThrow(/circular/);
  });
});

describe('TraceRecorder chunks', () => {
  it('lines of any length and any characters: text, lines, chunk sink and line sink agree, and the hash is the hash of the text', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            { weight: 5, arbitrary: fc.string({ unit: 'grapheme', maxLength: 200 }) },
            { weight: 1, arbitrary: fc.string({ minLength: 100_000, maxLength: 400_000 }) },
          ),
          { maxLength: 60 },
        ),
        (values) => {
          const chunks: Uint8Array[] = [];
          const sunk: string[] = [];
          const memory = new TraceRecorder(
            'memory',
            (line) => sunk.push(line),
            (bytes) => chunks.push(bytes.slice()),
          );
          const hashed = new TraceRecorder('hash');
          for (const value of values) {
            for (const recorder of [memory, hashed]) {
              recorder.begin(values.length);
              recorder.bytes(utf8(',"v":'));
              recorder.value(value);
              recorder.bytes(utf8('}'));
              recorder.end();
            }
          }
          const expected = values.map((value) => `{"t":${values.length},"v":${JSON.stringify(value)}}\n`).join('');
          expect(memory.hash()).toBe(hashTrace(expected));
          expect(hashed.hash()).toBe(memory.hash());
          expect(memory.text()).toBe(expected);
          expect(memory.lines).toEqual(values.map((value) => `{"t":${values.length},"v":${JSON.stringify(value)}}`));
          expect(sunk).toEqual(memory.lines);
          expect(chunks.map((bytes) => decoder.decode(bytes)).join('')).toBe(expected);
          expect(memory.eventCount).toBe(values.length);
        },
      ),
      { numRuns: 30, seed: 11 },
    );
  });

  it('an abandoned line leaves no trace, and sameSince compares the bytes written since a point in the line', () => {
    const recorder = new TraceRecorder('memory');
    recorder.writeSerialized('{"k":"first"}');
    recorder.begin(5);
    const from = recorder.lineOffset();
    recorder.value({ a: 1 });
    expect(recorder.sameSince(from, utf8('{"a":1}'))).toBe(true);
    expect(recorder.sameSince(from, utf8('{"a":2}'))).toBe(false);
    expect(decoder.decode(recorder.copySince(from))).toBe('{"a":1}');
    recorder.abandonLine();
    recorder.writeSerialized('{"k":"last"}');
    expect(recorder.lines).toEqual(['{"k":"first"}', '{"k":"last"}']);
    expect(recorder.eventCount).toBe(2);
  });
});

describe('ByteHasher', () => {
  it('gives the same digest however the bytes are split into updates', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat(300), { maxLength: 8 }), (bytes, cuts) => {
        const whole = new ByteHasher();
        whole.update(bytes);
        const pieces = new ByteHasher();
        const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
        let from = 0;
        for (const point of [...points, bytes.length]) {
          pieces.update(bytes, from, point);
          from = point;
        }
        expect(pieces.digest()).toBe(whole.digest());
      }),
      { numRuns: 1000, seed: 3 },
    );
  });

  it('tells apart inputs that differ in one byte, in length, or in trailing zeros', () => {
    const digest = (bytes: number[]) => {
      const hasher = new ByteHasher();
      hasher.update(Uint8Array.from(bytes));
      return hasher.digest();
    };
    const seen = new Set<string>();
    for (let length = 0; length <= 9; length++) {
      for (let byte = 0; byte < 256; byte++) seen.add(digest([...Array<number>(length).fill(0), byte]));
    }
    expect(seen.size).toBe(10 * 256);
  });
});
