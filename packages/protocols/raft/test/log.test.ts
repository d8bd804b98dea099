import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Entry } from '../src/entry.ts';
import {
  compactTo,
  entriesFrom,
  findConflictByTerm,
  appendAll,
  isUpToDate,
  lastIndex,
  lastStableIndex,
  lastTerm,
  matchingPrefix,
  resetTo,
  stableTo,
  termAt,
  truncateAfter,
  unstableEntries,
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
    unstableOffset: terms.length + 1,
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

/**
 * The unstable tail (etcd unstable.go) against a plain model: every index's term from 1 on, the
 * compaction point, and how many indexes are known durable. Appends are unstable; a sync that
 * completes makes its prefix stable only if its last entry is still the one it wrote; a truncation
 * below the stable point makes what follows unstable again; compaction and a snapshot install
 * move the tail's start past the snapshot.
 */
interface Model {
  terms: number[];
  snapshotIndex: number;
  stable: number;
}

type Operation =
  | { readonly op: 'append'; readonly count: number; readonly termStep: number }
  | { readonly op: 'truncate'; readonly back: number }
  | { readonly op: 'stableTo'; readonly back: number; readonly termDelta: number }
  | { readonly op: 'compact'; readonly back: number }
  | { readonly op: 'reset'; readonly ahead: number };

const operations = fc.array(
  fc.oneof(
    fc.record({
      op: fc.constant('append' as const),
      count: fc.integer({ min: 1, max: 3 }),
      termStep: fc.integer({ min: 0, max: 1 }),
    }),
    fc.record({ op: fc.constant('truncate' as const), back: fc.integer({ min: 0, max: 4 }) }),
    fc.record({
      op: fc.constant('stableTo' as const),
      back: fc.integer({ min: 0, max: 4 }),
      termDelta: fc.constantFrom(0, 0, 0, 1),
    }),
    fc.record({ op: fc.constant('compact' as const), back: fc.integer({ min: 0, max: 4 }) }),
    fc.record({ op: fc.constant('reset' as const), ahead: fc.integer({ min: 0, max: 3 }) }),
  ),
  { maxLength: 40 },
);

/** Applies one operation to the log and to the model; the operation's index is clamped into the log. */
function applyBoth(log: LogState, model: Model, operation: Operation): void {
  const last = model.terms.length;
  const termOf = (index: number) => (index === 0 ? 0 : model.terms[index - 1]!);
  switch (operation.op) {
    case 'append': {
      // A later term than any in the log, as a new leader's entries are.
      const term = (last === 0 ? 1 : termOf(last)) + operation.termStep;
      const fresh = Array.from({ length: operation.count }, () => entry(term));
      appendAll(log, fresh);
      model.terms.push(...fresh.map((e) => e.term));
      return;
    }
    case 'truncate': {
      const after = Math.max(model.snapshotIndex, last - operation.back);
      truncateAfter(log, after);
      model.terms.length = after;
      model.stable = Math.min(model.stable, after);
      return;
    }
    case 'stableTo': {
      const index = Math.max(0, last - operation.back);
      const term = termOf(index) + operation.termDelta;
      stableTo(log, index, term);
      if (index > model.stable && index > model.snapshotIndex && termOf(index) === term) model.stable = index;
      return;
    }
    case 'compact': {
      const index = Math.max(model.snapshotIndex, last - operation.back);
      compactTo(log, index, termOf(index));
      model.snapshotIndex = index;
      model.stable = Math.max(model.stable, index);
      return;
    }
    case 'reset': {
      // A snapshot from beyond the log: its entries are unknown, only its index and term.
      const index = last + operation.ahead + 1;
      const term = (last === 0 ? 1 : termOf(last)) + 1;
      resetTo(log, index, term);
      model.terms = [...model.terms, ...Array.from({ length: index - last }, () => term)];
      model.snapshotIndex = index;
      model.stable = index;
      return;
    }
  }
}

describe('the unstable tail (etcd unstable.go)', () => {
  it('agrees with a plain array model through appends, syncs, truncations, compactions and snapshot installs', () => {
    fc.assert(
      fc.property(operations, (steps) => {
        const log: LogState = { log: [], snapshotIndex: 0, snapshotTerm: 0, unstableOffset: 1 };
        const model: Model = { terms: [], snapshotIndex: 0, stable: 0 };
        for (const step of steps) {
          applyBoth(log, model, step);
          expect(lastIndex(log)).toBe(model.terms.length);
          expect(lastStableIndex(log)).toBe(model.stable);
          expect(log.unstableOffset).toBeGreaterThan(log.snapshotIndex);
          expect(log.unstableOffset).toBeLessThanOrEqual(lastIndex(log) + 1);
          expect(unstableEntries(log).map((e) => e.term)).toEqual(model.terms.slice(model.stable));
          for (let index = model.snapshotIndex; index <= model.terms.length; index++)
            expect(termAt(log, index)).toBe(index === 0 ? 0 : model.terms[index - 1]);
        }
      }),
    );
  });

  it('a sync that completes for an entry since replaced leaves the replacement unstable', () => {
    const log = build([1, 1, 1], 0);
    log.unstableOffset = 2; // index 1 durable, 2 and 3 written, their sync under way
    truncateAfter(log, 1);
    appendAll(log, [entry(2), entry(2)]);
    stableTo(log, 3, 1); // the old sync's completion names the old entry at 3
    expect(lastStableIndex(log)).toBe(1);
    expect(unstableEntries(log).map((e) => e.term)).toEqual([2, 2]);
    stableTo(log, 3, 2);
    expect([lastStableIndex(log), unstableEntries(log).length]).toEqual([3, 0]);
  });
});
