import type { Micros } from '../time/time.ts';
import { grown } from './typed-columns.ts';

/**
 * The kernel's pending events, stored as columns rather than one object per event, in binary
 * min-heaps of slot numbers ordered by (time, seq).
 *
 * Why columns: a run queues an event for nearly every message, timer and client step (five million
 * in an hour of a busy Raft cluster). As objects, each would be a ~50-byte allocation plus a boxed
 * number for its time (times pass 2^30 µs, the small-integer range, after 18 simulated minutes),
 * and a third of the run's garbage. Here a finished event's slot goes back on a free list and is
 * reused, times and sequence numbers live unboxed in Float64Arrays, and the heap moves 32-bit slot
 * numbers. Only the two payload columns hold references, and a freed slot lets go of them.
 *
 * Ordering is the same contract as EventQueue (which the tests use as the reference): the earliest
 * time first, and among equal times the lowest `seq`. `seq` comes from one counter, taken when an
 * event is scheduled or reserved ahead (`reserveSeq`), so the order never depends on the heap's
 * layout or on which slot an event happens to occupy.
 *
 * Lanes: events scheduled a fixed delay after "now" (client timeouts, a client's think time) come
 * due in the order they were scheduled, so they need no heap: each such kind gets a FIFO lane, and
 * the next event is the earliest of the heap's top and the lanes' heads. Most client timeouts are
 * never needed (the answer comes first), yet each waits its full second: out of the heap, they do
 * not make every heap operation walk a level or two deeper. An event that would break its
 * lane's order goes to the heap instead, so a lane is only ever a shortcut, never a different order.
 *
 * Two heaps: carried timers (`scheduleAside`) wait in a heap of their own. A timer waits long (an
 * election timeout is a hundred times a message's latency), and one re-armed earlier leaves its old
 * carrier behind until that comes up, so in the Raft hour they are two thirds of the waiting
 * events; beside the messages they would make every message's insert and pop walk one or two
 * levels deeper. Like a lane, the second heap only decides where an event waits, never its order.
 */
export class KernelEvents {
  /** When the event happens (global time), and its place among events at that time. */
  time = new Float64Array(64);
  seq = new Float64Array(64);
  /** The kernel's event kind. */
  kind = new Uint8Array(64);
  /** The node it happens at (an index), or -1. */
  node = new Int32Array(64);
  /** Messages: the sender's index. */
  from = new Int32Array(64);
  /** Messages: the message id. Timers: the carrier token. */
  id = new Float64Array(64);
  /** Messages: 1 for a duplicate copy. */
  dup = new Uint8Array(64);
  /** Kind-specific payloads (a message, a timer name, a request...). */
  a: unknown[] = new Array<unknown>(64).fill(undefined);
  b: unknown[] = new Array<unknown>(64).fill(undefined);

  /** Slots never used yet start at `used`; freed ones wait on the free stack. */
  private used = 0;
  private free = new Int32Array(64);
  private freeCount = 0;
  private heap = new Int32Array(64);
  private heapSize = 0;
  private nextSeq = 0;
  /** FIFO lanes: ring buffers of slots, each with its head position and length. */
  private readonly lanes: Int32Array[];
  private readonly laneHead: Int32Array;
  private readonly laneSize: Int32Array;
  /**
   * The second heap, for events that wait long and are re-queued or abandoned often (carried
   * timers, see timers.ts): most of the time they outnumber the messages in flight, and kept apart
   * they do not make every message's insert and pop walk a level or two deeper.
   */
  private aside = new Int32Array(64);
  private asideSize = 0;
  /** Where `peek` found the earliest event: MAIN_HEAP, ASIDE_HEAP or a lane number. */
  private source = MAIN_HEAP;
  /**
   * The earliest event outside the main heap (-1 when there is none), among the lanes' heads and
   * the second heap's top, and where it is. It changes only when a lane is popped, an empty lane
   * gets an event, or the second heap's top changes, so `peek` compares the main heap's top with
   * this one slot instead of visiting every lane and heap for every event.
   */
  private besideFirst = -1;
  private besideSource = MAIN_HEAP;

  /** `lanes`: how many FIFO lanes `scheduleInLane` may use (numbered from 0). */
  constructor(lanes = 0) {
    this.lanes = Array.from({ length: lanes }, () => new Int32Array(64));
    this.laneHead = new Int32Array(lanes);
    this.laneSize = new Int32Array(lanes);
  }

  /** Events waiting to be popped. */
  get size(): number {
    let size = this.heapSize + this.asideSize;
    for (let lane = 0; lane < this.lanes.length; lane++) size += this.laneSize[lane]!;
    return size;
  }

  /** A slot filled with an event, not yet in the heap (see `schedule`). */
  create(
    time: Micros,
    kind: number,
    node: number,
    a: unknown,
    b: unknown,
    from: number,
    id: number,
    dup: boolean,
  ): number {
    let slot: number;
    if (this.freeCount > 0) slot = this.free[--this.freeCount]!;
    else {
      slot = this.used++;
      if (slot === this.time.length) this.grow();
    }
    this.time[slot] = time;
    this.kind[slot] = kind;
    this.node[slot] = node;
    this.a[slot] = a;
    this.b[slot] = b;
    this.from[slot] = from;
    this.id[slot] = id;
    this.dup[slot] = dup ? 1 : 0;
    return slot;
  }

  /** Gives the slot the next sequence number and puts it in the heap. */
  schedule(slot: number): void {
    this.seq[slot] = this.nextSeq++;
    this.insert(slot);
  }

  /**
   * Takes the next sequence number without scheduling anything yet: a slot given it later (with
   * `scheduleReserved`) leaves in the same place among equal times as if it had been scheduled now.
   */
  reserveSeq(): number {
    return this.nextSeq++;
  }

  /**
   * Gives the slot the next sequence number and queues it in a FIFO lane, behind the lane's last
   * event; or in the heap, if its time is earlier than that event's (the lane would misorder it).
   */
  scheduleInLane(slot: number, lane: number): void {
    this.seq[slot] = this.nextSeq++;
    const size = this.laneSize[lane]!;
    let ring = this.lanes[lane]!;
    if (size > 0 && this.time[slot]! < this.time[ring[(this.laneHead[lane]! + size - 1) & (ring.length - 1)]!]!) {
      this.insert(slot);
      return;
    }
    if (size === ring.length) ring = this.growLane(lane);
    ring[(this.laneHead[lane]! + size) & (ring.length - 1)] = slot;
    this.laneSize[lane] = size + 1;
    if (size === 0) this.findBesideFirst();
  }

  /** Puts a slot in the heap with a sequence number taken earlier from `reserveSeq`. */
  scheduleReserved(slot: number, seq: number): void {
    this.seq[slot] = seq;
    this.insert(slot);
  }

  /**
   * Puts a slot in the second heap with a sequence number taken earlier from `reserveSeq`. It
   * leaves in the same (time, seq) order as from the main heap; the second heap only keeps events
   * that wait long (carried timers) out of the messages' way.
   */
  scheduleAside(slot: number, seq: number): void {
    this.seq[slot] = seq;
    if (this.asideSize === this.aside.length) this.aside = grown(this.aside, this.aside.length * 2);
    if (siftUp(this.aside, this.asideSize++, slot, this.time, this.seq) !== 0) return;
    // The slot is the second heap's new top: the earliest outside the main heap, unless a lane's head is earlier.
    const first = this.besideFirst;
    if (first < 0 || earlier(slot, first, this.time, this.seq)) {
      this.besideFirst = slot;
      this.besideSource = ASIDE_HEAP;
    }
  }

  /** The earliest slot, or -1 when nothing is queued. */
  peek(): number {
    const top = this.heapSize > 0 ? this.heap[0]! : -1;
    const head = this.besideFirst;
    if (head >= 0 && (top < 0 || earlier(head, top, this.time, this.seq))) {
      this.source = this.besideSource;
      return head;
    }
    this.source = MAIN_HEAP;
    return top;
  }

  /** Finds the earliest event outside the main heap again, after a lane's head or the second heap's top changed. */
  private findBesideFirst(): void {
    let best = this.asideSize > 0 ? this.aside[0]! : -1;
    let bestLane = best < 0 ? MAIN_HEAP : ASIDE_HEAP;
    const lanes = this.lanes;
    for (let lane = 0; lane < lanes.length; lane++) {
      if (this.laneSize[lane] === 0) continue;
      const head = lanes[lane]![this.laneHead[lane]!]!;
      if (best < 0 || earlier(head, best, this.time, this.seq)) {
        best = head;
        bestLane = lane;
      }
    }
    this.besideFirst = best;
    this.besideSource = bestLane;
  }

  /** Takes the earliest slot out (-1 when nothing is queued). The slot stays filled until `release`. */
  pop(): number {
    const slot = this.peek();
    if (slot >= 0) this.takePeeked();
    return slot;
  }

  /** Takes out the slot the last `peek` returned, which must not be -1; nothing may be queued in between. */
  takePeeked(): void {
    const lane = this.source;
    if (lane === MAIN_HEAP) {
      this.popHeap();
      return;
    }
    if (lane === ASIDE_HEAP) {
      removeTop(this.aside, --this.asideSize, this.time, this.seq);
    } else {
      const ring = this.lanes[lane]!;
      this.laneHead[lane] = (this.laneHead[lane]! + 1) & (ring.length - 1);
      this.laneSize[lane]!--;
    }
    this.findBesideFirst();
  }

  /** Removes the main heap's top. */
  private popHeap(): void {
    removeTop(this.heap, --this.heapSize, this.time, this.seq);
  }

  /** Returns a slot that is out of the heap for reuse, letting go of its payloads. */
  release(slot: number): void {
    this.a[slot] = undefined;
    this.b[slot] = undefined;
    if (this.freeCount === this.free.length) this.free = grown(this.free, this.free.length * 2);
    this.free[this.freeCount++] = slot;
  }

  private insert(slot: number): void {
    if (this.heapSize === this.heap.length) this.heap = grown(this.heap, this.heap.length * 2);
    siftUp(this.heap, this.heapSize++, slot, this.time, this.seq);
  }

  /** Doubles a full lane's ring, its events kept in order from the start. */
  private growLane(lane: number): Int32Array {
    const ring = this.lanes[lane]!;
    const bigger = new Int32Array(ring.length * 2);
    const head = this.laneHead[lane]!;
    for (let i = 0; i < ring.length; i++) bigger[i] = ring[(head + i) & (ring.length - 1)]!;
    this.lanes[lane] = bigger;
    this.laneHead[lane] = 0;
    return bigger;
  }

  private grow(): void {
    const capacity = this.time.length * 2;
    this.time = grown(this.time, capacity);
    this.seq = grown(this.seq, capacity);
    this.kind = grown(this.kind, capacity);
    this.node = grown(this.node, capacity);
    this.from = grown(this.from, capacity);
    this.id = grown(this.id, capacity);
    this.dup = grown(this.dup, capacity);
    for (let i = this.a.length; i < capacity; i++) {
      this.a.push(undefined);
      this.b.push(undefined);
    }
  }
}

/** `source` of an event found at the main heap's top, or the second heap's. */
const MAIN_HEAP = -1;
const ASIDE_HEAP = -2;

/** Whether slot `x` comes before slot `y`: an earlier time, or the same time and a lower seq. */
function earlier(x: number, y: number, time: Float64Array, seq: Float64Array): boolean {
  return time[x]! < time[y]! || (time[x] === time[y] && seq[x]! < seq[y]!);
}

/**
 * Puts `slot` in the heap at the hole `index` (the heap's last position) and lets it rise to
 * where it belongs; returns where it ends.
 */
function siftUp(heap: Int32Array, index: number, slot: number, time: Float64Array, seq: Float64Array): number {
  const slotTime = time[slot]!;
  const slotSeq = seq[slot]!;
  while (index > 0) {
    const parentIndex = (index - 1) >> 1;
    const parent = heap[parentIndex]!;
    const parentTime = time[parent]!;
    if (parentTime < slotTime || (parentTime === slotTime && seq[parent]! < slotSeq)) break;
    heap[index] = parent;
    index = parentIndex;
  }
  heap[index] = slot;
  return index;
}

/**
 * Removes a heap's top; `length` is its size after the removal. Bottom-up (Wegener): the hole
 * left at the top walks down to a leaf along the earlier child, one comparison per level, and the
 * heap's last slot then rises from that leaf. The last slot is usually among the latest events,
 * so it rarely rises far, where the textbook sift-down compares it with a child at every level as
 * well. Pops leave in the same order either way: (time, seq) is a total order.
 */
function removeTop(heap: Int32Array, length: number, time: Float64Array, seq: Float64Array): void {
  if (length === 0) return;
  const last = heap[length]!;
  let index = 0;
  for (;;) {
    let child = 2 * index + 1;
    if (child >= length) break;
    if (child + 1 < length) {
      const leftSlot = heap[child]!;
      const rightSlot = heap[child + 1]!;
      const leftTime = time[leftSlot]!;
      const rightTime = time[rightSlot]!;
      // Which child is earlier is a coin toss the processor cannot predict: computed as a
      // number, not branched on.
      child += +(rightTime < leftTime) | (+(rightTime === leftTime) & +(seq[rightSlot]! < seq[leftSlot]!));
    }
    heap[index] = heap[child]!;
    index = child;
  }
  siftUp(heap, index, last, time, seq);
}
