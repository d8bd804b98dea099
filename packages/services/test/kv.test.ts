import { checkLinearizability, kvModel } from '@dsim/check';
import { createRandom, type ClientView, type HistoryEntry, type Outcome } from '@dsim/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  describeKvOp,
  executeKv,
  kvClients,
  kvWriters,
  malformedKvOp,
  type KvOp,
  type KvResult,
} from '../src/index.ts';

const key = fc.constantFrom('k0', 'k1');
const text = fc.constantFrom('a', 'b', 'c');
const kvOp: fc.Arbitrary<KvOp> = fc.oneof(
  key.map((k) => ({ f: 'get', key: k }) as const),
  fc.tuple(key, text).map(([k, v]) => ({ f: 'put', key: k, value: v }) as const),
  fc.tuple(key, text).map(([k, v]) => ({ f: 'append', key: k, value: v }) as const),
  fc.tuple(key, fc.option(text, { nil: null }), text).map(([k, e, v]): KvOp => ({ f: 'cas', key: k, value: [e, v] })),
);

/** A sequential history (each operation completes before the next starts) of ops run by executeKv. */
function sequentialHistory(ops: readonly KvOp[]): HistoryEntry[] {
  const kv: Record<string, string> = {};
  const history: HistoryEntry[] = [];
  ops.forEach((op, i) => {
    const outcome: Outcome<KvResult> = executeKv(kv, op);
    history.push({
      index: history.length,
      process: 0,
      type: 'invoke',
      f: op.f,
      key: op.key,
      value: op.f === 'get' ? undefined : op.value,
      time: 2 * i,
    });
    history.push({
      index: history.length,
      process: 0,
      type: outcome.type === 'unknown' ? 'info' : outcome.type,
      f: op.f,
      key: op.key,
      ...(outcome.type === 'ok' && op.f === 'get' ? { value: outcome.value } : {}),
      time: 2 * i + 1,
    });
  });
  return history;
}

describe('the key-value state machine', () => {
  it("agrees with @dsim/check's kvModel: every sequential run of executeKv is linearizable", () => {
    fc.assert(
      fc.property(fc.array(kvOp, { maxLength: 25 }), (ops) => {
        expect(checkLinearizability(sequentialHistory(ops), kvModel).verdict).toBe('linearizable');
      }),
    );
  });

  it('a read that returns anything but the last write is caught by the model', () => {
    const history = sequentialHistory([
      { f: 'put', key: 'k0', value: 'a' },
      { f: 'append', key: 'k0', value: 'b' },
      { f: 'get', key: 'k0' },
    ]);
    expect(history[5]!.value).toBe('ab');
    const stale = history.map((entry) => (entry.index === 5 ? { ...entry, value: 'a' } : entry));
    expect(checkLinearizability(stale, kvModel).verdict).toBe('not-linearizable');
  });

  it('cas applies only when the current value is the expected one (null = absent)', () => {
    const kv: Record<string, string> = {};
    expect(executeKv(kv, { f: 'cas', key: 'k', value: ['x', 'y'] }).type).toBe('fail');
    expect(executeKv(kv, { f: 'cas', key: 'k', value: [null, 'y'] }).type).toBe('ok');
    expect(kv.k).toBe('y');
  });

  it('keys that name prototype members are plain keys', () => {
    const kv: Record<string, string> = {};
    expect(executeKv(kv, { f: 'get', key: 'toString' })).toEqual({ type: 'ok', value: null });
    expect(executeKv(kv, { f: 'append', key: 'constructor', value: 'x' }).type).toBe('ok');
    expect(kv.constructor).toBe('x');
  });

  it('names what is wrong with a malformed operation', () => {
    expect(malformedKvOp(null)).toBe('an operation must be an object');
    expect(malformedKvOp({ f: 'put', key: 'k' })).toBe("'put' needs a string value");
    expect(malformedKvOp({ f: 'get', key: '__proto__' })).toBe("'get' needs a string key");
    expect(malformedKvOp({ f: 'cas', key: 'k', value: ['a'] })).toMatch(/\[expected/);
    expect(malformedKvOp({ f: 'del', key: 'k' }, ['transfer'])).toBe(
      "unknown operation 'del' (get, put, append, cas, transfer)",
    );
    fc.assert(fc.property(kvOp, (op) => malformedKvOp(op) === undefined));
  });

  it('labels operations for views', () => {
    expect(describeKvOp({ f: 'cas', key: 'k1', value: [null, 'b'] })).toBe('cas k1 null→b');
    expect(describeKvOp({ f: 'append', key: 'k1', value: 'x;' })).toBe('append k1+x;');
  });
});

function clientView(client: string, index: number, invoked: number, lastOutcome?: Outcome): ClientView {
  return {
    client,
    index,
    process: index,
    now: 0,
    invoked,
    random: createRandom(7, `${client}/${invoked}`),
    lastOutcome,
  };
}

describe('kvClients', () => {
  it('writes unique values and cas on the value the client last read', () => {
    const workload = kvClients({ keys: 1, mix: { get: 1, put: 0, append: 0, cas: 0 } });
    expect(workload.nextOp(clientView('c1', 0, 0))).toEqual({ f: 'get', key: 'k0' });
    const casOnly = kvClients({ keys: 1, mix: { get: 0, put: 0, append: 0, cas: 1 } });
    // The cas workload has not seen a read: it expects the key absent.
    expect(casOnly.nextOp(clientView('c1', 0, 4))).toEqual({ f: 'cas', key: 'k0', value: [null, 'c1.5'] });
  });

  it('remembers the value a get returned for the next cas of that client', () => {
    let read = true;
    const workload = kvClients({ keys: 1, mix: { get: 1, put: 0, append: 0, cas: 1 } });
    // Draw until the first get, then answer it and draw until the first cas.
    let invoked = 0;
    while (read) {
      const op = workload.nextOp(clientView('c2', 1, invoked++, { type: 'ok', value: 'seen' }));
      if (op?.f === 'get') read = false;
    }
    for (;;) {
      const op = workload.nextOp(clientView('c2', 1, invoked++, { type: 'ok', value: 'seen' }));
      if (op?.f === 'cas') {
        expect(op.value[0]).toBe('seen');
        break;
      }
    }
  });

  it('readers only read, pinned clients stay on their node, interjected operations come first', () => {
    const workload = kvClients<{ f: 'transfer'; value: string }>({ readers: ['c1'], pin: { c1: 'n3' } }, (client) =>
      client.invoked === 3 ? { f: 'transfer', value: 'n2' } : undefined,
    );
    for (let i = 0; i < 20; i++) if (i !== 3) expect(workload.nextOp(clientView('c1', 0, i))!.f).toBe('get');
    expect(workload.nextOp(clientView('c1', 0, 3))).toEqual({ f: 'transfer', value: 'n2' });
    expect(workload.chooseNode!(clientView('c1', 0, 0), { f: 'get', key: 'k0' }, 'n1')).toBe('n3');
    expect(workload.chooseNode!(clientView('c2', 1, 0), { f: 'get', key: 'k0' }, 'n1')).toBe('n1');
  });

  it('kvWriters puts fresh values', () => {
    const op = kvWriters({ keys: 4 }).nextOp(clientView('c3', 2, 6));
    expect(op).toMatchObject({ f: 'put', value: 'c3.7' });
  });
});
