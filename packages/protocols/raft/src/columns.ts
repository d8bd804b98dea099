/**
 * Growable typed arrays for memory indexed by log index. A run of an hour remembers a few numbers
 * for each of hundreds of thousands of indexes: in a typed array they are raw bytes that the
 * garbage collector never traces, and a store is a plain write (no write barrier, no change of an
 * array's elements kind).
 */

/**
 * `array` when `index` fits in it, else a copy with room for it, at least twice as long: n writes
 * at increasing indexes copy O(n) numbers in all. The new slots hold 0.
 */
export function withRoomFor(array: Float64Array, index: number): Float64Array {
  if (index < array.length) return array;
  let length = Math.max(2 * array.length, 16);
  while (length <= index) length *= 2;
  const grown = new Float64Array(length);
  grown.set(array);
  return grown;
}

/** Keys per chunk of a ChunkedStrings: 2^CHUNK_BITS. Log indexes stay far below 2^31, so bit operations are exact. */
const CHUNK_BITS = 12;
const CHUNK = 1 << CHUNK_BITS;
const IN_CHUNK = CHUNK - 1;

/**
 * Strings by index (undefined where none was set), in fixed chunks. A plain array of hundreds of
 * thousands of references is copied whole, in the large-object space, each time it grows, and
 * turns into a slow dictionary if an index leaves a gap; chunks are neither copied nor sparse.
 */
export class ChunkedStrings {
  /** Every chunk up to the highest index set exists, so the array never holds anything but chunks. */
  private readonly chunks: Array<Array<string | undefined>> = [];

  get(index: number): string | undefined {
    return this.chunks[index >>> CHUNK_BITS]?.[index & IN_CHUNK];
  }

  set(index: number, value: string): void {
    if (!(index >= 0 && index < 2 ** 31)) throw new Error(`ChunkedStrings: index ${index} is outside 0 .. 2^31 - 1`);
    const number = index >>> CHUNK_BITS;
    const chunks = this.chunks;
    while (chunks.length <= number) chunks.push(new Array<string | undefined>(CHUNK).fill(undefined));
    chunks[number]![index & IN_CHUNK] = value;
  }
}
