import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EdnError,
  historyFromEdn,
  historyFromJson,
  HistoryFormatError,
  HistoryStreamReader,
  type HistoryRecord,
} from '../src/index.ts';

const runs = Number(process.env.DSIM_PROPERTY_RUNS ?? 1000);

/** Pieces of EDN and JSON histories, so random texts reach past the first character. */
const fragments = [
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  '#{',
  '#_',
  '#jepsen.history.Op',
  ':process',
  ':type',
  ':invoke',
  ':ok',
  ':fail',
  ':info',
  ':f',
  ':read',
  ':write',
  ':cas',
  ':value',
  ':key',
  ':time',
  ':nemesis',
  'nil',
  'true',
  '0',
  '1',
  '-7',
  '2.5',
  '1e999',
  '99999999999999999999',
  '7N',
  '1/2',
  '"x"',
  '"\\u00',
  '"\\q"',
  '\\a',
  ';',
  ',',
  ' ',
  '\n',
  '"process"',
  '"type"',
  '"invoke"',
  '"ok"',
  '"f"',
  '"read"',
  '"value"',
  '"key"',
  '"time"',
  ':',
  '"__proto__"',
  ':__proto__',
  '"constructor"',
  'null',
  '\uFEFF',
];

const texts = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.array(fc.constantFrom(...fragments), { maxLength: 60 }).map((pieces) => pieces.join('')),
  fc
    .array(fc.constantFrom(...fragments), { maxLength: 30 })
    .map((pieces) => `{:process 0, :type :invoke, :f :write, :value ${pieces.join(' ')}}`),
  fc
    .array(fc.constantFrom(...fragments), { maxLength: 30 })
    .map((pieces) => `{"process":0,"type":"invoke","f":"write","value":${pieces.join('')}}`),
);

/** Runs `read`; a thrown error must be the reader's own, with a message that says what is wrong. */
function resultOrClearError(read: () => unknown): void {
  try {
    read();
  } catch (error) {
    if (!(error instanceof EdnError || error instanceof HistoryFormatError)) throw error;
    expect(error.message).toMatch(/line \d+|entry \d+|not valid JSON|expected/);
  }
}

function streamAll(text: string, size: number, format: 'edn' | 'json' | undefined): HistoryRecord[] {
  const records: HistoryRecord[] = [];
  const reader = new HistoryStreamReader({
    source: 'fuzz',
    ...(format ? { format } : {}),
    onRecord: (record) => records.push(record),
  });
  for (let at = 0; at < text.length; at += size) reader.push(text.slice(at, at + size));
  reader.end();
  return records;
}

describe('history readers on any input: a result or a clear error', () => {
  it('the whole-text EDN reader', () => {
    fc.assert(
      fc.property(texts, (text) => resultOrClearError(() => historyFromEdn(text))),
      { numRuns: runs },
    );
  });

  it('the whole-text JSON reader', () => {
    fc.assert(
      fc.property(texts, (text) => resultOrClearError(() => historyFromJson(text))),
      { numRuns: runs },
    );
  });

  it('the streaming reader, in any chunking and format, and the whole-text readers agree with it', () => {
    fc.assert(
      fc.property(
        texts,
        fc.integer({ min: 1, max: 50 }),
        fc.constantFrom('edn' as const, 'json' as const, undefined),
        (text, size, format) => {
          resultOrClearError(() => streamAll(text, size, format));
          // Chunking never changes what is read.
          let whole: HistoryRecord[] | string;
          let pieces: HistoryRecord[] | string;
          try {
            whole = streamAll(text, Math.max(1, text.length), format);
          } catch (error) {
            whole = (error as Error).constructor.name;
          }
          try {
            pieces = streamAll(text, size, format);
          } catch (error) {
            pieces = (error as Error).constructor.name;
          }
          expect(pieces).toEqual(whole);
        },
      ),
      { numRuns: runs },
    );
  });
});
