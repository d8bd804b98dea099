import { defineScenario } from '@dsim/core';
import { reachInvariants, invariants } from '@dsim/distro';

/**
 * A node joins with nothing: n3 crashes at 20 s (Distro data is in memory only) and starts again at
 * 45 s. It asks the first UP member for a snapshot and serves only once the snapshot is applied;
 * until then it answers "starting". Meanwhile the others marked it DOWN and took over its slice.
 */
export default defineScenario({
  name: 'distro-node-restart-load',
  description: 'n3 restarts empty, loads the full snapshot from a peer, then serves',
  protocol: 'distro',
  nodes: 3,
  seed: 1,
  until: '120s',
  network: { latency: { dist: 'uniform', min: 1_000, max: 5_000 }, fifo: true },
  faults: [
    { at: '20s', fault: { type: 'crash', node: 'n3' } },
    { at: '45s', fault: { type: 'restart', node: 'n3' } },
  ],
  workload: { name: 'registry', clients: 12, thinkTime: '1s', timeout: '3s', startAt: '1s', options: { services: 3 } },
  invariants: [...invariants, reachInvariants.responsibilityChange],
});
