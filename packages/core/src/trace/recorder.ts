import { ByteHasher } from './hash.ts';
import type { TraceEvent, TraceHeader, TraceMode } from './format.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A string as UTF-8 bytes: for the fixed pieces of hot trace lines, encoded once. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

const NEWLINE = 10;
const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const NULL = utf8('null');
const TRUE = utf8('true');
const FALSE = utf8('false');
/** Deeper values are left to JSON.stringify (which also reports cycles in its own words). */
const MAX_DIRECT_DEPTH = 32;
const T_OPEN = utf8('{"t":');
/** Largest integer written digit by digit; anything else goes through JSON.stringify. */
const MAX_DIGITS_INTEGER = 1e15;

/**
 * Serializes events to JSON Lines as UTF-8 bytes, hashing as it goes. The hash covers the exact
 * bytes written (each line and its newline), so a trace file's hash can be checked by re-hashing
 * the file.
 *
 * Lines are written straight into byte chunks rather than built as strings: a string per line
 * would be concatenated piece by piece, flattened, kept alive and copied by the garbage collector,
 * more work than the simulation itself. A line is written with `begin`, then `bytes` (fixed
 * pieces, pre-encoded with `utf8`), `integer`, `json` (text that is already JSON), and `end`.
 * Chunks are hashed when full; in the 'memory' mode they are kept, and split into line strings
 * only when someone reads `lines`. A line never straddles two chunks.
 */
export class TraceRecorder {
  private static readonly CHUNK_BYTES = 1 << 18;
  private buffer = new Uint8Array(TraceRecorder.CHUNK_BYTES);
  /** Where the next byte goes, where the current line began, and where the unfinished chunk began. */
  private position = 0;
  private lineStart = 0;
  private chunkStart = 0;
  /** Finished chunks (memory mode). */
  private readonly chunks: Uint8Array[] = [];
  private materialized: string[] | undefined;
  private readonly hasher = new ByteHasher();
  private count = 0;
  private readonly keep: boolean;
  private readonly writing: boolean;
  private readonly digits = new Uint8Array(24);

  constructor(
    readonly mode: TraceMode,
    /** Receives each line as a string: decoding every line costs time, so prefer `chunkSink`. */
    private readonly lineSink?: (line: string) => void,
    /** Receives each finished chunk of whole lines (UTF-8 bytes, valid only during the call). */
    private readonly chunkSink?: (bytes: Uint8Array) => void,
  ) {
    this.keep = mode === 'memory';
    this.writing = mode !== 'off' || lineSink !== undefined || chunkSink !== undefined;
  }

  get enabled(): boolean {
    return this.writing;
  }

  get eventCount(): number {
    return this.count;
  }

  /** Every line so far (memory mode), header first. */
  get lines(): string[] {
    if (!this.keep) return [];
    if (this.materialized === undefined) {
      this.finishChunk();
      // Chunk by chunk: a whole trace can be longer than the longest string an engine allows.
      const lines: string[] = [];
      for (const chunk of this.chunks) {
        const text = decoder.decode(chunk);
        let from = 0;
        for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', from)) {
          lines.push(text.slice(from, newline));
          from = newline + 1;
        }
      }
      this.materialized = lines;
    }
    return this.materialized;
  }

  writeHeader(header: TraceHeader): void {
    this.writeSerialized(JSON.stringify(header));
  }

  write(event: TraceEvent): void {
    this.count++;
    this.json(JSON.stringify(event));
    this.end();
  }

  /** Writes an event already serialized by the caller. */
  writeSerialized(line: string): void {
    this.count++;
    this.json(line);
    this.end();
  }

  /** Starts an event line: `{"t":<time>`. */
  begin(time: number): void {
    this.count++;
    this.bytes(T_OPEN);
    this.integer(time);
  }

  /** Fixed bytes (pre-encoded with `utf8`). */
  bytes(piece: Uint8Array): void {
    const n = piece.length;
    if (this.position + n > this.buffer.length) this.grow(n);
    const buffer = this.buffer;
    let p = this.position;
    for (let i = 0; i < n; i++) buffer[p++] = piece[i]!;
    this.position = p;
  }

  /** A number, written exactly as JSON.stringify writes it. */
  integer(value: number): void {
    if (!(value >= 0 && value < MAX_DIGITS_INTEGER && Math.floor(value) === value)) {
      this.json(JSON.stringify(value));
      return;
    }
    if (this.position + 16 > this.buffer.length) this.grow(16);
    const buffer = this.buffer;
    if (value < 10) {
      buffer[this.position++] = 48 + value;
      return;
    }
    const digits = this.digits;
    let n = 0;
    while (value > 0) {
      const rest = Math.floor(value / 10);
      digits[n++] = 48 + (value - rest * 10);
      value = rest;
    }
    let p = this.position;
    while (n > 0) buffer[p++] = digits[--n]!;
    this.position = p;
  }

  /** Text that is already JSON (a JSON.stringify result, or pieces of one), as UTF-8. */
  json(text: string): void {
    const n = text.length;
    if (this.position + 3 * n > this.buffer.length) this.grow(3 * n);
    const buffer = this.buffer;
    let p = this.position;
    if (n > 64) {
      this.position = p + encoder.encodeInto(text, buffer.subarray(p)).written;
      return;
    }
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x80) {
        this.position = p + encoder.encodeInto(text.slice(i), buffer.subarray(p)).written;
        return;
      }
      buffer[p++] = c;
    }
    this.position = p;
  }

  /** A string as JSON: quoted, escaped exactly as JSON.stringify escapes it. */
  string(text: string): void {
    const n = text.length;
    if (this.position + n + 2 > this.buffer.length) this.grow(n + 2);
    const buffer = this.buffer;
    const start = this.position;
    let p = start;
    buffer[p++] = QUOTE;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      // Anything JSON escapes, and anything beyond ASCII, goes the general way.
      if (c < 0x20 || c === QUOTE || c === BACKSLASH || c >= 0x7f) {
        this.position = start;
        this.json(JSON.stringify(text));
        return;
      }
      buffer[p++] = c;
    }
    buffer[p++] = QUOTE;
    this.position = p;
  }

  /**
   * Any value, byte for byte as JSON.stringify writes it (and `null` where JSON.stringify would
   * return nothing). Plain objects, arrays, strings, numbers and booleans are written directly;
   * anything else (a Map, a Date, an object with toJSON, a very deep value) goes through
   * JSON.stringify itself.
   */
  value(value: unknown, depth = 0): void {
    switch (typeof value) {
      case 'string':
        return this.string(value);
      case 'number':
        if (value >= 0 && value < MAX_DIGITS_INTEGER && Math.floor(value) === value) return this.integer(value);
        return this.json(JSON.stringify(value));
      case 'boolean':
        return this.bytes(value ? TRUE : FALSE);
      case 'object': {
        if (value === null) return this.bytes(NULL);
        if (depth > MAX_DIRECT_DEPTH) return this.json(JSON.stringify(value));
        if (Array.isArray(value)) {
          if (Object.getPrototypeOf(value) !== Array.prototype) return this.json(JSON.stringify(value));
          this.byte(OPEN_BRACKET);
          for (let i = 0; i < value.length; i++) {
            if (i > 0) this.byte(COMMA);
            const item: unknown = value[i];
            if (item === undefined || typeof item === 'function' || typeof item === 'symbol') this.bytes(NULL);
            else this.value(item, depth + 1);
          }
          return this.byte(CLOSE_BRACKET);
        }
        const prototype: unknown = Object.getPrototypeOf(value);
        if (
          (prototype !== Object.prototype && prototype !== null) ||
          typeof (value as { toJSON?: unknown }).toJSON === 'function'
        ) {
          return this.json(JSON.stringify(value) ?? 'null');
        }
        this.byte(OPEN_BRACE);
        let first = true;
        for (const key in value) {
          if (!Object.hasOwn(value, key)) continue;
          const item: unknown = (value as Record<string, unknown>)[key];
          if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
          if (!first) this.byte(COMMA);
          first = false;
          this.string(key);
          this.byte(COLON);
          this.value(item, depth + 1);
        }
        return this.byte(CLOSE_BRACE);
      }
      case 'bigint':
        // JSON.stringify throws on a bigint; so do we, with its message.
        return this.json(JSON.stringify(value));
      default:
        return this.bytes(NULL);
    }
  }

  private byte(code: number): void {
    if (this.position + 1 > this.buffer.length) this.grow(1);
    this.buffer[this.position++] = code;
  }

  /** Where the current line has got to, as an offset from its start (for `sameSince` and `copySince`). */
  lineOffset(): number {
    return this.position - this.lineStart;
  }

  /** Whether the line's bytes from `offset` on equal `previous`. */
  sameSince(offset: number, previous: Uint8Array | undefined): boolean {
    if (previous === undefined) return false;
    const from = this.lineStart + offset;
    const n = this.position - from;
    if (n !== previous.length) return false;
    const buffer = this.buffer;
    for (let i = 0; i < n; i++) if (buffer[from + i] !== previous[i]) return false;
    return true;
  }

  /** A copy of the line's bytes from `offset` on. */
  copySince(offset: number): Uint8Array {
    return this.buffer.slice(this.lineStart + offset, this.position);
  }

  /** Forgets the line begun but not ended. */
  abandonLine(): void {
    this.position = this.lineStart;
    this.count--;
  }

  /** Ends the line. */
  end(): void {
    if (this.position + 1 > this.buffer.length) this.grow(1);
    this.buffer[this.position++] = NEWLINE;
    this.materialized = undefined;
    if (this.lineSink) this.lineSink(decoder.decode(this.buffer.subarray(this.lineStart, this.position - 1)));
    this.lineStart = this.position;
    if (this.position > this.buffer.length - 4096) {
      this.finishChunk();
      this.startBuffer(TraceRecorder.CHUNK_BYTES, 0);
    }
  }

  /** Makes room for `needed` more bytes of the current line, moving the line to the front of a buffer. */
  private grow(needed: number): void {
    this.finishChunk();
    const lineLength = this.position - this.lineStart;
    this.startBuffer(Math.max(TraceRecorder.CHUNK_BYTES, 2 * (lineLength + needed)), lineLength);
  }

  /** Continues in a buffer of at least `size` bytes, the current line's first `lineLength` bytes at its front. */
  private startBuffer(size: number, lineLength: number): void {
    const old = this.buffer;
    const from = this.lineStart;
    if (this.keep || size > old.length) {
      // Kept chunks are views of the old buffer, so it is never written again.
      this.buffer = new Uint8Array(size);
      if (lineLength > 0) this.buffer.set(old.subarray(from, from + lineLength));
    } else if (lineLength > 0) old.copyWithin(0, from, from + lineLength);
    this.chunkStart = 0;
    this.lineStart = 0;
    this.position = lineLength;
  }

  /** Hashes the whole lines written since the last chunk, hands them to the chunk sink, and keeps them in memory mode. */
  private finishChunk(): void {
    const start = this.chunkStart;
    const end = this.lineStart;
    if (end === start) return;
    const buffer = this.buffer;
    this.hasher.update(buffer, start, end);
    if (this.chunkSink) this.chunkSink(buffer.subarray(start, end));
    if (this.keep) this.chunks.push(buffer.subarray(start, end));
    this.chunkStart = end;
  }

  hash(): string | undefined {
    if (!this.writing) return undefined;
    this.finishChunk();
    return this.hasher.digest();
  }

  /** The whole trace as JSON Lines text (memory mode; '' otherwise). */
  text(): string {
    if (!this.keep) return '';
    this.finishChunk();
    return this.chunks.map((chunk) => decoder.decode(chunk)).join('');
  }
}

/** Hashes trace text the same way the recorder does (its UTF-8 bytes, as in the file). */
export function hashTrace(text: string): string {
  const hasher = new ByteHasher();
  hasher.update(encoder.encode(text));
  return hasher.digest();
}
