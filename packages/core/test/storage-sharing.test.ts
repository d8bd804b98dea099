import { describe, expect, it } from 'vitest';
import { NodeStorage } from '../src/index.ts';

/**
 * Storage shares what nobody can change (plain data frozen all the way down) and copies the
 * rest. Whatever it shares, a reader must see exactly what a copy made at `put` would have shown:
 * the same own enumerable data, with plain prototypes, no symbols, no hidden properties, no holes.
 */
function stored<T>(value: T): { storage: NodeStorage; read: () => unknown } {
  const storage = new NodeStorage();
  storage.put('k', value);
  return { storage, read: () => storage.get('k') };
}

describe('NodeStorage shares only plain data frozen all the way down', () => {
  it('shares a plain value frozen all the way down', () => {
    const value = Object.freeze({ term: 2, op: Object.freeze({ f: 'cas', value: Object.freeze([null, 'x']) }) });
    const { read } = stored(value);
    expect(read()).toBe(value);
    expect(read()).toBe(value);
  });

  it('copies a frozen value with an unfrozen child, so changing the child later does not reach the disk', () => {
    const child = { n: 1 };
    const { read } = stored(Object.freeze({ child }));
    child.n = 2;
    expect(read()).toEqual({ child: { n: 1 } });
  });

  it('copies a frozen array with an unfrozen element', () => {
    const element = [1];
    const { read } = stored(Object.freeze([element]));
    element.push(2);
    expect(read()).toEqual([[1]]);
  });

  it('reads a frozen object with a symbol key as plain data, without the symbol', () => {
    const tag = Symbol('tag');
    const value = Object.freeze({ a: 1, [tag]: Object.freeze({ b: 2 }) });
    const read = stored(value).read() as Record<PropertyKey, unknown>;
    expect(read).not.toBe(value);
    expect(read).toEqual({ a: 1 });
    expect(Object.getOwnPropertySymbols(read)).toEqual([]);
  });

  it('reads a frozen object with a non-enumerable property without it, even when it holds something mutable', () => {
    const hidden = { n: 1 };
    const value = {} as Record<string, unknown>;
    value.a = 1;
    Object.defineProperty(value, 'hidden', { value: hidden, enumerable: false });
    Object.freeze(value);
    const read = stored(value).read() as Record<string, unknown>;
    hidden.n = 2;
    expect(read).not.toBe(value);
    expect(Object.getOwnPropertyNames(read)).toEqual(['a']);
  });

  it('reads a frozen array with a hole or an extra property as a plain array', () => {
    const holey = [1, , 3];
    Object.freeze(holey);
    const readHoley = stored(holey).read() as unknown[];
    expect(readHoley).not.toBe(holey);
    expect(Object.hasOwn(readHoley, 1)).toBe(true);
    expect(readHoley).toEqual([1, undefined, 3]);

    const extra = Object.assign([1, 2], { note: { mutable: true } });
    Object.freeze(extra);
    const readExtra = stored(extra).read() as unknown[];
    extra.note.mutable = false;
    expect(readExtra).not.toBe(extra);
    expect(Object.getOwnPropertyNames(readExtra)).toEqual(['0', '1', 'length']);
  });

  it('reads a frozen class instance as a plain object', () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    const value = Object.freeze(new Point(1, 2));
    const read = stored(value).read();
    expect(read).not.toBe(value);
    expect(Object.getPrototypeOf(read)).toBe(Object.prototype);
    expect(read).toEqual({ x: 1, y: 2 });
  });

  it('copies a frozen Map (freezing does not stop its entries from changing), also inside a frozen object', () => {
    const map = Object.freeze(new Map([['a', 1]]));
    const { read } = stored(map);
    const inside = Object.freeze({ map });
    const { read: readInside } = stored(inside);
    map.set('a', 2);
    expect(read()).toEqual(new Map([['a', 1]]));
    expect(readInside()).toEqual({ map: new Map([['a', 1]]) });
  });

  it('rolls a crash back to the shared value the last sync left', () => {
    const first = Object.freeze({ term: 1 });
    const { storage, read } = stored(first);
    storage.sync();
    storage.put('k', Object.freeze({ term: 2 }));
    storage.crash(true);
    expect(read()).toBe(first);
  });
});
