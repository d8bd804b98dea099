import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from '../src/index.ts';
import { KernelEvents } from '../src/kernel/kernel-events.ts';

/**
 * KernelEvents (columns, a heap of slot numbers, reused slots) is held to EventQueue, the plain
 * heap of objects, as its reference: any script of schedules, reservations, pops and moved events
 * leaves in the same order, with the same payloads.
 */
type Step =
  | { op: 'schedule'; time: number }
  | { op: 'reserve'; time: number; aside: boolean }
  | { op: 'pop' }
  | { op: 'requeue'; later: number; aside: boolean }
  | { op: 'lane'; lane: number; delay: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant('schedule' as const), time: fc.integer({ min: 0, max: 30 }) }),
  // Reserved events go to the main heap or the second one (`scheduleAside`, as carried timers do).
  fc.record({ op: fc.constant('reserve' as const), time: fc.integer({ min: 0, max: 30 }), aside: fc.boolean() }),
  fc.record({ op: fc.constant('pop' as const) }),
  fc.record({ op: fc.constant('requeue' as const), later: fc.integer({ min: 0, max: 5 }), aside: fc.boolean() }),
  // A lane event a delay after the last time popped: mostly in order, out of order when the delays vary.
  fc.record({
    op: fc.constant('lane' as const),
    lane: fc.integer({ min: 0, max: 1 }),
    delay: fc.oneof(fc.constant(10), fc.integer({ min: 0, max: 12 })),
  }),
);

describe('KernelEvents', () => {
  it('leaves in (time, seq) order, like EventQueue, through any schedules, reservations, pops and re-queues, in either heap or a lane', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 20, maxLength: 400, size: 'large' }), (script) => {
        const events = new KernelEvents(2);
        let now = 0;
        const reference = new EventQueue<{ time: number; seq: number; id: number; node: number; dup: number }>();
        let id = 0;
        // The last popped event, which a 'requeue' puts back later with a reserved seq (a carried timer).
        let popped:
          { slot: number; event: { time: number; seq: number; id: number; node: number; dup: number } } | undefined;
        for (const s of script) {
          if (s.op === 'schedule') {
            events.schedule(events.create(s.time, 1, id % 7, `m${id}`, id, -1, id, id % 2 === 0));
            reference.push({ time: s.time, seq: 0, id, node: id % 7, dup: id % 2 === 0 ? 1 : 0 });
            id++;
          } else if (s.op === 'reserve') {
            const seqA = events.reserveSeq();
            const seqB = reference.reserveSeq();
            expect(seqA).toBe(seqB);
            const slot = events.create(s.time, 2, 0, `m${id}`, id, -1, id, false);
            if (s.aside) events.scheduleAside(slot, seqA);
            else events.scheduleReserved(slot, seqA);
            reference.pushReserved({ time: s.time, seq: seqB, id, node: 0, dup: 0 });
            id++;
          } else if (s.op === 'lane') {
            events.scheduleInLane(events.create(now + s.delay, 3, s.lane, `m${id}`, id, -1, id, false), s.lane);
            reference.push({ time: now + s.delay, seq: 0, id, node: s.lane, dup: 0 });
            id++;
          } else if (s.op === 'pop') {
            if (popped) events.release(popped.slot);
            popped = undefined;
            const slot = events.pop();
            const expected = reference.pop();
            if (expected === undefined) {
              expect(slot).toBe(-1);
              continue;
            }
            expect(slot).toBeGreaterThanOrEqual(0);
            expect([events.time[slot], events.seq[slot], events.a[slot], events.b[slot]]).toEqual([
              expected.time,
              expected.seq,
              `m${expected.id}`,
              expected.id,
            ]);
            expect([events.node[slot], events.id[slot], events.dup[slot]]).toEqual([
              expected.node,
              expected.id,
              expected.dup,
            ]);
            popped = { slot, event: expected };
            now = expected.time;
          } else if (popped) {
            const seq = events.reserveSeq();
            expect(reference.reserveSeq()).toBe(seq);
            const time = popped.event.time + s.later;
            events.time[popped.slot] = time;
            if (s.aside) events.scheduleAside(popped.slot, seq);
            else events.scheduleReserved(popped.slot, seq);
            reference.pushReserved({ ...popped.event, time, seq });
            popped = undefined;
          }
        }
        expect(events.size).toBe(reference.size);
      }),
      { numRuns: 300 },
    );
  });

  it('reuses released slots and lets go of their payloads', () => {
    const events = new KernelEvents();
    const payload = { big: 'message' };
    const first = events.create(5, 0, 1, payload, undefined, 0, 1, false);
    events.schedule(first);
    expect(events.pop()).toBe(first);
    events.release(first);
    expect(events.a[first]).toBeUndefined();
    const second = events.create(6, 0, 1, 'next', undefined, 0, 2, false);
    expect(second).toBe(first);
  });

  it('grows past its first capacity without losing anything', () => {
    const events = new KernelEvents();
    for (let i = 0; i < 1000; i++)
      events.schedule(events.create(1000 - i, 0, i, `p${i}`, undefined, i, i, i % 3 === 0));
    const seen: number[] = [];
    for (let slot = events.pop(); slot >= 0; slot = events.pop()) {
      expect(events.a[slot]).toBe(`p${events.node[slot]}`);
      expect(events.dup[slot]).toBe(events.node[slot]! % 3 === 0 ? 1 : 0);
      seen.push(events.time[slot]!);
      events.release(slot);
    }
    expect(seen).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
  });

  it('grows a lane that has wrapped around its ring, keeping its order', () => {
    const events = new KernelEvents(1);
    let scheduled = 0;
    const popped: number[] = [];
    // Fill, drain partly (the head moves), fill past the capacity (the ring wraps, then grows).
    for (const [add, take] of [
      [50, 40],
      [200, 100],
      [1000, 1110],
    ] as const) {
      for (let i = 0; i < add; i++, scheduled++)
        events.scheduleInLane(events.create(scheduled, 6, 0, undefined, undefined, -1, scheduled, false), 0);
      for (let i = 0; i < take; i++) {
        const slot = events.pop();
        popped.push(events.id[slot]!);
        events.release(slot);
      }
    }
    expect(popped).toEqual(Array.from({ length: 1250 }, (_, i) => i));
    expect(events.pop()).toBe(-1);
  });
});
