import { defineScenario } from '@dsim/core';
import { reachInvariants, invariants } from '@dsim/distro';

/**
 * Lost pushes: n3 is cut off for 4 s while clients register, too short for member health to mark
 * it DOWN (it is only SUSPICIOUS, so it keeps its slice and pushes to it fail and are retried).
 * The owners' next verify rounds find n3 missing clients, and each owner pushes them at once.
 */
export default defineScenario({
  name: 'distro-lost-sync-verify',
  description: 'pushes lost while n3 is cut off; verify finds the gaps and the owners repair them',
  protocol: 'distro',
  nodes: 3,
  seed: 1,
  until: '60s',
  network: { latency: { dist: 'uniform', min: 1_000, max: 5_000 }, fifo: true },
  faults: [
    { at: '500ms', fault: { type: 'isolate', node: 'n3' } },
    { at: '4500ms', fault: { type: 'heal' } },
  ],
  workload: { name: 'registry', clients: 12, thinkTime: '1s', timeout: '3s', startAt: '1s', options: { services: 3 } },
  invariants: [...invariants, reachInvariants.verifyRepair],
});
