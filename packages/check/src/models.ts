import { IMPOSSIBLE, type Model, type ModelOperation, type RecordedOperation } from './model.ts';
import { canonicalJson, canonicalKey, sameValue, showValue } from './values.ts';

/**
 * Choices that decide what a history means, where real stores and checkers differ.
 */
export interface ModelOptions {
  /**
   * What a `fail` cas says. 'constraint' (the default, as Jepsen's etcd test, Knossos' cas-register
   * histories and Porcupine read them): the cas looked at the register and saw a value other than
   * the expected one, at some instant between its invocation and its completion; it changed
   * nothing. 'drop': a failed cas is only "did not apply" (a store that also fails a cas for
   * reasons unrelated to the value, such as "not the leader") and is removed before the search.
   */
  readonly failedCas?: 'constraint' | 'drop';
  /**
   * What a read of a never-written key returns: null (the default, dsim's stores) or '' (stores in
   * the style of many course labs and Porcupine's kv histories). `append` starts from '' either way.
   */
  readonly absentValue?: null | '';
}

export type FailedCas = NonNullable<ModelOptions['failedCas']>;

/**
 * The state of one register (or one key of a map): the value last written, or the absent value
 * when nothing has been written. The op semantics below are shared with the Raft key-value store:
 * - `read`/`get`: the ok result is the current value;
 * - `write`/`put`: sets the value; the ok result carries nothing;
 * - `append` (map only): concatenates a string onto the current value ('' when absent; a
 *   non-string value is converted with String(), as JavaScript's `(current ?? '') + value` does);
 * - `cas`: input `[expected, next]`; ok means it applied; fail means it saw another value (or,
 *   with failedCas 'drop', only that it did not apply).
 * `info` operations may take effect at any time after their invocation, or never.
 */
type Value = unknown;

const READS = new Set(['read', 'get']);

function describeRegisterOp(op: {
  readonly f: string;
  readonly input: unknown;
  readonly output: unknown;
  readonly type: string;
}): string {
  const unknown = op.type === 'info' ? ' (unknown outcome)' : op.type === 'fail' ? ' (failed)' : '';
  if (READS.has(op.f)) return `${op.f} → ${op.type === 'ok' ? showValue(op.output ?? null) : '?'}${unknown}`;
  if (op.f === 'cas' && Array.isArray(op.input))
    return `cas ${showValue(op.input[0])}→${showValue(op.input[1])}${unknown}`;
  return `${op.f} ${showValue(op.input)}${unknown}`;
}

/** The string an append extends: the value itself, '' when absent, else its String(). */
function appendBase(state: Value): string {
  return typeof state === 'string' ? state : state === null || state === undefined ? '' : String(state);
}

/** Tries of spelledBy before it gives up and answers "maybe" (true). */
const SPELL_TRIES = 256;

/**
 * Whether `text` from `offset` on is a concatenation of some of `pieces`, each used at most once
 * in any order (appends that may still be linearized). A bounded search: when it would take
 * long (many pieces that are prefixes of each other), it answers true, which only costs pruning.
 */
function spelledBy(text: string, offset: number, pieces: readonly string[]): boolean {
  let tries = 0;
  const used = new Uint8Array(pieces.length);
  const from = (at: number): boolean => {
    if (at === text.length) return true;
    if (++tries > SPELL_TRIES) return true;
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!;
      if (used[i] === 1 || piece.length === 0 || !text.startsWith(piece, at)) continue;
      used[i] = 1;
      const found = from(at + piece.length);
      used[i] = 0;
      if (found) return true;
    }
    return false;
  };
  return from(offset);
}

interface RegisterFunctions {
  readonly read: string;
  readonly write: string;
  readonly cas: boolean;
  readonly append: boolean;
}

function registerLike(
  name: string,
  description: string,
  functions: RegisterFunctions,
  keyRequired: boolean,
  options: ModelOptions,
): Model<Value> {
  const failedCas: FailedCas = options.failedCas ?? 'constraint';
  const absent: null | '' = options.absentValue ?? null;
  if (failedCas !== 'constraint' && failedCas !== 'drop')
    throw new Error(`failedCas must be 'constraint' or 'drop', got ${showValue(failedCas)}`);
  if (absent !== null && absent !== '')
    throw new Error(`absentValue must be null or '' (the empty string), got ${showValue(absent)}`);
  const known = [
    functions.read,
    functions.write,
    ...(functions.append ? ['append'] : []),
    ...(functions.cas ? ['cas'] : []),
  ];
  return {
    name,
    description,
    functions: known,
    partitionByKey: true,
    init: () => absent,
    step(state: Value, op: ModelOperation): Value | typeof IMPOSSIBLE {
      switch (op.f) {
        case functions.read:
          // A read whose outcome is unknown has no result to check; a completed read must see the state.
          if (!op.completed) return state;
          return sameValue(op.output ?? null, state) ? state : IMPOSSIBLE;
        case functions.write:
          return op.input ?? null;
        case 'append':
          return appendBase(state) + String(op.input);
        case 'cas': {
          const [expected, next] = op.input as readonly [unknown, unknown];
          const matches = sameValue(expected ?? null, state);
          // A failed cas observed a different value and changed nothing.
          if (op.failed) return matches ? IMPOSSIBLE : state;
          return matches ? (next ?? null) : IMPOSSIBLE;
        }
        default:
          return IMPOSSIBLE;
      }
    },
    key: canonicalKey,
    observesOnly: (op: ModelOperation) =>
      (op.f === functions.read && op.completed) || (op.f === 'cas' && op.failed === true),
    canReach(state: Value, observer: ModelOperation, pending: readonly ModelOperation[]): boolean {
      if (observer.f !== functions.read) return true;
      const target = observer.output ?? null;
      if (sameValue(target, state)) return true;
      // Only a write, a cas or appends change the value: the read must see the value the state or
      // a pending write or cas leaves, or that value extended by pending appends.
      const suffixes: string[] = [];
      for (const op of pending) if (op.f === 'append') suffixes.push(String(op.input));
      const fits = (base: unknown): boolean =>
        sameValue(target, base) ||
        (suffixes.length > 0 &&
          typeof target === 'string' &&
          target.startsWith(appendBase(base)) &&
          spelledBy(target, appendBase(base).length, suffixes));
      if (fits(state)) return true;
      for (const op of pending) {
        if (op.f === functions.write && fits(op.input ?? null)) return true;
        if (op.f === 'cas' && !op.failed && fits((op.input as readonly [unknown, unknown])[1] ?? null)) return true;
      }
      return false;
    },
    isIrrelevant: (op: RecordedOperation) =>
      op.type === 'fail'
        ? !(op.f === 'cas' && failedCas === 'constraint')
        : op.type === 'info' && op.f === functions.read,
    validate(op: RecordedOperation): string | undefined {
      if (!known.includes(op.f)) {
        const hint = op.f === 'cas' ? ` ('cas' needs the cas-register model: --model cas-register)` : '';
        return `the ${name} model has no operation '${op.f}' (it knows ${known.map((f) => `'${f}'`).join(', ')})${hint}`;
      }
      if (keyRequired && (op.key === undefined || op.key === null))
        return `'${op.f}' has no key: every ${name} operation names the key it reads or writes`;
      if (op.f === functions.write && op.input === undefined)
        return `'${op.f}' has no value: give the invoke the value it writes`;
      if (op.f === 'append' && typeof op.input !== 'string')
        return `'append' needs a string value to append, got ${showValue(op.input)}`;
      if (op.f === 'cas' && !(Array.isArray(op.input) && op.input.length === 2)) {
        return `'cas' needs the value [expected, next], got ${showValue(op.input)}`;
      }
      return undefined;
    },
    ...(functions.append
      ? {
          appendRole: (op: ModelOperation) =>
            op.f === 'append'
              ? ('append' as const)
              : op.f === functions.write
                ? ('overwrite' as const)
                : op.f === functions.read && op.completed
                  ? ('read' as const)
                  : undefined,
          appendBase,
        }
      : {}),
    readWrite: { read: functions.read, write: functions.write, initial: absent },
    describe: describeRegisterOp,
    describeState: (state: Value) => state ?? null,
  };
}

/**
 * A read/write register (Knossos' `register`). Operations with different keys are independent
 * registers; operations without a key all act on one register.
 */
export function createRegisterModel(options: ModelOptions = {}): Model {
  return registerLike(
    'register',
    `read/write register: read → current value (${showValue(options.absentValue ?? null)} if never written), write v`,
    { read: 'read', write: 'write', cas: false, append: false },
    false,
    options,
  );
}

/** A compare-and-set register (Knossos' `cas-register`): read, write, and cas [expected, next]. */
export function createCasRegisterModel(options: ModelOptions = {}): Model {
  return registerLike(
    'cas-register',
    'compare-and-set register: read, write v, cas [expected, next] (a failed cas saw another value)',
    { read: 'read', write: 'write', cas: true, append: false },
    false,
    options,
  );
}

/**
 * A key-value map: get, put, append (string concatenation) and cas, each naming a key. Split by
 * key, each key is checked as a register of its own.
 */
export function createKvModel(options: ModelOptions = {}): Model {
  return registerLike(
    'kv',
    `key-value map: get k → value (${showValue(options.absentValue ?? null)} if absent), put k v, append k s (string concatenation), cas k [expected, next]`,
    { read: 'get', write: 'put', cas: true, append: true },
    true,
    options,
  );
}

// ------------------------------------------------------------------------------- set and queue

/** Collection states are sorted (set) or ordered (queue) lists of canonical JSON texts. */
type Collection = readonly string[];

function collectionKey(state: Collection): string {
  // Canonical JSON never holds a raw newline, so the join is unambiguous.
  return state.join('\n');
}

function describeCollection(state: Collection): unknown {
  return state.map((text) => JSON.parse(text) as unknown);
}

function insertSorted(state: Collection, element: string): Collection {
  let low = 0;
  let high = state.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (state[middle]! < element) low = middle + 1;
    else high = middle;
  }
  if (state[low] === element) return state;
  return [...state.slice(0, low), element, ...state.slice(low)];
}

function describeCollectionOp(reader: string) {
  return (op: { readonly f: string; readonly input: unknown; readonly output: unknown; readonly type: string }) => {
    const unknown = op.type === 'info' ? ' (unknown outcome)' : op.type === 'fail' ? ' (failed)' : '';
    if (op.f === reader) return `${op.f} → ${op.type === 'ok' ? showValue(op.output ?? null) : '?'}${unknown}`;
    return `${op.f} ${showValue(op.input)}${unknown}`;
  };
}

function unknownOperation(name: string, known: readonly string[], f: string): string {
  return `the ${name} model has no operation '${f}' (it knows ${known.map((k) => `'${k}'`).join(', ')})`;
}

/**
 * A grow-only set (Knossos' `set`): `add v` adds an element; `read` returns every element (an
 * array, in any order; duplicates count once). Operations with different keys are different sets.
 */
export function createSetModel(): Model<Collection> {
  const known = ['add', 'read'];
  return {
    name: 'set',
    description: 'grow-only set: add v, read → every element (an array in any order)',
    functions: known,
    partitionByKey: true,
    init: () => [],
    step(state: Collection, op: ModelOperation): Collection | typeof IMPOSSIBLE {
      if (op.f === 'add') return insertSorted(state, canonicalJson(op.input));
      if (op.f === 'read') {
        if (!op.completed) return state;
        const seen = [...new Set(((op.output ?? []) as unknown[]).map(canonicalJson))].sort();
        if (seen.length !== state.length) return IMPOSSIBLE;
        for (let i = 0; i < seen.length; i++) if (seen[i] !== state[i]) return IMPOSSIBLE;
        return state;
      }
      return IMPOSSIBLE;
    },
    key: collectionKey,
    observesOnly: (op) => op.f === 'read' && op.completed,
    isIrrelevant: (op) => op.type === 'fail' || (op.type === 'info' && op.f === 'read'),
    validate(op) {
      if (!known.includes(op.f)) return unknownOperation('set', known, op.f);
      if (op.f === 'add' && op.input === undefined) return `'add' has no value: give the invoke the element it adds`;
      if (op.f === 'read' && op.type === 'ok' && op.output !== null && !Array.isArray(op.output))
        return `a set 'read' returns every element as an array (or an EDN set), got ${showValue(op.output)}`;
      return undefined;
    },
    describe: describeCollectionOp('read'),
    describeState: describeCollection,
  };
}

/**
 * A FIFO queue (Knossos' `fifo-queue`): `enqueue v` appends; an ok `dequeue` returns the head and
 * removes it, or returns null when the queue is empty. A `dequeue` of unknown outcome may have
 * removed the head (whatever it was) or nothing. Operations with different keys are different queues.
 */
export function createQueueModel(): Model<Collection> {
  const known = ['enqueue', 'dequeue'];
  return {
    name: 'queue',
    description: 'FIFO queue: enqueue v, dequeue → the head (null when empty)',
    functions: known,
    partitionByKey: true,
    init: () => [],
    step(state: Collection, op: ModelOperation): Collection | typeof IMPOSSIBLE {
      if (op.f === 'enqueue') return [...state, canonicalJson(op.input)];
      if (op.f === 'dequeue') {
        if (!op.completed) return state.length === 0 ? state : state.slice(1);
        if (op.output === null || op.output === undefined) return state.length === 0 ? state : IMPOSSIBLE;
        return state.length > 0 && state[0] === canonicalJson(op.output) ? state.slice(1) : IMPOSSIBLE;
      }
      return IMPOSSIBLE;
    },
    key: collectionKey,
    // An ok dequeue of nothing only checks that the queue is empty.
    observesOnly: (op) => op.f === 'dequeue' && op.completed && (op.output === null || op.output === undefined),
    isIrrelevant: (op) => op.type === 'fail',
    validate(op) {
      if (!known.includes(op.f)) return unknownOperation('queue', known, op.f);
      if (op.f === 'enqueue' && op.input === undefined)
        return `'enqueue' has no value: give the invoke the element it enqueues`;
      return undefined;
    },
    describe: describeCollectionOp('dequeue'),
    describeState: describeCollection,
  };
}

/** A read/write register with the default options. */
export const registerModel: Model = createRegisterModel();
/** A compare-and-set register with the default options (a failed cas is a constraint). */
export const casRegisterModel: Model = createCasRegisterModel();
/** A key-value map with the default options (absent keys read null, a failed cas is a constraint). */
export const kvModel: Model = createKvModel();
export const setModel: Model = createSetModel() as Model;
export const queueModel: Model = createQueueModel() as Model;

/** The model factories by the name the CLI takes. */
export const modelFactories: Readonly<Record<string, (options?: ModelOptions) => Model>> = {
  register: createRegisterModel,
  'cas-register': createCasRegisterModel,
  kv: createKvModel,
  set: () => createSetModel() as Model,
  queue: () => createQueueModel() as Model,
};

/** The models with their default options, by the name the CLI takes. */
export const models: Readonly<Record<string, Model>> = {
  register: registerModel,
  'cas-register': casRegisterModel,
  kv: kvModel,
  set: setModel,
  queue: queueModel,
};
