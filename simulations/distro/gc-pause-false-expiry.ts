import { defineScenario } from '@dsim/core';
import { reachInvariants, invariants } from '@dsim/distro';

/**
 * A 35 s GC pause on n1: nothing runs, beats forwarded to it wait in its queue. Meanwhile the
 * others mark n1 DOWN and take over its clients. When n1 resumes, its overdue beat check runs and
 * its stale view lets it expire clients that were beating all along (expired-while-beating); the
 * others repair n1 when views agree again and it converges.
 */
export default defineScenario({
  name: 'distro-gc-pause-false-expiry',
  description: 'a 35 s pause makes the paused owner expire alive clients on resume',
  protocol: 'distro',
  nodes: 3,
  seed: 1,
  until: '300s',
  network: { latency: { dist: 'uniform', min: 1_000, max: 5_000 }, fifo: true },
  faults: [
    { at: '20s', fault: { type: 'pause', node: 'n1' } },
    { at: '55s', fault: { type: 'resume', node: 'n1' } },
  ],
  workload: { name: 'registry', clients: 12, thinkTime: '1s', timeout: '3s', startAt: '1s', options: { services: 3 } },
  invariants: [...invariants, reachInvariants.expiredWhileBeating],
});
