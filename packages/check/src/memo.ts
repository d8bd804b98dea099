/**
 * The search's memory of explored configurations: (set of linearized operations, model state).
 *
 * The set is a bitset kept by the search; its 64-bit hash is two independent 32-bit Zobrist
 * halves (XOR of a fixed random word per operation, each half from its own nonlinear generator,
 * so neither half is a function of the other). The model state enters as an exact small integer
 * (states are interned by their key), mixed into both halves. Equal hashes are then compared
 * exactly (state id and every word of the set), so a collision costs time, never a wrong verdict.
 *
 * Stored sets are trimmed: the leading words whose bits are all set (the operations everyone has
 * linearized) are kept as a count, and trailing zero words are dropped, so an entry costs about
 * the width of the search's window of concurrent operations, not the partition's length. Entries
 * live in typed arrays (an open-addressing table and one word pool), not in per-entry objects.
 */
export class ConfigurationMemo {
  readonly words: number;
  /** The current set; bits past the last operation are set, so the last word can be "full". */
  readonly bits: Uint32Array;
  private readonly zobristLow: Int32Array;
  private readonly zobristHigh: Int32Array;
  private hashLow = 0;
  private hashHigh = 0;
  /** Leading words of `bits` that are all ones. */
  private fullWords = 0;

  private capacity = 1 << 12;
  private slotLow = new Int32Array(this.capacity);
  private slotHigh = new Int32Array(this.capacity);
  /** Entry number + 1 per slot; 0 is empty. */
  private slotEntry = new Int32Array(this.capacity);
  private entryCount = 0;
  private entryState = new Int32Array(1024);
  private entryStart = new Int32Array(1024);
  private entryOffset = new Int32Array(1024);
  private entryLength = new Int32Array(1024);
  private pool = new Uint32Array(1 << 14);
  private poolUsed = 0;

  constructor(operations: number) {
    this.words = Math.max(1, (operations + 31) >>> 5);
    this.bits = new Uint32Array(this.words);
    const spare = this.words * 32 - operations;
    if (spare > 0) this.bits[this.words - 1] = ~(0xffffffff >>> spare) >>> 0;
    if (operations === 0) this.bits[0] = 0xffffffff;
    this.zobristLow = new Int32Array(operations);
    this.zobristHigh = new Int32Array(operations);
    for (let op = 0; op < operations; op++) {
      this.zobristLow[op] = mix32(op, 0x243f6a88);
      this.zobristHigh[op] = mix32(mix32(op, 0x85a308d3), 0x13198a2e);
    }
    while (this.fullWords < this.words && this.bits[this.fullWords] === 0xffffffff) this.fullWords++;
  }

  /** Entries remembered. */
  get size(): number {
    return this.entryCount;
  }

  /** Adds or removes `op` from the current set. */
  toggle(op: number): void {
    const word = op >>> 5;
    const after = (this.bits[word]! ^ (1 << (op & 31))) >>> 0;
    this.bits[word] = after;
    this.hashLow ^= this.zobristLow[op]!;
    this.hashHigh ^= this.zobristHigh[op]!;
    if (after === 0xffffffff) {
      if (word === this.fullWords)
        while (this.fullWords < this.words && this.bits[this.fullWords] === 0xffffffff) this.fullWords++;
    } else if (word < this.fullWords) this.fullWords = word;
  }

  /** Records (current set, state) and returns true when it was not remembered before. */
  remember(state: number): boolean {
    const low = mix32(this.hashLow ^ Math.imul(state, 0x9e3779b1), 0x6a09e667) | 0;
    const high = mix32(this.hashHigh ^ Math.imul(state, 0x7feb352d), 0xbb67ae85) | 0;
    const start = this.fullWords;
    let end = this.words;
    while (end > start && this.bits[end - 1] === 0) end--;
    const mask = this.capacity - 1;
    let slot = low & mask;
    for (;;) {
      const entry = this.slotEntry[slot]!;
      if (entry === 0) break;
      if (this.slotLow[slot] === low && this.slotHigh[slot] === high && this.same(entry - 1, state, start, end))
        return false;
      slot = (slot + 1) & mask;
    }
    const entry = this.store(state, start, end);
    this.slotLow[slot] = low;
    this.slotHigh[slot] = high;
    this.slotEntry[slot] = entry + 1;
    if (this.entryCount * 2 > this.capacity) this.grow();
    return true;
  }

  private same(entry: number, state: number, start: number, end: number): boolean {
    if (this.entryState[entry] !== state || this.entryStart[entry] !== start) return false;
    const length = end - start;
    if (this.entryLength[entry] !== length) return false;
    const offset = this.entryOffset[entry]!;
    for (let w = 0; w < length; w++) if (this.pool[offset + w] !== this.bits[start + w]) return false;
    return true;
  }

  private store(state: number, start: number, end: number): number {
    const entry = this.entryCount++;
    if (entry === this.entryState.length) {
      this.entryState = growInt(this.entryState);
      this.entryStart = growInt(this.entryStart);
      this.entryOffset = growInt(this.entryOffset);
      this.entryLength = growInt(this.entryLength);
    }
    const length = end - start;
    if (this.poolUsed + length > this.pool.length) {
      const pool = new Uint32Array(Math.max(this.pool.length * 2, this.poolUsed + length));
      pool.set(this.pool.subarray(0, this.poolUsed));
      this.pool = pool;
    }
    this.pool.set(this.bits.subarray(start, end), this.poolUsed);
    this.entryState[entry] = state;
    this.entryStart[entry] = start;
    this.entryOffset[entry] = this.poolUsed;
    this.entryLength[entry] = length;
    this.poolUsed += length;
    return entry;
  }

  private grow(): void {
    const oldLow = this.slotLow;
    const oldHigh = this.slotHigh;
    const oldEntry = this.slotEntry;
    this.capacity *= 2;
    this.slotLow = new Int32Array(this.capacity);
    this.slotHigh = new Int32Array(this.capacity);
    this.slotEntry = new Int32Array(this.capacity);
    const mask = this.capacity - 1;
    for (let i = 0; i < oldEntry.length; i++) {
      if (oldEntry[i] === 0) continue;
      let slot = oldLow[i]! & mask;
      while (this.slotEntry[slot] !== 0) slot = (slot + 1) & mask;
      this.slotLow[slot] = oldLow[i]!;
      this.slotHigh[slot] = oldHigh[i]!;
      this.slotEntry[slot] = oldEntry[i]!;
    }
  }
}

function growInt(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(array.length * 2);
  grown.set(array);
  return grown;
}

/** MurmurHash3's 32-bit finalizer over (value + seed): a bijection with full avalanche. */
export function mix32(value: number, seed: number): number {
  let h = (value + Math.imul(seed, 0x9e3779b1)) | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}
