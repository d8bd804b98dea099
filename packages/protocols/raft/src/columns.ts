/**
 * Growable typed arrays for memory indexed by log index. A run of an hour remembers a few numbers
 * for each of hundreds of thousands of indexes; a typed array holds them as plain numbers side by
 * side, with no object per number for the garbage collector to walk.
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
