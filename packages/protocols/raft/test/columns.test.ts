import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withRoomFor } from '../src/columns.ts';

/** Writes at any indexes, in any order: a grown array must read back what a plain array holds (0 where nothing was written). */
const writes = fc.array(fc.tuple(fc.nat({ max: 5000 }), fc.double({ noNaN: true })), { maxLength: 300 });

describe('withRoomFor', () => {
  it('reads back what a plain array holds, keeps an array with room, and grows one without to at least twice its length', () => {
    fc.assert(
      fc.property(writes, fc.nat({ max: 40 }), (sequence, initialLength) => {
        let array: Float64Array = new Float64Array(initialLength);
        const reference: number[] = [];
        for (const [index, value] of sequence) {
          const before = array;
          array = withRoomFor(array, index);
          if (index < before.length) {
            if (array !== before) expect.fail(`replaced an array of ${before.length} for index ${index}`);
          } else if (array.length < Math.max(2 * before.length, index + 1)) {
            expect.fail(`grew ${before.length} to ${array.length} for index ${index}`);
          }
          array[index] = value;
          reference[index] = value;
        }
        // Object.is: -0 must stay -0, as in a plain array.
        const firstMismatch = array.findIndex((value, index) => !Object.is(value, reference[index] ?? 0));
        expect(firstMismatch).toBe(-1);
        expect(array.length).toBeGreaterThanOrEqual(reference.length);
      }),
    );
  });
});
