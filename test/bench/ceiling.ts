/**
 * The ceiling every kernel figure is reported against: a bare JavaScript loop that does what the
 * kernel's loop does and nothing else. It pops the earliest event from a binary min-heap ordered
 * by (time, seq), dispatches on the event's kind (a switch over a few kinds, each touching a small
 * per-node state object), and pushes the events that one causes. No network model, no trace, no
 * invariants, no protocol, no validation: the most events per second this kernel design can reach
 * in this engine, on this machine, at this moment. The machine is shared and its speed varies by
 * ±40% from hour to hour, so a kernel figure means something only as a fraction of this one,
 * timed in the same run.
 *
 * The workload has ping-pong's shape (test/bench/kernel.bench.ts): 16 nodes, each with 8 pings in
 * flight to its right-hand neighbour and a pong for every ping, latencies drawn uniformly from
 * 1–3 ms, so about 128 events wait in the heap; each node also has a periodic timer, re-armed when
 * it fires, so the switch sees three kinds. Events live in typed columns with a heap of slot
 * numbers and a free list, as in the kernel (packages/core/src/kernel/kernel-events.ts), so the two
 * differ by the work around the heap, not by its layout. Latencies come from a xorshift generator,
 * the cheapest seeded source there is.
 *
 *   node --import ./packages/cli/bin/register-typescript.mjs test/bench/ceiling.ts --sample   # one run, as JSON
 */
import { pathToFileURL } from 'node:url';

/** Event kinds of the bare loop. */
export const PING = 0;
export const PONG = 1;
export const TICK = 2;

export const NODES = 16;
export const WINDOW = 8;
export const TICK_MICROS = 10_000;
/** The xorshift32 generator's starting state. */
export const RANDOM_SEED = 0x9e3779b9 | 0;

/** What one timed run of the bare loop measured. */
export interface CeilingSample {
  readonly events: number;
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  /** A checksum of the order events were popped in and of the nodes' final state, so the engine cannot discard the work. */
  readonly checksum: number;
}

/** One node's state: what a protocol's handler reads and writes on every event. */
export interface NodeState {
  sent: number;
  received: number;
  ticks: number;
}

/** Runs the bare loop for `eventCount` events and measures it. */
export function runCeiling(eventCount: number): CeilingSample {
  const cpuStarted = process.cpuUsage();
  const started = performance.now();
  const checksum = bareHeapLoop(eventCount);
  const wallSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  return { events: eventCount, wallSeconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, checksum };
}

/** The loop itself; returns a checksum of the final node states. */
export function bareHeapLoop(eventCount: number): number {
  const capacity = 1024;
  const time = new Float64Array(capacity);
  const seq = new Float64Array(capacity);
  const kind = new Uint8Array(capacity);
  const node = new Int32Array(capacity);
  const from = new Int32Array(capacity);
  const heap = new Int32Array(capacity);
  const free = new Int32Array(capacity);
  let freeCount = 0;
  let used = 0;
  let heapSize = 0;
  let nextSeq = 0;
  let random = RANDOM_SEED;
  let trail = 0;
  const nodes: NodeState[] = [];
  for (let i = 0; i < NODES; i++) nodes.push({ sent: 0, received: 0, ticks: 0 });

  for (let i = 0; i < NODES; i++) {
    const right = (i + 1) % NODES;
    for (let n = 0; n < WINDOW; n++) {
      const slot = used++;
      random = xorshift(random);
      fill(time, kind, node, from, slot, latencyOf(random), PING, right, i);
      seq[slot] = nextSeq++;
      siftUp(heap, time, seq, heapSize++, slot);
    }
    const slot = used++;
    fill(time, kind, node, from, slot, TICK_MICROS, TICK, i, -1);
    seq[slot] = nextSeq++;
    siftUp(heap, time, seq, heapSize++, slot);
    nodes[i]!.sent = WINDOW;
  }

  for (let done = 0; done < eventCount; done++) {
    // Pop the earliest event.
    const top = heap[0]!;
    const last = heap[--heapSize]!;
    if (heapSize > 0) siftDown(heap, time, seq, heapSize, last);

    trail = (Math.imul(trail, 31) + seq[top]!) | 0;

    // Dispatch it: each kind touches its node's state and causes one new event.
    const now = time[top]!;
    const at = node[top]!;
    const state = nodes[at]!;
    let nextTime: number;
    let nextKind: number;
    let nextNode: number;
    let nextFrom: number;
    switch (kind[top]) {
      case PING:
        state.received++;
        random = xorshift(random);
        nextTime = now + latencyOf(random);
        nextKind = PONG;
        nextNode = from[top]!;
        nextFrom = at;
        break;
      case PONG:
        state.received++;
        state.sent++;
        random = xorshift(random);
        nextTime = now + latencyOf(random);
        nextKind = PING;
        nextNode = at + 1 === NODES ? 0 : at + 1;
        nextFrom = at;
        break;
      default:
        state.ticks++;
        nextTime = now + TICK_MICROS;
        nextKind = TICK;
        nextNode = at;
        nextFrom = -1;
        break;
    }
    free[freeCount++] = top;

    // Push what it caused.
    const slot = freeCount > 0 ? free[--freeCount]! : used++;
    fill(time, kind, node, from, slot, nextTime, nextKind, nextNode, nextFrom);
    seq[slot] = nextSeq++;
    siftUp(heap, time, seq, heapSize++, slot);
  }

  return checksumOf(trail, nodes);
}

/**
 * The loop's result: `trail` folds in the sequence number of every popped event, in order, so a
 * heap that misordered anything would give another checksum (test/bench/ceiling.test.ts compares
 * it with a plain queue's).
 */
export function checksumOf(trail: number, nodes: readonly NodeState[]): number {
  let checksum = trail;
  for (const state of nodes)
    checksum = (Math.imul(checksum, 31) + state.sent + state.received * 7 + state.ticks * 13) | 0;
  return checksum;
}

/** One step of a xorshift32 generator. */
export function xorshift(x: number): number {
  x ^= x << 13;
  x ^= x >>> 17;
  return x ^ (x << 5);
}

/** A latency of 1–3 ms in whole microseconds, from a xorshift32 output. */
export function latencyOf(x: number): number {
  return 1_000 + ((x >>> 0) % 2_001);
}

function fill(
  time: Float64Array,
  kind: Uint8Array,
  node: Int32Array,
  from: Int32Array,
  slot: number,
  at: number,
  eventKind: number,
  target: number,
  sender: number,
): void {
  time[slot] = at;
  kind[slot] = eventKind;
  node[slot] = target;
  from[slot] = sender;
}

/** Moves `slot`, placed at `index`, up past every parent that comes after it in (time, seq). */
function siftUp(heap: Int32Array, time: Float64Array, seq: Float64Array, index: number, slot: number): void {
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
}

/** Puts `last` where the popped top was and moves it down past every child that comes before it. */
function siftDown(heap: Int32Array, time: Float64Array, seq: Float64Array, length: number, last: number): void {
  const lastTime = time[last]!;
  const lastSeq = seq[last]!;
  let index = 0;
  for (;;) {
    const left = 2 * index + 1;
    if (left >= length) break;
    let child = left;
    let childSlot = heap[left]!;
    let childTime = time[childSlot]!;
    const right = left + 1;
    if (right < length) {
      const rightSlot = heap[right]!;
      const rightTime = time[rightSlot]!;
      if (rightTime < childTime || (rightTime === childTime && seq[rightSlot]! < seq[childSlot]!)) {
        child = right;
        childSlot = rightSlot;
        childTime = rightTime;
      }
    }
    if (lastTime < childTime || (lastTime === childTime && lastSeq < seq[childSlot]!)) break;
    heap[index] = childSlot;
    index = child;
  }
  heap[index] = last;
}

/** Events per timed run: about what the kernel benchmark's runs take, well past the loop's warm-up. */
export const CEILING_EVENTS = 5_000_000;

/** Best of `repeat` runs in this process, after a warm-up run: for in-process kernel figures. */
export function bestCeiling(repeat: number, eventCount = CEILING_EVENTS): CeilingSample {
  bareHeapLoop(100_000);
  let best: CeilingSample | undefined;
  for (let i = 0; i < repeat; i++) {
    const sample = runCeiling(eventCount);
    if (!best || sample.wallSeconds < best.wallSeconds) best = sample;
  }
  return best!;
}

/** Events per wall second and per CPU second of a sample. */
export function ceilingRates(sample: CeilingSample): { perSecond: number; perCpuSecond: number } {
  return {
    perSecond: Math.round(sample.events / sample.wallSeconds),
    perCpuSecond: Math.round(sample.events / sample.cpuSeconds),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // A fresh process, no warm-up: measured the way the Raft hour is, which pays its own too.
  if (process.argv.includes('--sample')) console.log(JSON.stringify(runCeiling(CEILING_EVENTS)));
  else {
    const sample = bestCeiling(3);
    console.log(`bare heap loop: ${ceilingRates(sample).perSecond.toLocaleString('en-US')} events/s (best of 3)`);
  }
}
