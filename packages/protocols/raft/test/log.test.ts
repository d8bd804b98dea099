import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Entry } from '../src/entry.ts';
import {
  compactTo,
  entriesFrom,
  findConflictByTerm,
  isUpToDate,
  lastIndex,
  lastTerm,
  matchingPrefix,
  termAt,
  truncateAfter,
  type LogState,
} from '../src/log.ts';

/**
 * The log against a plain model: an array of terms from index 1, of which the first
 * `snapshotIndex` were compacted (only the snapshot's own term is remembered).
 */
const entry = (term: number): Entry => ({ term, kind: 'noop' });

function build(terms: readonly number[], snapshotIndex: number): LogState {
  return {
    log: terms.slice(snapshotIndex).map(entry),
    snapshotIndex,
    snapshotTerm: snapshotIndex === 0 ? 0 : terms[snapshotIndex - 1]!,
  };
}

/** Non-decreasing terms, as every Raft log has, and a compaction point within them. */
const logs = fc
  .array(fc.integer({ min: 1, max: 3 }), { maxLength: 12 })
  .map((steps) => {
    let term = 1;
    return steps.map((step) => (term += step - 1));
  })
  .chain((terms) => fc.record({ terms: fc.constant(terms), snapshotIndex: fc.integer({ min: 0, max: terms.length }) }));

describe('the log (etcd raftLog)', () => {
  it('answers last index, last term and term at an index as the model does, compacted or not', () => {
    fc.assert(
      fc.property(logs, ({ terms, snapshotIndex }) => {
        const log = build(terms, snapshotIndex);
        expect(lastIndex(log)).toBe(terms.length);
        expect(lastTerm(log)).toBe(terms.length === 0 ? 0 : terms[terms.length - 1]);
        for (let index = 0; index <= terms.length + 1; index++) {
          const expected =
            index < snapshotIndex ? undefined : index === 0 ? 0 : index > terms.length ? undefined : terms[index - 1];
          expect(termAt(log, index)).toBe(expected);
        }
      }),
    );
  });

  it('findConflictByTerm returns the last index at or below the given one whose term is at most the given term', () => {
    fc.assert(
      fc.property(logs, fc.integer({ min: 0, max: 14 }), fc.integer({ min: 0, max: 30 }), (shape, index, term) => {
        const log = build(shape.terms, shape.snapshotIndex);
        const from = Math.min(index, lastIndex(log));
        let expected = 0;
        for (let i = from; i > 0; i--) {
          if (i < shape.snapshotIndex || shape.terms[i - 1]! <= term) {
            expected = i;
            break;
          }
        }
        expect(findConflictByTerm(log, from, term)).toBe(expected);
      }),
    );
  });

  it('matchingPrefix counts the entries already held; truncation and compaction keep the indexes', () => {
    const log = build([1, 1, 2, 2, 3], 1);
    expect(matchingPrefix(log, 2, [entry(2), entry(2), entry(4)])).toBe(2);
    expect(matchingPrefix(log, 2, [entry(3)])).toBe(0);
    expect(entriesFrom(log, 3, 2).map((e) => e.term)).toEqual([2, 2]);
    truncateAfter(log, 3);
    expect([lastIndex(log), lastTerm(log)]).toEqual([3, 2]);
    compactTo(log, 3, 2);
    expect([lastIndex(log), termAt(log, 3), termAt(log, 2), log.log.length]).toEqual([3, 2, undefined, 0]);
  });

  it('a log is up to date when its last term is higher, or equal with an index at least ours (paper §5.4.1)', () => {
    const log = build([1, 2, 2], 0);
    expect(isUpToDate(log, 1, 3)).toBe(true);
    expect(isUpToDate(log, 3, 2)).toBe(true);
    expect(isUpToDate(log, 2, 2)).toBe(false);
    expect(isUpToDate(log, 9, 1)).toBe(false);
  });
});
