import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NodeTimers, type PendingTimer } from '../src/kernel/node-timers.ts';

/**
 * A node's timer table (a scan of a few names, a Map past a handful) is a fast path; a `Map` by
 * name is its plain twin. On generated operations both must answer every lookup alike, keep the
 * same timers in the same order, and the table must mark a timer it lets go of as no longer
 * pending (carrier 0), which is how the loop tells a queued timer event is stale.
 */
type Operation =
  | { readonly op: 'set'; readonly name: string }
  | { readonly op: 'delete'; readonly name: string }
  | { readonly op: 'remove'; readonly name: string }
  | { readonly op: 'clear' };

/** Declared-looking names and keyed ones built at run time (not the engine's unique copies). */
const names = fc.oneof(
  fc.constantFrom('election', 'heartbeat', 'checkQuorum', 'transfer'),
  fc.integer({ min: 0, max: 20 }).map((key) => ['vote', String(key)].join(':')),
);
const operation: fc.Arbitrary<Operation> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('set' as const), name: names }), weight: 6 },
  { arbitrary: fc.record({ op: fc.constant('delete' as const), name: names }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('remove' as const), name: names }), weight: 2 },
  { arbitrary: fc.constant({ op: 'clear' as const }), weight: 1 },
);

describe('NodeTimers: a timer table held to a Map by name', () => {
  it('answers lookups, keeps order and marks released timers as a Map-backed table would', () => {
    let largest = 0;
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 200, size: 'large' }), (operations) => {
        const table = new NodeTimers();
        const reference = new Map<string, PendingTimer>();
        const released: PendingTimer[] = [];
        let token = 1;
        for (const step of operations) {
          if (step.op === 'set') {
            const pending = reference.get(step.name);
            expect(table.get(step.name)).toBe(pending);
            if (pending !== undefined) {
              // Re-armed in place, as Timers.set does.
              pending.carrier = token++;
              continue;
            }
            const timer: PendingTimer = {
              name: step.name,
              deadlineLocal: 0,
              at: 0,
              seq: 0,
              carrier: token++,
              carrierAt: 0,
            };
            table.add(timer);
            reference.set(step.name, timer);
          } else if (step.op === 'delete') {
            const pending = reference.get(step.name);
            expect(table.delete(step.name)).toBe(reference.delete(step.name));
            if (pending !== undefined) released.push(pending);
          } else if (step.op === 'remove') {
            const pending = reference.get(step.name);
            if (pending === undefined) continue;
            table.remove(pending);
            reference.delete(step.name);
            released.push(pending);
          } else {
            released.push(...reference.values());
            table.clear();
            reference.clear();
          }
          expect(table.size).toBe(reference.size);
          largest = Math.max(largest, table.size);
          expect(table.snapshot()).toEqual([...reference.values()]);
          for (const name of ['election', 'heartbeat', 'vote:3']) expect(table.has(name)).toBe(reference.has(name));
        }
        for (const timer of released)
          if (!reference.has(timer.name) || reference.get(timer.name) !== timer) expect(timer.carrier).toBe(0);
        for (const timer of reference.values()) expect(timer.carrier).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
    // Past the scan's limit the table looks names up in its Map: that path must be exercised too.
    expect(largest).toBeGreaterThan(8);
  });
});
