import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  becomeProbe,
  becomeReplicate,
  becomeSnapshot,
  isPaused,
  maybeDecreaseNext,
  maybeUpdate,
  newProgress,
  sentEntries,
} from '../src/tracker.ts';

/** The progress tracker's state machine, step by step as etcd's tracker/progress_test.go walks it. */
describe('progress (etcd tracker.Progress)', () => {
  it('a probe sends one message and waits for its answer', () => {
    const progress = newProgress('n2', 11, 1);
    expect(isPaused(progress, 0)).toBe(false);
    sentEntries(progress, 12, 2);
    expect(isPaused(progress, 0)).toBe(true);
    // The follower rejects 10 and hints 7: probe from 8, and send again.
    expect(maybeDecreaseNext(progress, 10, 7)).toBe(true);
    expect([progress.next, isPaused(progress, 0)]).toEqual([8, false]);
    // A stale rejection (not of the probe in flight) changes nothing.
    expect(maybeDecreaseNext(progress, 5, 2)).toBe(false);
  });

  it('after a match it streams, at most maxInflight messages unacknowledged', () => {
    const progress = newProgress('n2', 8, 1);
    expect(maybeUpdate(progress, 7)).toBe(true);
    becomeReplicate(progress);
    expect([progress.mode, progress.next]).toEqual(['replicate', 8]);
    sentEntries(progress, 9, 2);
    sentEntries(progress, 11, 2);
    expect([progress.next, isPaused(progress, 2), isPaused(progress, 0)]).toEqual([12, true, false]);
    // The first message is acknowledged: one slot frees.
    expect(maybeUpdate(progress, 9)).toBe(true);
    expect([progress.inflight, isPaused(progress, 2)]).toEqual([[11], false]);
    // A duplicate acknowledgement moves nothing.
    expect(maybeUpdate(progress, 9)).toBe(false);
  });

  it('a rejection while streaming falls back to probing from match + 1; a stale one is ignored', () => {
    const progress = newProgress('n2', 1, 1);
    maybeUpdate(progress, 5);
    becomeReplicate(progress);
    sentEntries(progress, 9, 4);
    expect(maybeDecreaseNext(progress, 4, 0)).toBe(false);
    expect(maybeDecreaseNext(progress, 7, 0)).toBe(true);
    becomeProbe(progress);
    expect([progress.mode, progress.next, progress.inflight]).toEqual(['probe', 6, []]);
  });

  it('a snapshot in flight pauses everything until the follower answers', () => {
    const progress = newProgress('n2', 3, 1);
    becomeSnapshot(progress, 40);
    expect([progress.next, isPaused(progress, 0), maybeDecreaseNext(progress, 2, 0)]).toEqual([41, true, false]);
    maybeUpdate(progress, 40);
    becomeReplicate(progress);
    expect([progress.mode, progress.next, isPaused(progress, 0)]).toEqual(['replicate', 41, false]);
  });
});

/**
 * The in-flight list against its definition: the last index of every AppendEntries sent while
 * replicating, oldest first, without those an acknowledgement covered or a change of mode forgot.
 */
describe('in-flight messages (etcd Inflights)', () => {
  const operation = fc.oneof(
    fc.record({ kind: fc.constant('send' as const), count: fc.integer({ min: 0, max: 3 }) }),
    fc.record({ kind: fc.constant('ack' as const), back: fc.integer({ min: 0, max: 6 }) }),
    fc.record({ kind: fc.constantFrom('replicate' as const, 'probe' as const, 'snapshot' as const) }),
  );

  it('holds exactly the sent messages not yet acknowledged, in order', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 60 }), (operations) => {
        const progress = newProgress('n2', 1, 1);
        becomeReplicate(progress);
        let expected: number[] = [];
        for (const op of operations) {
          if (op.kind === 'send') {
            const last = progress.next - 1 + op.count;
            if (progress.mode === 'replicate' && op.count > 0) expected.push(last);
            sentEntries(progress, last, op.count);
          } else if (op.kind === 'ack') {
            const index = Math.max(0, progress.next - 1 - op.back);
            expected = expected.filter((last) => last > index);
            maybeUpdate(progress, index);
          } else {
            expected = [];
            if (op.kind === 'replicate') becomeReplicate(progress);
            else if (op.kind === 'probe') becomeProbe(progress);
            else becomeSnapshot(progress, progress.next);
          }
          expect(progress.inflight).toEqual(expected);
        }
      }),
      { numRuns: 300 },
    );
  });
});
