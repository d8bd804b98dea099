import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from '../src/index.ts';

describe('EventQueue', () => {
  it('pops in (time, insertion order) order', () => {
    const queue = new EventQueue<{ time: number; seq: number; name: string }>();
    for (const [time, name] of [
      [5, 'a'],
      [1, 'b'],
      [5, 'c'],
      [0, 'd'],
      [1, 'e'],
    ] as const)
      queue.push({ time, seq: 0, name });
    const order: string[] = [];
    for (let event = queue.pop(); event; event = queue.pop()) order.push(event.name);
    expect(order).toEqual(['d', 'b', 'e', 'a', 'c']);
  });

  it('agrees with a stable sort for any interleaving of pushes and pops', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constant(-1)), { maxLength: 300, size: 'large' }),
        (script) => {
          const queue = new EventQueue<{ time: number; seq: number; id: number }>();
          const reference: Array<{ time: number; id: number }> = [];
          let id = 0;
          for (const step of script) {
            if (step >= 0) {
              queue.push({ time: step, seq: 0, id });
              reference.push({ time: step, id: id++ });
            } else {
              // Reference: the earliest time, and among equals the earliest pushed.
              let best = -1;
              for (let i = 0; i < reference.length; i++)
                if (best === -1 || reference[i]!.time < reference[best]!.time) best = i;
              const expected = best === -1 ? undefined : reference.splice(best, 1)[0];
              expect(queue.pop()?.id).toBe(expected?.id);
            }
          }
          expect(queue.size).toBe(reference.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});
