import type { Outcome } from '@dsim/core';

/**
 * The client operations of a replicated key-value store, with the semantics of @dsim/check's
 * `kvModel`: get → the current string or null; put sets; append concatenates ('' when absent);
 * cas [expected, next] applies only when the current value equals `expected` (null = absent).
 * Raft and Multi-Paxos serve exactly these, so one workload and one checker compare them.
 */
export type KvOp =
  | { readonly f: 'get'; readonly key: string }
  | { readonly f: 'put'; readonly key: string; readonly value: string }
  | { readonly f: 'append'; readonly key: string; readonly value: string }
  | { readonly f: 'cas'; readonly key: string; readonly value: [string | null, string] };

export type KvResult = string | null | undefined;

/**
 * The outcome of every write that succeeds. Outcomes are only read once made (by the kernel and
 * by client sessions), so one frozen object serves every write on every replica.
 */
const OK: Outcome<KvResult> = Object.freeze({ type: 'ok' });

/** Reads a key without touching the prototype chain. */
export function readKey(kv: Readonly<Record<string, string>>, key: string): string | null {
  return Object.hasOwn(kv, key) ? kv[key]! : null;
}

/** Applies one operation to the map, in place. */
export function executeKv(kv: Record<string, string>, op: KvOp): Outcome<KvResult> {
  switch (op.f) {
    case 'get':
      return { type: 'ok', value: readKey(kv, op.key) };
    case 'put':
      kv[op.key] = op.value;
      return OK;
    case 'append':
      kv[op.key] = (readKey(kv, op.key) ?? '') + op.value;
      return OK;
    case 'cas': {
      const [expected, next] = op.value;
      if (readKey(kv, op.key) !== expected) return { type: 'fail', error: 'cas: current value differs from expected' };
      kv[op.key] = next;
      return OK;
    }
  }
}

/**
 * What is wrong with a key-value operation a client sent, or undefined when it is well formed.
 * `others` names further operations the caller accepts (for the message about an unknown one).
 */
export function malformedKvOp(op: unknown, others: readonly string[] = []): string | undefined {
  if (op === null || typeof op !== 'object') return 'an operation must be an object';
  const candidate = op as { f?: unknown; key?: unknown; value?: unknown };
  switch (candidate.f) {
    case 'get':
    case 'put':
    case 'append':
    case 'cas':
      if (typeof candidate.key !== 'string' || candidate.key === '__proto__')
        return `'${candidate.f}' needs a string key`;
      if ((candidate.f === 'put' || candidate.f === 'append') && typeof candidate.value !== 'string')
        return `'${candidate.f}' needs a string value`;
      if (candidate.f === 'cas' && !isCasValue(candidate.value))
        return `'cas' needs the value [expected (string or null), next (string)]`;
      return undefined;
    default:
      return `unknown operation '${String(candidate.f)}' (${['get', 'put', 'append', 'cas', ...others].join(', ')})`;
  }
}

function isCasValue(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    typeof value[1] === 'string' &&
    (value[0] === null || typeof value[0] === 'string')
  );
}

/** 'put k1=v', 'append k1+v', 'cas k1 a→b', 'get k1': the label of a log entry or an operation. */
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
