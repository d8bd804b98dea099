import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NodeStorage } from '../src/index.ts';

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

  it('keys come back sorted, never in insertion order', () => {
    const storage = new NodeStorage();
    for (const key of ['log:10', 'log:9', 'term', 'log:1']) storage.put(key, 0);
    expect(storage.keys('log:')).toEqual(['log:1', 'log:10', 'log:9']);
  });

  it('a crash that loses unsynced writes restores exactly the last synced state (model-checked)', () => {
    const operation = fc.oneof(
      fc.record({ op: fc.constant('put' as const), key: fc.constantFrom('a', 'b', 'c'), value: fc.integer() }),
      fc.record({ op: fc.constant('delete' as const), key: fc.constantFrom('a', 'b', 'c') }),
      fc.record({ op: fc.constant('sync' as const) }),
      fc.record({ op: fc.constant('crash' as const), lose: fc.boolean() }),
    );
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 60 }), (script) => {
        const storage = new NodeStorage();
        let live = new Map<string, number>();
        let synced = new Map<string, number>();
        for (const step of script) {
          if (step.op === 'put') {
            storage.put(step.key, step.value);
            live.set(step.key, step.value);
          } else if (step.op === 'delete') {
            storage.delete(step.key);
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
          for (const [key, value] of live) expect(storage.get(key)).toBe(value);
        }
      }),
      { numRuns: 500 },
    );
  });
});
