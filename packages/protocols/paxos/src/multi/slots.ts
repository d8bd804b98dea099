/**
 * A map from slot numbers to values, kept in pages of 64 slots. Handlers run on immer drafts in the
 * immutable state mode, and a draft copies each object it changes: one flat record of every slot
 * would be copied whole for each slot learned (quadratic over a run), a page costs 64 slots plus
 * the page index.
 */
export type SlotMap<T> = Record<number, Record<number, T>>;

const PAGE_BITS = 6;

export function slotGet<T>(map: SlotMap<T>, slot: number): T | undefined {
  return map[slot >> PAGE_BITS]?.[slot];
}

export function slotSet<T>(map: SlotMap<T>, slot: number, value: T): void {
  const page = slot >> PAGE_BITS;
  (map[page] ??= {})[slot] = value;
}

/** Calls `visit` for every slot at or above `from`, in slot order (integer keys iterate in ascending order). */
export function forEachSlot<T>(map: SlotMap<T>, from: number, visit: (slot: number, value: T) => void): void {
  const first = from >> PAGE_BITS;
  for (const pageKey in map) {
    if (Number(pageKey) < first) continue;
    const page = map[Number(pageKey)]!;
    for (const slotKey in page) {
      const slot = Number(slotKey);
      if (slot >= from) visit(slot, page[slot]!);
    }
  }
}
