import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NodeStorage } from '../src/index.ts';
import { StorageKeys } from '../src/kernel/storage-keys.ts';

describe('NodeStorage', () => {
  it('copies values in and out, so later mutations never reach the disk', () => {
    const storage = new NodeStorage();
    const value = { log: [1, 2] };
    storage.put('k', value);
    value.log.push(3);
    const read = storage.get<{ log: number[] }>('k')!;
    read.log.push(4);
    expect(storage.get('k')).toEqual({ log: [1, 2] });
  });

  it('reading keys never written leaves them absent everywhere, whether the shared table has room or not', () => {
    for (const limit of [0, 2, 100]) {
      const table = new StorageKeys(limit);
      const reader = new NodeStorage(table);
      const writer = new NodeStorage(table);
      for (const key of ['ring', 'never', 'ring']) {
        expect(reader.get(key)).toBeUndefined();
        expect(reader.has(key)).toBe(false);
      }
      writer.put('written', 1);
      writer.delete('never');
      expect([reader.keys(), writer.keys(), writer.snapshot()]).toEqual([[], ['written'], [['written', 1]]]);
      reader.put('ring', 2);
      reader.crash(true);
      expect([reader.keys(), reader.get('ring'), writer.has('ring')]).toEqual([[], undefined, false]);
    }
  });

  it('keys come back sorted, never in insertion order', () => {
    const storage = new NodeStorage();
    for (const key of ['log:10', 'log:9', 'term', 'log:1']) storage.put(key, 0);
    expect(storage.keys('log:')).toEqual(['log:1', 'log:10', 'log:9']);
  });

  // Keys live in the run's key table, or, once it is full, in a storage's own map: the same model
  // check runs on keys of either kind and on a mix of both.
  const keySets: Array<{ name: string; keys: [string, string, string]; shared: string[] }> = [
    { name: 'shared keys', keys: ['a', 'b', 'c'], shared: ['a', 'b', 'c'] },
    { name: 'keys past the shared table', keys: ['overflow/a', 'overflow/b', 'overflow/c'], shared: [] },
    { name: 'a mix of both', keys: ['mixed/a', 'mixed/b', 'mixed/c'], shared: ['mixed/b'] },
  ];
  it.each(keySets)(
    'a crash that loses unsynced writes restores exactly the last synced state (model-checked, $name)',
    ({ keys, shared }) => {
      // A table with room for the shared keys only: every other key overflows.
      const table = new StorageKeys(shared.length);
      for (const key of shared) new NodeStorage(table).put(key, 0);
      checkCrashModel(keys, table);
    },
  );

  it('a resolved key names the same key as its name, in every storage, even one resolved while the table was full', () => {
    // Room for one key: 'resolved/a' gets an id, 'resolved/overflow' does not.
    const table = new StorageKeys(1);
    const first = new NodeStorage(table);
    const second = new NodeStorage(table);
    const resolved = first.key('resolved/a');
    first.put(resolved, { n: 1 });
    expect(first.get('resolved/a')).toEqual({ n: 1 });
    expect(second.has(resolved)).toBe(false);
    second.put('resolved/a', 2);
    expect(second.get(resolved)).toBe(2);
    // A key object made elsewhere is taken by its name.
    expect(first.get({ name: 'resolved/a' })).toEqual({ n: 1 });
    // So is a key resolved by another run's table.
    expect(first.get(new NodeStorage().key('resolved/a'))).toEqual({ n: 1 });
    {
      const overflowing = second.key('resolved/overflow');
      first.put(overflowing, 'x');
      expect(first.get('resolved/overflow')).toBe('x');
      expect(first.keys('resolved/')).toEqual(['resolved/a', 'resolved/overflow']);
      first.delete('resolved/overflow');
      expect(first.has(overflowing)).toBe(false);
      first.delete(resolved);
      expect(first.keys('resolved/')).toEqual([]);
      first.crash(true);
      expect(first.keys('resolved/')).toEqual([]);
    }
  });

  it('the recently looked-up names give the ids the map alone gives (the plain way), full table or not', () => {
    // Names built at run time (equal strings, not the same objects) and a table that fills up.
    const lookups = fc.array(
      fc.record({ name: fc.integer({ min: 0, max: 9 }), add: fc.boolean(), built: fc.boolean() }),
      { maxLength: 200 },
    );
    fc.assert(
      fc.property(lookups, fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 6 }), (script, limit, recent) => {
        const fast = new StorageKeys(limit, recent);
        const plain = new StorageKeys(limit, 0);
        for (const { name, add, built } of script) {
          const key = built ? ['name', String(name)].join('/') : `name/${name}`;
          expect(fast.idOf(key, add)).toBe(plain.idOf(key, add));
        }
        expect(fast.names).toEqual(plain.names);
      }),
      { numRuns: 300 },
    );
  });

  it('keys spread over many pages of the key table come back sorted, with their values', () => {
    const table = new StorageKeys();
    const storage = new NodeStorage(table);
    const other = new NodeStorage(table);
    const written: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const key = `many/${i}`;
      // Another storage registers most of the keys first, so this one's ids have gaps.
      if (i % 7 !== 0) other.put(key, -i);
      if (i % 3 === 0) {
        storage.put(key, i);
        written.push(key);
      }
    }
    storage.put('many/0', 'zero');
    storage.delete('many/3');
    written.splice(written.indexOf('many/3'), 1);
    expect(storage.keys('many/')).toEqual(written.sort());
    expect(storage.get('many/0')).toBe('zero');
    expect(storage.get('many/999')).toBe(999);
    expect(storage.has('many/3')).toBe(false);
    expect(storage.has('many/1')).toBe(false);
    expect(other.get('many/1')).toBe(-1);
    expect(storage.snapshot().slice(0, 2)).toEqual([
      ['many/0', 'zero'],
      ['many/102', 102],
    ]);
  });
});

function checkCrashModel(keys: [string, string, string], table: StorageKeys): void {
  {
    // Each operation names its key by the name or by a resolved key, as it comes.
    const operation = fc.oneof(
      fc.record({
        op: fc.constant('put' as const),
        key: fc.constantFrom(...keys),
        value: fc.integer(),
        resolved: fc.boolean(),
      }),
      fc.record({ op: fc.constant('delete' as const), key: fc.constantFrom(...keys), resolved: fc.boolean() }),
      fc.record({ op: fc.constant('sync' as const) }),
      fc.record({ op: fc.constant('crash' as const), lose: fc.boolean() }),
    );
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 60 }), (script) => {
        const storage = new NodeStorage(table);
        let live = new Map<string, number>();
        let synced = new Map<string, number>();
        for (const step of script) {
          if (step.op === 'put') {
            storage.put(step.resolved ? storage.key(step.key) : step.key, step.value);
            live.set(step.key, step.value);
          } else if (step.op === 'delete') {
            storage.delete(step.resolved ? storage.key(step.key) : step.key);
            live.delete(step.key);
          } else if (step.op === 'sync') {
            storage.sync();
            synced = new Map(live);
          } else {
            storage.crash(step.lose);
            if (step.lose) live = new Map(synced);
            else synced = new Map(live);
          }
          expect(storage.keys()).toEqual([...live.keys()].sort());
          for (const [key, value] of live) {
            expect(storage.get(key)).toBe(value);
            expect(storage.get(storage.key(key))).toBe(value);
          }
        }
      }),
      { numRuns: 500 },
    );
  }
}
