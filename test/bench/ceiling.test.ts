import { describe, expect, it } from 'vitest';
import {
  bareHeapLoop,
  checksumOf,
  latencyOf,
  NODES,
  PING,
  PONG,
  RANDOM_SEED,
  TICK,
  TICK_MICROS,
  WINDOW,
  xorshift,
  type NodeState,
} from './ceiling.ts';

/**
 * The benchmarks' ceiling (test/bench/ceiling.ts) is only a ceiling if it does the work it claims:
 * pop events in (time, seq) order and dispatch every one. This plain twin runs the same workload
 * on a queue that finds the earliest event by scanning all of them, and must pop the same events
 * in the same order and leave the nodes in the same state.
 */
function plainQueueLoop(eventCount: number): number {
  interface PendingEvent {
    time: number;
    seq: number;
    kind: number;
    node: number;
    from: number;
  }
  const queue: PendingEvent[] = [];
  let nextSeq = 0;
  let random = RANDOM_SEED;
  let trail = 0;
  const nodes: NodeState[] = Array.from({ length: NODES }, () => ({ sent: 0, received: 0, ticks: 0 }));
  const push = (time: number, kind: number, node: number, from: number) =>
    queue.push({ time, seq: nextSeq++, kind, node, from });
  const nextLatency = () => {
    random = xorshift(random);
    return latencyOf(random);
  };

  for (let i = 0; i < NODES; i++) {
    for (let n = 0; n < WINDOW; n++) push(nextLatency(), PING, (i + 1) % NODES, i);
    push(TICK_MICROS, TICK, i, -1);
    nodes[i]!.sent = WINDOW;
  }
  for (let done = 0; done < eventCount; done++) {
    let earliest = 0;
    for (let i = 1; i < queue.length; i++) {
      const a = queue[i]!;
      const b = queue[earliest]!;
      if (a.time < b.time || (a.time === b.time && a.seq < b.seq)) earliest = i;
    }
    const event = queue.splice(earliest, 1)[0]!;
    trail = (Math.imul(trail, 31) + event.seq) | 0;
    const state = nodes[event.node]!;
    if (event.kind === PING) {
      state.received++;
      push(event.time + nextLatency(), PONG, event.from, event.node);
    } else if (event.kind === PONG) {
      state.received++;
      state.sent++;
      push(event.time + nextLatency(), PING, (event.node + 1) % NODES, event.node);
    } else {
      state.ticks++;
      push(event.time + TICK_MICROS, TICK, event.node, -1);
    }
  }
  return checksumOf(trail, nodes);
}

describe('the bare heap loop the benchmarks measure against', () => {
  it.each([0, 1, 200, 5_000, 60_000])(
    'pops the same %i events in the same order as a plain scanning queue',
    (eventCount) => {
      expect(bareHeapLoop(eventCount)).toBe(plainQueueLoop(eventCount));
    },
  );

  it('draws latencies of 1 to 3 ms', () => {
    let random = RANDOM_SEED;
    const latencies = Array.from({ length: 10_000 }, () => latencyOf((random = xorshift(random))));
    expect(Math.min(...latencies)).toBe(1_000);
    expect(Math.max(...latencies)).toBe(3_000);
  });
});
