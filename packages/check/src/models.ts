import type { PairedOperation } from '@dsim/core';
import { IMPOSSIBLE, type Model, type ModelOperation } from './model.ts';
import { canonicalKey, sameValue, showValue } from './values.ts';

/**
 * The state of one register (or one key of a map): the value last written, or null when nothing
 * has been written. The op semantics below are shared with the Raft key-value store:
 * - `read`/`get`: the ok result is the current value, or null if never written;
 * - `write`/`put`: sets the value; the ok result carries nothing;
 * - `append` (map only): concatenates a string onto the current value ('' when absent; a
 *   non-string value is converted with String(), as JavaScript's `(current ?? '') + value` does);
 * - `cas`: input `[expected, next]`; ok means it applied, fail means it did not.
 * `fail` operations never took effect and are dropped before the search; `info` operations may
 * take effect at any time after their invocation, or never.
 */
type Value = unknown;

const READS = new Set(['read', 'get']);

function describe(op: {
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
  partitionByKey: boolean,
  keyRequired: boolean,
): Model<Value> {
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
    partitionByKey,
    init: () => null,
    step(state: Value, op: ModelOperation): Value | typeof IMPOSSIBLE {
      switch (op.f) {
        case functions.read:
          // A read whose outcome is unknown has no result to check; a completed read must see the state.
          if (!op.completed) return state;
          return sameValue(op.output ?? null, state) ? state : IMPOSSIBLE;
        case functions.write:
          return op.input ?? null;
        case 'append':
          return (
            (typeof state === 'string' ? state : state === null || state === undefined ? '' : String(state)) +
            String(op.input)
          );
        case 'cas': {
          const [expected, next] = op.input as readonly [unknown, unknown];
          return sameValue(expected ?? null, state) ? (next ?? null) : IMPOSSIBLE;
        }
        default:
          return IMPOSSIBLE;
      }
    },
    key: canonicalKey,
    isIrrelevant: (op: PairedOperation) => op.type === 'info' && op.f === functions.read,
    validate(op: PairedOperation): string | undefined {
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
    describe,
    describeState: (state: Value) => state ?? null,
  };
}

/**
 * A read/write register (Knossos' `register`). Operations with different keys are independent
 * registers; operations without a key all act on one register.
 */
export const registerModel: Model = registerLike(
  'register',
  'read/write register: read → current value (null if never written), write v',
  { read: 'read', write: 'write', cas: false, append: false },
  true,
  false,
);

/** A compare-and-set register (Knossos' `cas-register`): read, write, and cas [expected, next]. */
export const casRegisterModel: Model = registerLike(
  'cas-register',
  'compare-and-set register: read, write v, cas [expected, next]',
  { read: 'read', write: 'write', cas: true, append: false },
  true,
  false,
);

/**
 * A key-value map: get, put, append (string concatenation) and cas, each naming a key. Split by
 * key, each key is checked as a register of its own.
 */
export const kvModel: Model = registerLike(
  'kv',
  'key-value map: get k → value (null if absent), put k v, append k s (string concatenation), cas k [expected, next]',
  { read: 'get', write: 'put', cas: true, append: true },
  true,
  true,
);

/** The models by the name the CLI takes. */
export const models: Readonly<Record<string, Model>> = {
  register: registerModel,
  'cas-register': casRegisterModel,
  kv: kvModel,
};
