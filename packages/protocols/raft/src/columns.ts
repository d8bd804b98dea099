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

/** Keys per chunk of a ChunkedStrings. */
const CHUNK = 4096;

/**
 * Strings by index (undefined where none was set), in fixed chunks. A plain array of hundreds of
 * thousands of references is copied whole, in the large-object space, each time it grows, and
 * turns into a slow dictionary if an index leaves a gap; chunks are neither copied nor sparse.
 */
export class ChunkedStrings {
  private readonly chunks: Array<Array<string | undefined> | undefined> = [];

  get(index: number): string | undefined {
    return this.chunks[Math.floor(index / CHUNK)]?.[index % CHUNK];
  }

  set(index: number, value: string): void {
    const number = Math.floor(index / CHUNK);
    const chunks = this.chunks;
    while (chunks.length <= number) chunks.push(undefined);
    let chunk = chunks[number];
    if (chunk === undefined) {
      chunk = new Array<string | undefined>(CHUNK).fill(undefined);
      chunks[number] = chunk;
    }
    chunk[index % CHUNK] = value;
  }
}
