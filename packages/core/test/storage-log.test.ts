import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NodeStorage } from '../src/index.ts';
import { PlainLog } from '../src/kernel/storage-log-plain.ts';

const value = fc.oneof(
  fc.integer(),
  fc.constant(null),
  fc.integer().map((n) => ({ n, list: [n, { deep: n }] })),
  fc.integer().map((n) => Object.freeze({ n, list: Object.freeze([n]) })),
);

const operation = fc.oneof(
  fc.record({ op: fc.constant('append' as const), at: fc.nat(), values: fc.array(value, { maxLength: 4 }) }),
  fc.record({ op: fc.constant('appendAt' as const), at: fc.nat(), value }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('compact' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('put' as const), value: fc.integer() }),
  fc.record({ op: fc.constant('sync' as const), latency: fc.integer({ min: 0, max: 30 }) }),
  fc.record({ op: fc.constant('wait' as const), micros: fc.integer({ min: 0, max: 40 }) }),
  fc.record({ op: fc.constant('crash' as const), lose: fc.boolean() }),
);

type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never;

/** The request's kind: NO_SYNC and NOTHING_NEW as they are, any journal position as 'seal'. */
function kind(request: number): number | 'seal' {
  return request >= 0 ? 'seal' : request;
}

/** Runs `script` on NodeLog and on PlainLog (the log on keys), holding every read equal after every step. */
function holdEqual(script: Operation[], timed: boolean): void {
  const fast = new NodeStorage();
  const plain = new NodeStorage();
  if (timed) {
    fast.timeSyncs();
    plain.timeSyncs();
  }
  const log = fast.log('log');
  const twin = new PlainLog(plain, 'log');
  let now = 0;
  let diskFreeAt = 0;
  for (const step of script) {
    const first = log.firstIndex;
    const last = log.lastIndex;
    switch (step.op) {
      case 'append': {
        const from = first + (step.at % (last - first + 2));
        log.append(from, step.values);
        twin.append(from, step.values);
        break;
      }
      case 'appendAt': {
        const index = first + (step.at % (last - first + 2));
        log.appendAt(index, step.value);
        twin.appendAt(index, step.value);
        break;
      }
      case 'truncate': {
        const to = first - 1 + (step.at % (last - first + 3));
        log.truncate(to);
        twin.truncate(to);
        break;
      }
      case 'compact': {
        const upTo = first - 2 + (step.at % (last - first + 5));
        log.compact(upTo);
        twin.compact(upTo);
        break;
      }
      case 'put':
        fast.put('key', step.value);
        plain.put('key', step.value);
        break;
      case 'sync': {
        fast.sync();
        plain.sync();
        const request = fast.takeSyncRequest();
        const twinRequest = plain.takeSyncRequest();
        expect(kind(request)).toBe(kind(twinRequest));
        if (request >= 0) {
          diskFreeAt = Math.max(now, diskFreeAt) + step.latency;
          fast.seal(request, diskFreeAt, now);
          plain.seal(twinRequest, diskFreeAt, now);
        }
        break;
      }
      case 'wait':
        now += step.micros;
        break;
      case 'crash':
        expect(fast.crash(step.lose, now) > 0).toBe(plain.crash(step.lose, now) > 0);
        diskFreeAt = 0;
        break;
    }
    expect([log.firstIndex, log.lastIndex]).toEqual([twin.firstIndex, twin.lastIndex]);
    for (let index = log.firstIndex - 2; index <= log.lastIndex + 2; index++)
      expect(log.entry(index)).toEqual(twin.entry(index));
    expect(fast.get('key')).toBe(plain.get('key'));
    expect(fast.unsyncedWrites > 0).toBe(plain.unsyncedWrites > 0);
    expect(fast.durableAt(now)).toBe(plain.durableAt(now));
  }
}

describe('NodeLog equals the same log on keys (PlainLog)', () => {
  it('with syncs that take no time', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 60 }), (script) => holdEqual(script, false)),
      { numRuns: 400 },
    );
  });

  it('with timed syncs and seals', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 60 }), (script) => holdEqual(script, true)),
      { numRuns: 400 },
    );
  });
});

describe('NodeLog', () => {
  it('journals one write per append, however many entries it carries', () => {
    const storage = new NodeStorage();
    const log = storage.log('log');
    log.append(1, [1, 2, 3]);
    log.appendAt(4, 4);
    expect(storage.unsyncedWrites).toBe(2);
    storage.sync();
    log.truncate(2);
    expect([storage.unsyncedWrites, log.lastIndex]).toEqual([1, 2]);
    storage.crash(true);
    expect([log.firstIndex, log.lastIndex, log.entry(4)]).toEqual([1, 4, 4]);
  });

  it('never lets a caller change what is stored', () => {
    const storage = new NodeStorage();
    const log = storage.log('log');
    const entry = { command: { key: 'x' }, list: [1] };
    log.append(1, [entry]);
    entry.command.key = 'changed';
    entry.list.push(2);
    const stored = log.entry<typeof entry>(1)!;
    expect(stored).toEqual({ command: { key: 'x' }, list: [1] });
    expect(Object.isFrozen(stored) && Object.isFrozen(stored.command) && Object.isFrozen(stored.list)).toBe(true);
    const frozen = Object.freeze({ term: 1 });
    log.appendAt(2, frozen);
    expect(log.entry(2)).toBe(frozen);
  });

  it('refuses bad writes with an error naming the fix, and changes nothing', () => {
    const storage = new NodeStorage();
    const log = storage.log('log');
    log.append(1, [1, 2]);
    expect(() => log.append(4, [3])).toThrow(
      "storage.log('log').append(4, …): the log holds 1..2; write from an index in 1..3",
    );
    expect(() => log.append(3, [3, new Map()])).toThrow('holds a Map; a log stores plain data');
    expect(() => log.appendAt(3, undefined)).toThrow('is undefined; store null instead');
    expect(() => log.truncate(-1)).toThrow('give an integer index of at least 0');
    expect(() => log.compact(1.5)).toThrow('give an integer index');
    expect(() => storage.log('')).toThrow('name the log with a non-empty string');
    expect([log.firstIndex, log.lastIndex, log.entry(1), log.entry(2), storage.unsyncedWrites]).toEqual([
      1, 2, 1, 2, 1,
    ]);
  });

  it('shows in the storage snapshot after the keys', () => {
    const storage = new NodeStorage();
    storage.put('hardState', 1);
    storage.log('log').append(1, ['a', 'b']);
    storage.log('log').compact(1);
    expect(storage.snapshot()).toEqual([
      ['hardState', 1],
      ['log:log', { firstIndex: 2, entries: ['b'] }],
    ]);
    expect(storage.keys()).toEqual(['hardState']);
  });
});
