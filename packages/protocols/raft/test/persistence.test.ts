import { NodeStorage } from '@dsim/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recover, saveEntries, saveEntry, saveSnapshot, truncateEntries } from '../src/persistence.ts';
import type { Entry, SnapshotData } from '../src/state.ts';

const entry = (term: number): Entry => Object.freeze({ term, kind: 'noop' as const });
const snapshotAt = (index: number, term: number): SnapshotData => Object.freeze({ index, term, kv: [], sessions: [] });

/** What Raft's durable state should read back as: the snapshot and the entries after it. */
interface Durable {
  snapshot: SnapshotData | undefined;
  entries: Entry[];
}

const operation = fc.oneof(
  fc.record({ op: fc.constant('propose' as const), term: fc.integer({ min: 1, max: 5 }) }),
  fc.record({
    op: fc.constant('replicate' as const),
    at: fc.nat(),
    terms: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }),
  }),
  fc.record({ op: fc.constant('compact' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('install' as const), ahead: fc.integer({ min: 0, max: 4 }) }),
  fc.record({ op: fc.constant('sync' as const) }),
  fc.record({ op: fc.constant('crash' as const), lose: fc.boolean() }),
);

describe("Raft's persistence on the durable log", () => {
  it('recover reads back exactly the synced snapshot and entries after a crash, and everything otherwise', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 50 }), (script) => {
        const storage = new NodeStorage();
        let live: Durable = { snapshot: undefined, entries: [] };
        let synced: Durable = live;
        const snapshotIndex = () => live.snapshot?.index ?? 0;
        const lastIndex = () => snapshotIndex() + live.entries.length;
        for (const step of script) {
          if (step.op === 'propose') {
            saveEntry(storage, snapshotIndex(), lastIndex() + 1, entry(step.term));
            live = { ...live, entries: [...live.entries, entry(step.term)] };
          } else if (step.op === 'replicate') {
            // As a follower does (handleAppendEntries): truncate at the first new index, then append.
            const first = snapshotIndex() + 1 + (step.at % (live.entries.length + 1));
            if (first <= lastIndex()) truncateEntries(storage, first - 1);
            saveEntries(storage, snapshotIndex(), first, step.terms.map(entry));
            live = {
              ...live,
              entries: [...live.entries.slice(0, first - 1 - snapshotIndex()), ...step.terms.map(entry)],
            };
          } else if (step.op === 'compact') {
            if (live.entries.length === 0) continue;
            const index = snapshotIndex() + 1 + (step.at % live.entries.length);
            const term = live.entries[index - snapshotIndex() - 1]!.term;
            saveSnapshot(storage, snapshotAt(index, term));
            live = { snapshot: snapshotAt(index, term), entries: live.entries.slice(index - snapshotIndex()) };
          } else if (step.op === 'install') {
            // A snapshot from the leader at or past our last entry replaces the whole log (handleInstallSnapshot).
            const index = lastIndex() + step.ahead;
            saveSnapshot(storage, snapshotAt(index, 9));
            truncateEntries(storage, index);
            live = { snapshot: snapshotAt(index, 9), entries: [] };
          } else if (step.op === 'sync') {
            storage.sync();
            synced = live;
          } else {
            storage.crash(step.lose);
            if (step.lose) live = synced;
            else synced = live;
          }
          const recovered = recover(storage);
          expect({ snapshot: recovered.snapshot, entries: recovered.entries }).toEqual(live);
        }
      }),
      { numRuns: 300 },
    );
  });
});
