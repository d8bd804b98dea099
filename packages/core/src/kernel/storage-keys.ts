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
  /**
   * The names last looked up by `idOf` and their ids, newest at `nextRecent - 1`. A protocol names
   * a few keys as strings on nearly every step (Raft: its log's last index and ring size on every
   * entry saved), and comparing a name with these few costs less than hashing it for the map. An
   * id never changes once given, so a remembered one is never stale. With `recentNames` 0 every
   * lookup goes to the map: the plain way, which storage.test.ts holds this one equal to.
   */
  private readonly recentNames: Array<string | undefined>;
  private readonly recentIds: Int32Array;
  private nextRecent = 0;

  constructor(
    readonly limit = 1 << 20,
    recentNames = 4,
  ) {
    this.recentNames = new Array<string | undefined>(recentNames).fill(undefined);
    this.recentIds = new Int32Array(recentNames);
  }

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
    const recent = this.recentNames;
    for (let i = 0; i < recent.length; i++) if (recent[i] === key) return this.recentIds[i]!;
    const id = this.ids.get(key);
    if (id !== undefined) return this.remember(key, id);
    if (!add || this.names.length >= this.limit) return -1;
    const fresh = this.names.length;
    this.ids.set(key, fresh);
    this.names.push(key);
    return this.remember(key, fresh);
  }

  /** Keeps a name and its id among the recent ones, in place of the oldest; returns the id. */
  private remember(name: string, id: number): number {
    const slots = this.recentNames.length;
    if (slots === 0) return id;
    const at = this.nextRecent;
    this.recentNames[at] = name;
    this.recentIds[at] = id;
    this.nextRecent = at + 1 === slots ? 0 : at + 1;
    return id;
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
