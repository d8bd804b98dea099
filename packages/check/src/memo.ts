/**
 * The search's memory of explored configurations: (set of linearized operations, model state).
 *
 * The set is a bitset kept by the search; its 64-bit hash is two independent 32-bit Zobrist
 * halves (XOR of a fixed random word per operation, each half from its own nonlinear generator,
 * so neither half is a function of the other). The model state enters as an exact small integer
 * (states are interned by their key), mixed into both halves. Equal hashes are then compared
 * exactly (state id and every word of the set), so a collision costs time, never a wrong verdict.
 *
 * Stored sets are trimmed: the leading words whose completed operations are all linearized are
 * kept as a count, and trailing zero words are dropped, so an entry costs about the width of the
 * search's window of concurrent operations, not the partition's length. Operations that never
 * complete (`info`) may stay unlinearized forever, so they do not stop a word from counting as
 * full; the ones linearized inside the full words are stored as a list of ids instead. Entries
 * live in typed arrays (an open-addressing table and one word pool), not in per-entry objects.
 */
export class ConfigurationMemo {
  readonly words: number;
  /** The current set. */
  readonly bits: Uint32Array;
  /** Bits that do not decide whether a word is full: operations that never complete, and the padding past the last. */
  private readonly loose: Uint32Array;
  /** The operations that never complete, ascending. */
  private readonly unknownOps: Int32Array;
  private readonly zobristLow: Int32Array;
  private readonly zobristHigh: Int32Array;
  private hashLow = 0;
  private hashHigh = 0;
  /** Leading words of `bits` that are all ones. */
  private fullWords = 0;
  /** One past the last word of `bits` with a bit set. */
  private usedWords = 0;

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
  /** How many ids of linearized never-completing operations inside the full words lead the entry's pool span. */
  private entryUnknown = new Int32Array(1024);
  private pool = new Uint32Array(1 << 14);
  private poolUsed = 0;

  constructor(operations: number, unknownOps: readonly number[] = []) {
    this.words = Math.max(1, (operations + 31) >>> 5);
    this.bits = new Uint32Array(this.words);
    this.loose = new Uint32Array(this.words);
    const spare = this.words * 32 - operations;
    if (spare > 0) this.loose[this.words - 1] = ~(0xffffffff >>> spare) >>> 0;
    if (operations === 0) this.loose[0] = 0xffffffff;
    this.unknownOps = Int32Array.from([...unknownOps].sort((a, b) => a - b));
    for (const op of unknownOps) this.loose[op >>> 5] = (this.loose[op >>> 5]! | (1 << (op & 31))) >>> 0;
    this.zobristLow = new Int32Array(operations);
    this.zobristHigh = new Int32Array(operations);
    for (let op = 0; op < operations; op++) {
      this.zobristLow[op] = mix32(op, 0x243f6a88);
      this.zobristHigh[op] = mix32(mix32(op, 0x85a308d3), 0x13198a2e);
    }
    this.advanceFull();
  }

  private advanceFull(): void {
    while (this.fullWords < this.words && (this.bits[this.fullWords]! | this.loose[this.fullWords]!) === -1)
      this.fullWords++;
  }

  /** Entries remembered. */
  get size(): number {
    return this.entryCount;
  }

  /** Adds or removes `op` from the current set. */
  toggle(op: number): void {
    const word = op >>> 5;
    const after = this.bits[word]! ^ (1 << (op & 31));
    this.bits[word] = after;
    this.hashLow ^= this.zobristLow[op]!;
    this.hashHigh ^= this.zobristHigh[op]!;
    if ((after | this.loose[word]!) === -1) {
      if (word === this.fullWords) this.advanceFull();
    } else if (word < this.fullWords) this.fullWords = word;
    if (after !== 0) {
      if (word >= this.usedWords) this.usedWords = word + 1;
    } else if (word === this.usedWords - 1) {
      while (this.usedWords > 0 && this.bits[this.usedWords - 1] === 0) this.usedWords--;
    }
  }

  /** Records (current set, state) and returns true when it was not remembered before. */
  remember(state: number): boolean {
    const low = mix32(this.hashLow ^ Math.imul(state, 0x9e3779b1), 0x6a09e667) | 0;
    const high = mix32(this.hashHigh ^ Math.imul(state, 0x7feb352d), 0xbb67ae85) | 0;
    const start = this.fullWords;
    const end = Math.max(start, this.usedWords);
    if (this.scratch.length < this.unknownOps.length) this.scratch = new Uint32Array(this.unknownOps.length);
    const unknown = this.unknownOps.length === 0 ? 0 : this.unknownBelow(start);
    const mask = this.capacity - 1;
    let slot = low & mask;
    for (;;) {
      const entry = this.slotEntry[slot]!;
      if (entry === 0) break;
      if (
        this.slotLow[slot] === low &&
        this.slotHigh[slot] === high &&
        this.same(entry - 1, state, start, end, unknown)
      )
        return false;
      slot = (slot + 1) & mask;
    }
    const entry = this.store(state, start, end, unknown);
    this.slotLow[slot] = low;
    this.slotHigh[slot] = high;
    this.slotEntry[slot] = entry + 1;
    if (this.entryCount * 2 > this.capacity) this.grow();
    return true;
  }

  /** The linearized never-completing operations inside the full words, into `scratch`; returns how many. */
  private unknownBelow(start: number): number {
    const limit = start * 32;
    let count = 0;
    for (let i = 0; i < this.unknownOps.length; i++) {
      const op = this.unknownOps[i]!;
      if (op >= limit) break;
      if ((this.bits[op >>> 5]! & (1 << (op & 31))) !== 0) this.scratch[count++] = op;
    }
    return count;
  }

  private scratch = new Uint32Array(0);

  private same(entry: number, state: number, start: number, end: number, unknown: number): boolean {
    if (this.entryState[entry] !== state || this.entryStart[entry] !== start) return false;
    const length = end - start;
    if (this.entryLength[entry] !== length || this.entryUnknown[entry] !== unknown) return false;
    let offset = this.entryOffset[entry]!;
    for (let i = 0; i < unknown; i++) if (this.pool[offset++] !== this.scratch[i]) return false;
    for (let w = 0; w < length; w++) if (this.pool[offset + w] !== this.bits[start + w]) return false;
    return true;
  }

  private store(state: number, start: number, end: number, unknown: number): number {
    const entry = this.entryCount++;
    if (entry === this.entryState.length) {
      this.entryState = growInt(this.entryState);
      this.entryStart = growInt(this.entryStart);
      this.entryOffset = growInt(this.entryOffset);
      this.entryLength = growInt(this.entryLength);
      this.entryUnknown = growInt(this.entryUnknown);
    }
    const length = end - start;
    const span = unknown + length;
    if (this.poolUsed + span > this.pool.length) {
      const pool = new Uint32Array(Math.max(this.pool.length * 2, this.poolUsed + span));
      pool.set(this.pool.subarray(0, this.poolUsed));
      this.pool = pool;
    }
    const offset = this.poolUsed;
    for (let i = 0; i < unknown; i++) this.pool[offset + i] = this.scratch[i]!;
    for (let w = 0; w < length; w++) this.pool[offset + unknown + w] = this.bits[start + w]!;
    this.entryState[entry] = state;
    this.entryStart[entry] = start;
    this.entryOffset[entry] = offset;
    this.entryLength[entry] = length;
    this.entryUnknown[entry] = unknown;
    this.poolUsed += span;
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
