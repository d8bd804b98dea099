import type { DurableLog, DurableStorage } from '../author/storage.ts';

/**
 * The plain twin of NodeLog: the same log on a storage's keys, one key per entry
 * (`<name>/<index>`) plus its first and last index (`<name>/first`, `<name>/last`), every change
 * a few puts and deletes. Keys give it the crash model for free; storage-log.test.ts holds NodeLog
 * to it. A write that changes nothing still puts the last index, so that it is a write as well.
 */
export class PlainLog implements DurableLog {
  private readonly firstKey: string;
  private readonly lastKey: string;

  constructor(
    private readonly storage: DurableStorage,
    readonly name: string,
  ) {
    this.firstKey = `${name}/first`;
    this.lastKey = `${name}/last`;
  }

  get firstIndex(): number {
    return this.storage.get<number>(this.firstKey) ?? 1;
  }

  get lastIndex(): number {
    return this.storage.get<number>(this.lastKey) ?? 0;
  }

  entry<T = unknown>(index: number): T | undefined {
    if (!Number.isInteger(index) || index < this.firstIndex || index > this.lastIndex) return undefined;
    return this.storage.get<T>(this.storage.keyAt(this.name, index));
  }

  append(from: number, entries: readonly unknown[]): void {
    const first = this.firstIndex;
    const last = this.lastIndex;
    if (!Number.isInteger(from) || from < first || from > last + 1)
      throw new Error(`storage.log('${this.name}').append(${String(from)}, …): outside ${first}..${last + 1}`);
    for (let index = from; index <= last; index++) this.storage.delete(this.storage.keyAt(this.name, index));
    for (let i = 0; i < entries.length; i++) this.storage.put(this.storage.keyAt(this.name, from + i), entries[i]);
    this.storage.put(this.lastKey, from + entries.length - 1);
  }

  appendAt(index: number, entry: unknown): void {
    this.append(index, [entry]);
  }

  truncate(last: number): void {
    const first = this.firstIndex;
    const before = this.lastIndex;
    if (!Number.isInteger(last) || last < first - 1)
      throw new Error(`storage.log('${this.name}').truncate(${String(last)}): below ${first - 1}`);
    for (let index = last + 1; index <= before; index++) this.storage.delete(this.storage.keyAt(this.name, index));
    this.storage.put(this.lastKey, Math.min(last, before));
  }

  compact(upTo: number): void {
    const first = this.firstIndex;
    const last = this.lastIndex;
    if (!Number.isInteger(upTo))
      throw new Error(`storage.log('${this.name}').compact(${String(upTo)}): not an integer`);
    for (let index = first; index <= Math.min(upTo, last); index++)
      this.storage.delete(this.storage.keyAt(this.name, index));
    if (upTo >= first) this.storage.put(this.firstKey, upTo + 1);
    this.storage.put(this.lastKey, Math.max(last, upTo));
  }
}
