import type { Outcome } from '@dsim/core';

/**
 * The client operations of the replicated key-value store: the same shape and semantics as
 * Raft's KvOp and @dsim/check's kvModel (get → current string or null; put sets; append
 * concatenates, '' when absent; cas [expected, next] applies only when the current value equals
 * `expected`, null meaning absent), so one workload and one checker serve both protocols.
 */
export type KvOp =
  | { readonly f: 'get'; readonly key: string }
  | { readonly f: 'put'; readonly key: string; readonly value: string }
  | { readonly f: 'append'; readonly key: string; readonly value: string }
  | { readonly f: 'cas'; readonly key: string; readonly value: [string | null, string] };

export type KvResult = string | null | undefined;

/** Reads a key without touching the prototype chain. */
export function readKey(kv: Record<string, string>, key: string): string | null {
  return Object.hasOwn(kv, key) ? kv[key]! : null;
}

/** Applies one operation to the map: the semantics of @dsim/check's kvModel. */
export function execute(kv: Record<string, string>, op: KvOp): Outcome<KvResult> {
  switch (op.f) {
    case 'get':
      return { type: 'ok', value: readKey(kv, op.key) };
    case 'put':
      kv[op.key] = op.value;
      return { type: 'ok' };
    case 'append':
      kv[op.key] = (readKey(kv, op.key) ?? '') + op.value;
      return { type: 'ok' };
    case 'cas': {
      const [expected, next] = op.value;
      if (readKey(kv, op.key) !== expected) return { type: 'fail', error: 'cas: current value differs from expected' };
      kv[op.key] = next;
      return { type: 'ok' };
    }
  }
}

/** What is wrong with an operation a client sent, or undefined when it is well formed. */
export function malformedKvOp(op: KvOp): string | undefined {
  if (op === null || typeof op !== 'object') return 'an operation must be an object';
  switch (op.f) {
    case 'get':
    case 'put':
    case 'append':
    case 'cas':
      if (typeof op.key !== 'string' || op.key === '__proto__') return `'${op.f}' needs a string key`;
      if ((op.f === 'put' || op.f === 'append') && typeof op.value !== 'string')
        return `'${op.f}' needs a string value`;
      if (
        op.f === 'cas' &&
        !(
          Array.isArray(op.value) &&
          op.value.length === 2 &&
          typeof op.value[1] === 'string' &&
          (op.value[0] === null || typeof op.value[0] === 'string')
        )
      )
        return `'cas' needs the value [expected (string or null), next (string)]`;
      return undefined;
    default:
      return `unknown operation '${String((op as { f: unknown }).f)}' (get, put, append, cas)`;
  }
}

/** 'put k1=v', 'append k1+v', 'cas k1 a→b', 'get k1'. */
export function describeKvOp(op: KvOp): string {
  switch (op.f) {
    case 'put':
      return `put ${op.key}=${op.value}`;
    case 'append':
      return `append ${op.key}+${op.value}`;
    case 'cas':
      return `cas ${op.key} ${op.value[0]}→${op.value[1]}`;
    case 'get':
      return `get ${op.key}`;
  }
}
