import { defineScenario } from '@dsim/core';

/**
 * The headline demo: five nodes beat to each other every 5 s. n4 stalls in a 20 s GC pause, n5's
 * clock jumps 20 s forward, n2's clock runs 5% slow, and n3 really crashes. Watch who suspects whom:
 * two of the suspicions are false (n4 was alive, n5's own clock lied), and the detector still
 * settles once the faults are over.
 */
export default defineScenario({
  name: 'clock-skew',
  description: 'false suspicions from a GC pause and a clock jump, beside a real crash',
  protocol: 'heartbeat',
  nodes: 5,
  seed: 7,
  until: '150s',
  network: { latency: { dist: 'lognormal', median: '2ms', sigma: 0.5 } },
  clocks: { n2: { driftPpm: -50_000 } },
  faults: [
    { at: '12s', fault: { type: 'pause', node: 'n4' } },
    { at: '32s', fault: { type: 'resume', node: 'n4' } },
    { at: '40s', fault: { type: 'clockJump', node: 'n5', delta: '20s' } },
    { at: '50s', fault: { type: 'crash', node: 'n3' } },
    { at: '95s', fault: { type: 'restart', node: 'n3' } },
  ],
  workload: { name: 'probe', clients: 2, thinkTime: '2s', timeout: '500ms' },
  invariants: ['detects-crash-in-time', 'all-healthy-after-heal', 'false-suspicion'],
});
