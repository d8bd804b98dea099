import { DISCARDED, EdnError, Reader, type EdnPosition } from './edn.ts';
import type { HistoryFormat } from './history-file.ts';
import { IndependentKeys, recordFromEdn, withSource } from './jepsen-edn.ts';
import { HistoryFormatError, recordFromJson } from './json-history.ts';
import { EdnLineScanner, JsonLineScanner, NOT_A_CLIENT, NOT_SCANNED } from './line-scanner.ts';
import type { HistoryRecord } from './operations.ts';

/** The longest unfinished entry the reader holds (16 M characters). */
export const MAX_ENTRY_CHARS = 1 << 24;

export interface HistoryStreamOptions {
  /** Where the text comes from, for error messages (a file name). */
  readonly source?: string;
  /** The format; default: from the source's extension, else from the first characters. */
  readonly format?: HistoryFormat;
  /** Receives each client operation entry as soon as it is read, with its line. */
  readonly onRecord: (record: HistoryRecord) => void;
  /**
   * Read plain one-line entries with the line scanner (line-scanner.ts), the full parser only for
   * the rest (default true). The records are the same either way; false is for tests that hold
   * the two paths equal.
   */
  readonly scan?: boolean;
}

/**
 * Reads a history file piece by piece (any chunk boundaries), handing each entry on as soon as it
 * is complete: Jepsen EDN (one operation map per form, or one vector of them) or dsim JSON (an
 * array of entries, or JSON Lines). What it holds is the unfinished end of the last chunk, so
 * with a PartitionCollector behind it a multi-million-operation file is checked in memory
 * proportional to the open operations and the per-key histories, not to the file.
 *
 * Errors are the same as the whole-text readers' (EdnError, HistoryFormatError), naming the line.
 */
export class HistoryStreamReader {
  private buffer = '';
  private line = 1;
  private column = 1;
  private detected: HistoryFormat | undefined;
  private started = false;
  /** EDN: inside a top-level vector of operations; JSON: inside a top-level array. */
  private inArray = false;
  private arrayClosed = false;
  /** Non-client operations skipped (Jepsen's :nemesis). */
  skipped = 0;
  /** Entries handed on. */
  records = 0;

  /** EDN: Jepsen's multi-key tuples [k v] unwrapped into keys. */
  private readonly independent: IndependentKeys;
  private readonly jsonScanner: JsonLineScanner | undefined;
  private readonly ednScanner: EdnLineScanner | undefined;

  constructor(private readonly options: HistoryStreamOptions) {
    this.detected = options.format ?? detectFromName(options.source);
    this.independent = new IndependentKeys((record) => options.onRecord(record));
    const scan = options.scan ?? true;
    this.jsonScanner = scan ? new JsonLineScanner() : undefined;
    this.ednScanner = scan ? new EdnLineScanner() : undefined;
  }

  /** The format, once known. */
  get format(): HistoryFormat | undefined {
    return this.detected;
  }

  push(chunk: string): void {
    this.buffer += chunk;
    this.drain(false);
    // What is left is the unfinished end of one entry (a line, for JSON Lines and EDN): a file
    // whose entry never ends would otherwise be held whole.
    if (this.buffer.length > MAX_ENTRY_CHARS) {
      const problem = `an entry (or line) longer than ${MAX_ENTRY_CHARS / (1 << 20)} M characters: a history has one short entry per line; is the file a history?`;
      if (this.detected === 'edn') throw withSource(new EdnError(this.line, this.column, problem), this.options.source);
      throw new HistoryFormatError(`${this.prefix()}line ${this.line}: ${problem}`);
    }
  }

  end(): void {
    this.drain(true);
    this.independent.end();
    if (this.inArray && !this.arrayClosed) {
      const problem = `the ${this.detected === 'edn' ? 'vector' : 'array'} of operations is never closed (missing ']')`;
      if (this.detected === 'edn') throw withSource(new EdnError(this.line, this.column, problem), this.options.source);
      throw new HistoryFormatError(`${this.prefix()}line ${this.line}: ${problem}`);
    }
  }

  private prefix(): string {
    return this.options.source ? `${this.options.source}: ` : '';
  }

  private drain(final: boolean): void {
    if (!this.started) {
      const start = this.buffer.search(/[^\s,]/);
      // Deciding the format takes a few characters: '{"' is JSON, '{:' EDN, '[{"' JSON, '[{:' EDN.
      if ((start < 0 || /^\[?\s*\{?\s*$/.test(this.buffer.slice(start))) && !final) return;
      this.started = true;
      if (this.detected === undefined) {
        const head = this.buffer.slice(Math.max(0, start), Math.max(0, start) + 64);
        this.detected = head.startsWith('{"') || /^\[\s*(\{\s*"|\]|$)/.test(head) ? 'json' : 'edn';
      }
    }
    if (this.detected === 'edn') this.drainEdn(final);
    else this.drainJson(final);
  }

  // ----------------------------------------------------------------------------------------- EDN

  private drainEdn(final: boolean): void {
    // Until the end, read only whole lines: a comment or a token cut by a chunk boundary would
    // otherwise look complete.
    const whole = final ? this.buffer.length : this.buffer.lastIndexOf('\n') + 1;
    if (whole === 0) return;
    const text = whole === this.buffer.length ? this.buffer : this.buffer.slice(0, whole);
    const reader = new Reader(text, this.line, this.column);
    const scanner = this.ednScanner;
    let consumed = 0;
    let at: EdnPosition = reader.position();
    for (;;) {
      reader.skipSpace();
      consumed = reader.offset;
      at = reader.position();
      if (reader.atEnd()) break;
      const char = reader.peek();
      if (!this.inArray && this.records === 0 && this.skipped === 0 && char === '[' && !this.arrayClosed) {
        reader.advance();
        this.inArray = true;
        continue;
      }
      if (this.inArray && char === ']') {
        reader.advance();
        this.inArray = false;
        this.arrayClosed = true;
        continue;
      }
      if (this.arrayClosed)
        throw withSource(
          new EdnError(
            at.line,
            at.column,
            'text after the vector of operations: a history is one vector, or one map per operation',
          ),
          this.options.source,
        );
      if (scanner !== undefined && char === '{') {
        const scanned = scanner.scan(text, consumed, at.line);
        if (scanned !== NOT_SCANNED) {
          reader.skipWithinLine(scanner.end);
          if (scanned === NOT_A_CLIENT) this.skipped++;
          else {
            this.records++;
            this.independent.push(scanned);
          }
          continue;
        }
      }
      let value;
      try {
        value = reader.readForm();
      } catch (error) {
        if (error instanceof EdnError && error.incomplete && !final) {
          reader.rewind(consumed, at);
          break;
        }
        throw withSource(error, this.options.source);
      }
      if (value === DISCARDED) continue;
      let record: HistoryRecord | undefined;
      try {
        record = recordFromEdn(value, at);
      } catch (error) {
        throw withSource(error, this.options.source);
      }
      if (record === undefined) this.skipped++;
      else {
        this.records++;
        this.independent.push(record);
      }
    }
    this.buffer = this.buffer.slice(consumed);
    this.line = at.line;
    this.column = at.column;
  }

  // ---------------------------------------------------------------------------------------- JSON

  private drainJson(final: boolean): void {
    const text = this.buffer;
    let index = 0;
    let line = this.line;
    const length = text.length;
    if (!this.inArray && !this.arrayClosed && this.records === 0) {
      // An array starts with '['; JSON Lines with '{'.
      const first = text.search(/\S/);
      if (first >= 0 && text[first] === '[') {
        for (let i = 0; i < first; i++) if (text.charCodeAt(i) === 10) line++;
        index = first + 1;
        this.inArray = true;
      }
    }
    if (!this.inArray && !this.arrayClosed) {
      // JSON Lines: one entry per line.
      for (;;) {
        const newline = text.indexOf('\n', index);
        if (newline < 0 && !final) break;
        const end = newline < 0 ? length : newline;
        const scanned = this.jsonScanner === undefined ? NOT_SCANNED : this.jsonScanner.scan(text, index, end, line);
        if (scanned !== NOT_SCANNED) {
          this.records++;
          this.options.onRecord(scanned);
          index = end + 1;
          line++;
          if (newline < 0) break;
          continue;
        }
        const lineText = text.slice(index, end);
        if (lineText.trim() !== '') {
          let value: unknown;
          try {
            value = JSON.parse(lineText);
          } catch (error) {
            throw new HistoryFormatError(
              `${this.prefix()}line ${line}: not valid JSON (${(error as Error).message}); a JSON Lines history has one entry object per line`,
            );
          }
          this.emitJson(value, line);
        }
        index = end + 1;
        line++;
        if (newline < 0) break;
      }
      this.buffer = index >= length ? '' : text.slice(index);
      this.line = line;
      return;
    }
    // A JSON array: find each top-level object by its braces (outside strings), parse it alone.
    let consumed = index;
    let consumedLine = line;
    while (index < length) {
      const code = text.charCodeAt(index);
      if (code === 10) {
        line++;
        index++;
        continue;
      }
      if (code === 32 || code === 9 || code === 13 || code === 44) {
        index++;
        consumed = index;
        consumedLine = line;
        continue;
      }
      if (this.arrayClosed)
        throw new HistoryFormatError(`${this.prefix()}line ${line}: text after the array of history entries`);
      if (code === 93) {
        this.inArray = false;
        this.arrayClosed = true;
        index++;
        consumed = index;
        consumedLine = line;
        continue;
      }
      if (code !== 123)
        throw new HistoryFormatError(
          `${this.prefix()}line ${line}: expected an entry object like {"process":0,"type":"invoke","f":"read","time":0}, got '${text[index]}'`,
        );
      const startLine = line;
      const end = objectEnd(text, index);
      if (end < 0) {
        if (!final) break;
        throw new HistoryFormatError(
          `${this.prefix()}line ${startLine}: an entry object is never closed (missing '}')`,
        );
      }
      const scanned = this.jsonScanner === undefined ? NOT_SCANNED : this.jsonScanner.scan(text, index, end, startLine);
      if (scanned !== NOT_SCANNED) {
        // The scanner reads only objects on one line.
        this.records++;
        this.options.onRecord(scanned);
        index = end;
        consumed = index;
        consumedLine = line;
        continue;
      }
      const objectText = text.slice(index, end);
      for (let i = index; i < end; i++) if (text.charCodeAt(i) === 10) line++;
      let value: unknown;
      try {
        value = JSON.parse(objectText);
      } catch (error) {
        throw new HistoryFormatError(`${this.prefix()}line ${startLine}: not valid JSON (${(error as Error).message})`);
      }
      this.emitJson(value, startLine);
      index = end;
      consumed = index;
      consumedLine = line;
    }
    this.buffer = text.slice(consumed);
    this.line = consumedLine;
  }

  private emitJson(value: unknown, line: number): void {
    this.records++;
    this.options.onRecord(recordFromJson(value, `${this.prefix()}line ${line}`, line));
  }
}

/** The index just past the object that starts at `start`, or -1 when the text ends first. */
function objectEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 92) i++;
      else if (code === 34) inString = false;
      continue;
    }
    if (code === 34) inString = true;
    else if (code === 123 || code === 91) depth++;
    else if (code === 125 || code === 93) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

function detectFromName(source: string | undefined): HistoryFormat | undefined {
  if (source === undefined) return undefined;
  if (/\.edn$/i.test(source)) return 'edn';
  if (/\.(json|jsonl|ndjson)$/i.test(source)) return 'json';
  return undefined;
}
