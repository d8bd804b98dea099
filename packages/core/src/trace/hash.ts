/**
 * An incremental 64-bit hash of text (two independent 32-bit lanes of a multiply-xorshift mix).
 * It identifies a run, so it must be fast, identical in every engine, and spread well; it is
 * not a cryptographic hash.
 */
export class TraceHasher {
  private a = 0x9e3779b9 | 0;
  private b = 0x85ebca6b | 0;

  update(text: string): void {
    let a = this.a;
    let b = this.b;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
    }
    this.a = a;
    this.b = b;
  }

  /** The hash as 16 hex digits. Does not end the stream: more text may follow. */
  digest(): string {
    let a = this.a;
    let b = this.b;
    a ^= a >>> 16;
    a = Math.imul(a, 0x85ebca6b);
    a ^= a >>> 13;
    a = Math.imul(a ^ b, 0xc2b2ae35);
    a ^= a >>> 16;
    b ^= b >>> 16;
    b = Math.imul(b, 0xcc9e2d51);
    b ^= b >>> 13;
    b = Math.imul(b ^ a, 0x1b873593);
    b ^= b >>> 16;
    return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
  }
}

export function hashText(text: string): string {
  const hasher = new TraceHasher();
  hasher.update(text);
  return hasher.digest();
}

/**
 * An incremental 64-bit hash of bytes, four at a time: the identity of a trace (its UTF-8 bytes,
 * exactly as written to a file). Two lanes, a murmur3 round and an xxHash32 round, each
 * avalanched at the end with the total length. Words are read little-endian through a DataView,
 * so every engine and platform agrees; bytes that do not fill a word wait for the next update.
 * Fast and well spread, not cryptographic.
 */
export class ByteHasher {
  private a = 0x9e3779b9 | 0;
  private b = 0x85ebca6b | 0;
  private length = 0;
  /** Bytes not yet part of a word (0-3 of them), little-endian in `pending`. */
  private pending = 0;
  private pendingCount = 0;

  update(bytes: Uint8Array, start = 0, end = bytes.length): void {
    let i = start;
    this.length += end - start;
    while (this.pendingCount > 0 && i < end) {
      this.pending |= bytes[i++]! << (8 * this.pendingCount);
      if (++this.pendingCount === 4) {
        this.mix(this.pending);
        this.pending = 0;
        this.pendingCount = 0;
      }
    }
    let a = this.a;
    let b = this.b;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const words = end - ((end - i) & 3);
    for (; i < words; i += 4) {
      const w = view.getInt32(i, true);
      let k = Math.imul(w, 0xcc9e2d51);
      k = (k << 15) | (k >>> 17);
      a ^= Math.imul(k, 0x1b873593);
      a = (a << 13) | (a >>> 19);
      a = (Math.imul(a, 5) + 0xe6546b64) | 0;
      b = (b + Math.imul(w, 0x85ebca77)) | 0;
      b = (b << 13) | (b >>> 19);
      b = Math.imul(b, 0x9e3779b1);
    }
    this.a = a;
    this.b = b;
    for (; i < end; i++) this.pending |= bytes[i]! << (8 * this.pendingCount++);
  }

  private mix(w: number): void {
    let k = Math.imul(w, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    let a = this.a ^ Math.imul(k, 0x1b873593);
    a = (a << 13) | (a >>> 19);
    this.a = (Math.imul(a, 5) + 0xe6546b64) | 0;
    let b = (this.b + Math.imul(w, 0x85ebca77)) | 0;
    b = (b << 13) | (b >>> 19);
    this.b = Math.imul(b, 0x9e3779b1);
  }

  /** The hash as 16 hex digits. Does not end the stream: more bytes may follow. */
  digest(): string {
    let a = this.a;
    let b = this.b;
    // The tail (0-3 bytes, zero-padded) and the length, so "a" and "a\0" differ.
    const tail = this.pending ^ Math.imul(this.pendingCount + 1, 0x27d4eb2f);
    a ^= Math.imul((Math.imul(tail, 0xcc9e2d51) << 15) | (Math.imul(tail, 0xcc9e2d51) >>> 17), 0x1b873593);
    b = Math.imul(b ^ tail, 0x85ebca77);
    const length = this.length;
    a ^= length | 0;
    b ^= Math.floor(length / 0x100000000) | 0;
    a ^= a >>> 16;
    a = Math.imul(a, 0x85ebca6b);
    a ^= a >>> 13;
    a = Math.imul(a ^ b, 0xc2b2ae35);
    a ^= a >>> 16;
    b ^= b >>> 15;
    b = Math.imul(b, 0x2c1b3c6d);
    b ^= b >>> 12;
    b = Math.imul(b ^ a, 0x297a2d39);
    b ^= b >>> 15;
    return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
  }
}
