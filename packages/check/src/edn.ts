/**
 * A reader for the subset of EDN that Jepsen writes in `history.edn`: maps, vectors, lists, sets,
 * keywords, symbols, strings, integers, floats, nil, true/false, comments, `#_` discards and
 * tagged values such as `#jepsen.history.Op{...}` (the tag is kept, the value read as usual).
 * Characters (`\a`) and ratios are not part of Jepsen histories and are rejected by name.
 *
 * Every error names the line and column and what is wrong, because the files it reads are big
 * and hand-edited ones are common.
 */

export class EdnKeyword {
  constructor(readonly name: string) {}
  toString(): string {
    return `:${this.name}`;
  }
}

export class EdnSymbol {
  constructor(readonly name: string) {}
  toString(): string {
    return this.name;
  }
}

export interface EdnMap {
  readonly kind: 'map';
  readonly entries: ReadonlyArray<readonly [EdnValue, EdnValue]>;
}

export interface EdnSet {
  readonly kind: 'set';
  readonly items: readonly EdnValue[];
}

export interface EdnTagged {
  readonly kind: 'tagged';
  readonly tag: string;
  readonly value: EdnValue;
}

/** Vectors and lists both read as arrays: no history distinguishes them. */
export type EdnValue =
  null | boolean | number | string | EdnKeyword | EdnSymbol | EdnValue[] | EdnMap | EdnSet | EdnTagged;

/** Where a value starts in the text, 1-based. */
export interface EdnPosition {
  readonly line: number;
  readonly column: number;
}

export class EdnError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    readonly problem: string,
    /** True when the text ended before the value did: more text may complete it (streaming). */
    readonly incomplete = false,
  ) {
    super(`line ${line}, column ${column}: ${problem}`);
    this.name = 'EdnError';
  }
}

/** Reads every top-level form in `text`, with the position where each starts. */
export function parseEdnForms(text: string): Array<{ value: EdnValue; position: EdnPosition }> {
  const reader = new Reader(text);
  const forms: Array<{ value: EdnValue; position: EdnPosition }> = [];
  for (;;) {
    reader.skipSpace();
    if (reader.atEnd()) return forms;
    const position = reader.position();
    const value = reader.readForm();
    if (value !== DISCARDED) forms.push({ value, position });
  }
}

/** Reads exactly one EDN value. */
export function parseEdn(text: string): EdnValue {
  const forms = parseEdnForms(text);
  if (forms.length !== 1) throw new EdnError(1, 1, `expected exactly one EDN value, found ${forms.length}`);
  return forms[0]!.value;
}

/** What readForm returns for a `#_` discard. */
export const DISCARDED: unique symbol = Symbol('discarded');
const DELIMITERS = new Set(['(', ')', '[', ']', '{', '}', '"', ';']);
const CLOSERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const INTEGER = /^[+-]?\d+N?$/;
/**
 * How deep collections may nest. Jepsen's histories nest a few levels; the limit turns a file
 * nested absurdly deep (hostile or broken) into a clear error instead of a stack overflow.
 */
export const MAX_EDN_DEPTH = 1000;
const FLOAT = /^[+-]?\d+(\.\d*)?([eE][+-]?\d+)?M?$/;

/**
 * Reads forms from one piece of text. A streaming caller gives it the line and column where the
 * text starts, reads forms until one fails with an `incomplete` error, and retries that form once
 * more text has arrived.
 */
export class Reader {
  offset = 0;
  private line: number;
  private column: number;
  constructor(
    private readonly text: string,
    line = 1,
    column = 1,
  ) {
    this.line = line;
    this.column = column;
  }

  atEnd(): boolean {
    return this.offset >= this.text.length;
  }

  position(): EdnPosition {
    return { line: this.line, column: this.column };
  }

  /** Moves back to a position read before (a form to retry). */
  rewind(offset: number, at: EdnPosition): void {
    this.offset = offset;
    this.line = at.line;
    this.column = at.column;
  }

  /** Moves forward to `offset` on the same line (the line scanner read what lies between). */
  skipWithinLine(offset: number): void {
    this.column += offset - this.offset;
    this.offset = offset;
  }

  private fail(problem: string, at: EdnPosition = this.position()): never {
    throw new EdnError(at.line, at.column, problem, this.atEnd());
  }

  /** An error that more text cannot fix. */
  private failNow(problem: string): never {
    const at = this.position();
    throw new EdnError(at.line, at.column, problem);
  }

  peek(): string {
    return this.text[this.offset] ?? '';
  }

  advance(): string {
    const char = this.text[this.offset++] ?? '';
    if (char === '\n') {
      this.line++;
      this.column = 1;
    } else this.column++;
    return char;
  }

  skipSpace(): void {
    while (!this.atEnd()) {
      const char = this.peek();
      if (char === ';') {
        while (!this.atEnd() && this.peek() !== '\n') this.advance();
      } else if (char === ',' || char === ' ' || char === '\t' || char === '\n' || char === '\r' || char === '\f')
        this.advance();
      else return;
    }
  }

  readForm(): EdnValue | typeof DISCARDED {
    this.skipSpace();
    const start = this.position();
    if (this.atEnd()) this.fail('unexpected end of input: a value was expected');
    const char = this.peek();
    switch (char) {
      case '{':
        return this.readMap(start);
      case '[':
      case '(':
        return this.readSequence(start);
      case ')':
      case ']':
      case '}':
        this.fail(`unexpected '${char}' with nothing open to close`);
        break;
      case '"':
        return this.readString(start);
      case '\\':
        this.fail(`character literals such as '\\a' are not supported in histories; write a string "a" instead`);
        break;
      case '#':
        return this.readDispatch(start);
      default:
        break;
    }
    return this.readAtom(start);
  }

  private readValue(context: string): EdnValue {
    if (this.depth >= MAX_EDN_DEPTH)
      this.failNow(`values nested more than ${MAX_EDN_DEPTH} levels deep (in ${context}): is the file a history?`);
    this.depth++;
    try {
      for (;;) {
        this.skipSpace();
        if (this.atEnd()) this.fail(`unexpected end of input inside ${context}`);
        const value = this.readForm();
        if (value !== DISCARDED) return value;
      }
    } finally {
      this.depth--;
    }
  }

  private depth = 0;

  /** Reads values until `closer`; undefined marks the end. */
  private readUntil(closer: string, open: EdnPosition, what: string): EdnValue[] {
    if (this.depth >= MAX_EDN_DEPTH)
      throw new EdnError(
        open.line,
        open.column,
        `values nested more than ${MAX_EDN_DEPTH} levels deep: a history's values nest a few levels; is the file a history?`,
      );
    this.depth++;
    try {
      return this.readItems(closer, open, what);
    } finally {
      this.depth--;
    }
  }

  private readItems(closer: string, open: EdnPosition, what: string): EdnValue[] {
    const items: EdnValue[] = [];
    for (;;) {
      this.skipSpace();
      if (this.atEnd())
        this.fail(`${what} opened at line ${open.line}, column ${open.column} is never closed (missing '${closer}')`);
      const char = this.peek();
      if (char === closer) {
        this.advance();
        return items;
      }
      if (char === ')' || char === ']' || char === '}')
        this.fail(
          `'${char}' closes ${what} opened at line ${open.line}, column ${open.column}, which needs '${closer}'`,
        );
      const value = this.readForm();
      if (value !== DISCARDED) items.push(value);
    }
  }

  private readMap(start: EdnPosition): EdnMap {
    this.advance();
    const items = this.readUntil('}', start, 'a map');
    if (items.length % 2 !== 0)
      this.fail(
        `the map opened here has ${items.length} forms: a map needs key/value pairs (a key is missing its value)`,
        start,
      );
    const entries: Array<[EdnValue, EdnValue]> = [];
    for (let i = 0; i < items.length; i += 2) entries.push([items[i]!, items[i + 1]!]);
    return { kind: 'map', entries };
  }

  private readSequence(start: EdnPosition): EdnValue[] {
    const open = this.advance();
    return this.readUntil(CLOSERS[open]!, start, open === '[' ? 'a vector' : 'a list');
  }

  private readString(start: EdnPosition): string {
    this.advance();
    let result = '';
    for (;;) {
      if (this.atEnd())
        this.fail(`the string opened at line ${start.line}, column ${start.column} is never closed (missing '"')`);
      const charAt = this.position();
      const char = this.advance();
      if (char === '"') return result;
      if (char !== '\\') {
        result += char;
        continue;
      }
      // Errors point at the backslash that starts the escape.
      const escapeAt = charAt;
      const escape = this.advance();
      switch (escape) {
        case 'n':
          result += '\n';
          break;
        case 't':
          result += '\t';
          break;
        case 'r':
          result += '\r';
          break;
        case 'b':
          result += '\b';
          break;
        case 'f':
          result += '\f';
          break;
        case '"':
        case '\\':
          result += escape;
          break;
        case 'u': {
          const hex = this.text.slice(this.offset, this.offset + 4);
          if (hex.length < 4)
            throw new EdnError(escapeAt.line, escapeAt.column, `'\\u' must be followed by four hex digits`, true);
          if (!/^[0-9a-fA-F]{4}$/.test(hex))
            this.fail(`'\\u' must be followed by four hex digits, got '${hex}'`, escapeAt);
          for (let i = 0; i < 4; i++) this.advance();
          result += String.fromCharCode(Number.parseInt(hex, 16));
          break;
        }
        default:
          this.fail(`unknown escape '\\${escape}' in a string (known: \\n \\t \\r \\b \\f \\" \\\\ \\uXXXX)`, escapeAt);
      }
    }
  }

  private readDispatch(start: EdnPosition): EdnValue | typeof DISCARDED {
    this.advance();
    const next = this.peek();
    if (next === '{') {
      this.advance();
      return { kind: 'set', items: this.readUntil('}', start, 'a set') };
    }
    if (next === '_') {
      this.advance();
      this.readValue('a #_ discard');
      return DISCARDED;
    }
    const tag = this.readToken();
    if (tag === '' || !/^[A-Za-z]/.test(tag))
      this.fail(
        `'#' must start a set '#{', a discard '#_' or a tag such as '#jepsen.history.Op', got '#${tag}'`,
        start,
      );
    return { kind: 'tagged', tag, value: this.readValue(`the tagged value #${tag}`) };
  }

  private readToken(): string {
    let token = '';
    while (!this.atEnd()) {
      const char = this.peek();
      if (
        DELIMITERS.has(char) ||
        char === ',' ||
        char === ' ' ||
        char === '\t' ||
        char === '\n' ||
        char === '\r' ||
        char === '\f' ||
        (char === '#' && token === '')
      )
        break;
      token += this.advance();
    }
    return token;
  }

  private readAtom(start: EdnPosition): EdnValue {
    const token = this.readToken();
    if (token === '') this.fail(`unexpected '${this.peek()}'`);
    if (token === 'nil') return null;
    if (token === 'true') return true;
    if (token === 'false') return false;
    if (token.startsWith(':')) {
      if (token.length === 1 || token.startsWith('::')) this.fail(`'${token}' is not a keyword: write ':name'`, start);
      return new EdnKeyword(token.slice(1));
    }
    if (/^[+-]?\d/.test(token)) {
      if (INTEGER.test(token)) {
        const value = Number(token.endsWith('N') ? token.slice(0, -1) : token);
        if (!Number.isSafeInteger(value))
          this.fail(`the integer ${token} is too large to read exactly (beyond ±2^53)`, start);
        return value;
      }
      if (FLOAT.test(token)) return Number(token.endsWith('M') ? token.slice(0, -1) : token);
      if (/^[+-]?\d+\/\d+$/.test(token)) this.fail(`ratios such as ${token} are not supported; write a decimal`, start);
      this.fail(`'${token}' is not a number`, start);
    }
    return new EdnSymbol(token);
  }
}
