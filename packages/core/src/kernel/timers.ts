import type { Micros } from '../time/time.ts';
import { TIMER } from './event-kinds.ts';
import type { KernelEvents } from './kernel-events.ts';
import type { NodeRuntime } from './node-runtime.ts';
import type { PendingTimer } from './node-timers.ts';

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
    const timers = node.timers;
    let timer = timers.get(name);
    if (timer !== undefined && timer.carrierAt <= at && this.carry) {
      // Its carrier comes up no later than the new deadline and will move itself there.
      timer.deadlineLocal = deadlineLocal;
      timer.at = at;
      timer.seq = seq;
      return;
    }
    const carrier = this.nextToken++;
    if (timer === undefined) {
      timer = { name, deadlineLocal, at, seq, carrier, carrierAt: at };
      timers.add(timer);
    } else {
      // Updated in place: a timer is re-armed on most steps, and the old record is not needed.
      timer.deadlineLocal = deadlineLocal;
      timer.at = at;
      timer.seq = seq;
      timer.carrier = carrier;
      timer.carrierAt = at;
    }
    const events = this.events;
    events.scheduleAside(events.create(at, TIMER, node.index, name, timer, -1, carrier, false), seq);
  }

  /**
   * Whether a TIMER event popped from the queue should fire now. A carrier that comes up before its
   * timer's current deadline moves itself there; an event whose timer was cancelled, replaced or
   * lost in a crash is stale and is released. Neither counts as an event of the run. The event
   * carries its timer's record (b), whose carrier token is 0 once the timer is no longer pending.
   */
  due(slot: number): boolean {
    const events = this.events;
    const timer = events.b[slot] as PendingTimer;
    if (timer.carrier !== events.id[slot]) {
      events.release(slot);
      return false;
    }
    const time = events.time[slot]!;
    if (timer.at > time || (timer.at === time && timer.seq > events.seq[slot]!)) {
      events.time[slot] = timer.at;
      timer.carrierAt = timer.at;
      events.scheduleAside(slot, timer.seq);
      return false;
    }
    return true;
  }

  /** A due timer's carrier waits out its node's pause outside the queue. */
  parked(timer: PendingTimer): void {
    timer.carrierAt = Infinity;
  }

  /** After a clock jump or drift change, every pending timer fires when the new clock reaches its deadline. */
  clockChanged(node: NodeRuntime, now: Micros): void {
    for (const timer of node.timers.snapshot()) this.set(node, timer.name, timer.deadlineLocal, now);
  }
}
