import type { Micros } from '../time/time.ts';

/** Anything the queue can order: a time and the insertion counter that breaks ties. */
export interface QueuedEvent {
  time: Micros;
  seq: number;
}

/**
 * A binary min-heap ordered by (time, seq). `seq` is assigned on push, so two events at the same
 * microsecond always leave in the order they were scheduled: the run never depends on the heap's
 * internal layout.
 */
export class EventQueue<E extends QueuedEvent> {
  private readonly heap: E[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Assigns the event its sequence number and schedules it. */
  push(event: E): void {
    event.seq = this.nextSeq++;
    this.insert(event);
  }

  /**
   * Takes the next sequence number without scheduling anything yet: an event pushed later with
   * `pushReserved` leaves in the same place among equal times as if it had been pushed now.
   */
  reserveSeq(): number {
    return this.nextSeq++;
  }

  /** Schedules an event whose `seq` was taken from `reserveSeq`. */
  pushReserved(event: E): void {
    this.insert(event);
  }

  private insert(event: E): void {
    const heap = this.heap;
    let index = heap.length;
    heap.push(event);
    // Sift up.
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex]!;
      if (parent.time < event.time || (parent.time === event.time && parent.seq < event.seq)) break;
      heap[index] = parent;
      index = parentIndex;
    }
    heap[index] = event;
  }

  peek(): E | undefined {
    return this.heap[0];
  }

  pop(): E | undefined {
    const heap = this.heap;
    const top = heap[0];
    if (top === undefined) return undefined;
    const last = heap.pop()!;
    const length = heap.length;
    if (length > 0) {
      // Sift the last element down from the root.
      let index = 0;
      for (;;) {
        const left = 2 * index + 1;
        if (left >= length) break;
        const right = left + 1;
        let child = left;
        let childEvent = heap[left]!;
        if (right < length) {
          const rightEvent = heap[right]!;
          if (
            rightEvent.time < childEvent.time ||
            (rightEvent.time === childEvent.time && rightEvent.seq < childEvent.seq)
          ) {
            child = right;
            childEvent = rightEvent;
          }
        }
        if (last.time < childEvent.time || (last.time === childEvent.time && last.seq < childEvent.seq)) break;
        heap[index] = childEvent;
        index = child;
      }
      heap[index] = last;
    }
    return top;
  }

  /** Events in (time, seq) order, without removing them. O(n log n); for inspection and tests. */
  toSortedArray(): E[] {
    return this.heap.slice().sort((a, b) => a.time - b.time || a.seq - b.seq);
  }
}
