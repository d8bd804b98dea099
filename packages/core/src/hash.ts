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
