import type { Micros } from '../time/time.ts';

/**
 * A pending timer. Protocols re-arm timers constantly (a Raft follower on every AppendEntries), so
 * re-arming does not queue a new event: the event already queued (the carrier) stays, and when it
 * comes up early it moves itself to the timer's current deadline. The deadline keeps the sequence
 * number it would have had if it had been queued when set, so timers fire in exactly the order,
 * and at exactly the times, of queueing one event per setTimer; the queue just never fills with
 * stale ones.
 */
export interface PendingTimer {
  readonly name: string;
  /** Deadline on the node's own clock, to reschedule when the clock jumps or drifts. */
  deadlineLocal: Micros;
  /** When it fires, in global time, and its place among events at that time. */
  at: Micros;
  seq: number;
  /**
   * Token of the queued event that carries this timer; any other event for it is stale. 0 once the
   * timer fired, was cancelled or was lost in a crash: no event carries token 0.
   */
  carrier: number;
  /** When the carrier leaves the queue; Infinity while it waits out a pause outside the queue. */
  carrierAt: Micros;
}

/** Past this many pending timers a node's lookups go through a Map; below it a scan is cheaper. */
const SCAN_LIMIT = 8;

/**
 * A node's pending timers by name, in the order they were set since they last fired or were
 * cancelled (the order a `Map` keeps, which a clock fault re-arms them in).
 *
 * Why not a `Map`: a protocol names a handful of timers, and a handler names each with a literal,
 * so the names are the engine's unique copies and a scan of a few entries compares addresses,
 * where a `Map` hashes the name and probes its table on every re-arm (a Raft follower re-arms its
 * election timer on every AppendEntries). A node with many keyed timers (`vote:tx3`) gets a `Map`
 * beside the list. The queued timer event carries its record, so the loop finds the timer a
 * popped event belongs to without a lookup at all. `node-timers.test.ts` holds this table to a
 * `Map` on generated sequences of operations.
 */
export class NodeTimers {
  private readonly list: PendingTimer[] = [];
  /** By name, once the list has grown past SCAN_LIMIT (kept from then on). */
  private byName: Map<string, PendingTimer> | undefined = undefined;

  get size(): number {
    return this.list.length;
  }

  get(name: string): PendingTimer | undefined {
    if (this.byName !== undefined) return this.byName.get(name);
    const list = this.list;
    for (let i = 0; i < list.length; i++) {
      const timer = list[i]!;
      if (timer.name === name) return timer;
    }
    return undefined;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** Adds a timer not pending yet (its name must not be in the table). */
  add(timer: PendingTimer): void {
    const list = this.list;
    list.push(timer);
    if (this.byName !== undefined) this.byName.set(timer.name, timer);
    else if (list.length > SCAN_LIMIT) this.byName = new Map(list.map((entry) => [entry.name, entry]));
  }

  /** Removes the timer named `name`, if pending; its queued event becomes stale. */
  delete(name: string): boolean {
    const timer = this.get(name);
    if (timer === undefined) return false;
    this.remove(timer);
    return true;
  }

  /** Removes a timer that is in the table; its queued event becomes stale. */
  remove(timer: PendingTimer): void {
    const list = this.list;
    let i = list.indexOf(timer);
    // Shifted, not swapped with the last: the table keeps the order the timers were set in.
    for (; i < list.length - 1; i++) list[i] = list[i + 1]!;
    // pop, not `length--`: setting an array's length goes through a slow generic path.
    list.pop();
    this.byName?.delete(timer.name);
    timer.carrier = 0;
  }

  /** Forgets every timer (a crash): their queued events become stale. */
  clear(): void {
    for (const timer of this.list) timer.carrier = 0;
    this.list.length = 0;
    this.byName?.clear();
  }

  /** The pending timers, in the order they were set, as a copy. */
  snapshot(): PendingTimer[] {
    return this.list.slice();
  }
}
