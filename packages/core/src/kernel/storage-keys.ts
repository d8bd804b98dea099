import type { StorageKey } from '../author/storage.ts';

/**
 * The key ids of one run, shared by the storages of its nodes, so that a storage keeps its values
 * in arrays indexed by id instead of in a hash table of its own. The nodes of a cluster write the
 * same keys one after another (every Raft entry goes to the same log slot key on every node): one
 * table shared by the run's nodes resolves each key once for all of them.
 *
 * The table only grows, with the distinct keys the run writes. Past `limit` keys, new keys get no
 * id and live in a map of each storage instead (see NodeStorage's `overflow`); which of the two
 * holds a key is invisible from outside.
 */
export class StorageKeys {
  private readonly ids = new Map<string, number>();
  /** Key names by id. */
  readonly names: string[] = [];
  /** The keys of each family by index, so writing a log slot neither formats its name nor looks it up. */
  private readonly families = new Map<string, ResolvedKey[]>();
  private lastFamilyName: string | undefined = undefined;
  private lastFamily: ResolvedKey[] = [];

  constructor(readonly limit = 1 << 20) {}

  /** The key `family/index`. */
  keyAt(family: string, index: number): StorageKey {
    if (!Number.isSafeInteger(index) || index < 0)
      throw new Error(`storage.keyAt('${family}', ${index}): the index must be a whole number, at least 0`);
    let keys = this.lastFamily;
    if (family !== this.lastFamilyName) {
      keys = this.families.get(family) ?? [];
      this.families.set(family, keys);
      this.lastFamilyName = family;
      this.lastFamily = keys;
    }
    return keys[index] ?? (keys[index] = this.resolve(`${family}/${index}`));
  }

  resolve(name: string): ResolvedKey {
    return new ResolvedKey(name, this.idOf(name, true), this);
  }

  /** A key's id, or -1 if it has none; with `add`, a key without one gets one if the table has room. */
  idOf(key: string | StorageKey, add: boolean): number {
    if (typeof key !== 'string') {
      // A key resolved by another run's table names the same key, by its name.
      if (key instanceof ResolvedKey && key.table === this) return key.id;
      key = key.name;
    }
    const id = this.ids.get(key);
    if (id !== undefined) return id;
    if (!add || this.names.length >= this.limit) return -1;
    const fresh = this.names.length;
    this.ids.set(key, fresh);
    this.names.push(key);
    return fresh;
  }
}

/** A key resolved to its id in a table, or to -1 when the table was full. */
class ResolvedKey implements StorageKey {
  constructor(
    readonly name: string,
    readonly id: number,
    readonly table: StorageKeys,
  ) {}
}
