import type { Micros } from '../time/time.ts';
import { TIMER } from './event-kinds.ts';
import type { KernelEvents } from './kernel-events.ts';
import type { NodeRuntime } from './node-runtime.ts';

/**
 * The nodes' timers on the event queue. Two ways to queue a re-armed timer, with the same trace
 * except for the event count: 'carry' moves the event already queued (see PendingTimer), 'eager'
 * queues a new event for every setTimer and leaves the old one to be skipped as stale. 'eager' is
 * the plain reference the tests hold 'carry' to.
 */
export class Timers {
  private nextToken = 1;

  constructor(
    private readonly events: KernelEvents,
    private readonly carry: boolean,
  ) {}

  /** Arms (or re-arms) `name` to fire when the node's clock reaches `deadlineLocal`. */
  set(node: NodeRuntime, name: string, deadlineLocal: Micros, now: Micros): void {
    const at = node.clock.globalWhenLocalReaches(deadlineLocal, now);
    const seq = this.events.reserveSeq();
    const timer = node.timers.get(name);
    if (timer !== undefined && timer.carrierAt <= at && this.carry) {
      // Its carrier comes up no later than the new deadline and will move itself there.
      timer.deadlineLocal = deadlineLocal;
      timer.at = at;
      timer.seq = seq;
      return;
    }
    const carrier = this.nextToken++;
    if (timer === undefined) node.timers.set(name, { deadlineLocal, at, seq, carrier, carrierAt: at });
    else {
      // Updated in place: a timer is re-armed on most steps, and the old record is not needed.
      timer.deadlineLocal = deadlineLocal;
      timer.at = at;
      timer.seq = seq;
      timer.carrier = carrier;
      timer.carrierAt = at;
    }
    const events = this.events;
    events.scheduleReserved(events.create(at, TIMER, node.index, name, undefined, -1, carrier, false), seq);
  }

  /**
   * Whether a TIMER event popped from the queue should fire now. A carrier that comes up before its
   * timer's current deadline moves itself there; an event whose timer was cancelled, replaced or
   * lost in a crash is stale and is released. Neither counts as an event of the run.
   */
  due(slot: number, node: NodeRuntime): boolean {
    const events = this.events;
    const timer = node.timers.get(events.a[slot] as string);
    if (timer === undefined || timer.carrier !== events.id[slot]) {
      events.release(slot);
      return false;
    }
    const time = events.time[slot]!;
    if (timer.at > time || (timer.at === time && timer.seq > events.seq[slot]!)) {
      events.time[slot] = timer.at;
      timer.carrierAt = timer.at;
      events.scheduleReserved(slot, timer.seq);
      return false;
    }
    return true;
  }

  /** A due timer's carrier waits out its node's pause outside the queue. */
  parked(node: NodeRuntime, name: string): void {
    node.timers.get(name)!.carrierAt = Infinity;
  }

  /** After a clock jump or drift change, every pending timer fires when the new clock reaches its deadline. */
  clockChanged(node: NodeRuntime, now: Micros): void {
    for (const [name, timer] of [...node.timers]) this.set(node, name, timer.deadlineLocal, now);
  }
}
