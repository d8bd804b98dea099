/**
 * Runs ~10 million ping-pong events with tracing off and reports the heap, in its own process so
 * that garbage from other benchmarks is not counted. Needs --expose-gc. Prints one JSON line.
 * Sampling is bench-only code wrapped around the protocol; protocols proper never read the process.
 */
import { defineProtocol, runScenario } from '@dsim/core';
import { pingpong, type PingPongConfig, type PingPongMessage, type PingPongState } from '@dsim/pingpong';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
let peakUsed = 0;
let peakLive = 0;
let deliveries = 0;
const sampling = defineProtocol<PingPongState, PingPongMessage, { f: string }, unknown, PingPongConfig>({
  ...pingpong,
  name: 'pingpong-heap',
  onMessage(state, from, msg, ctx) {
    if (++deliveries % 1_000_000 === 0) {
      peakUsed = Math.max(peakUsed, process.memoryUsage().heapUsed);
      gc();
      peakLive = Math.max(peakLive, process.memoryUsage().heapUsed);
    }
    pingpong.onMessage(state, from, msg, ctx as Parameters<typeof pingpong.onMessage>[3]);
  },
});
const started = performance.now();
const result = runScenario(
  {
    name: 'heap',
    protocol: sampling,
    nodes: 16,
    until: '170s',
    config: { window: 8 },
    network: { latency: { dist: 'uniform', min: '1ms', max: '3ms' } },
  },
  {},
  { trace: 'off', stateMode: 'mutable' },
);
console.log(
  JSON.stringify({
    events: result.stats.events,
    peakUsedMB: peakUsed / 1e6,
    peakLiveMB: peakLive / 1e6,
    millis: performance.now() - started,
  }),
);
