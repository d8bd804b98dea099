import { defineScenario } from '@dsim/core';
import { reachInvariants, invariants } from '@dsim/distro';

/**
 * The owner of a slice crashes for good. Until member health marks n2 DOWN (round-robin reports
 * every 2 s, re-probes every 5 s, DOWN after more than 3 failures) n2 still owns its clients and
 * writes forwarded to it time out; then responsibility moves, the clients' next beats re-register
 * on the new owners, and n2's clients that also crashed (silentEvery) are expired by them.
 */
export default defineScenario({
  name: 'distro-owner-crash',
  description: 'n2 crashes; its slice moves once member health marks it DOWN; crashed clients expire',
  protocol: 'distro',
  nodes: 5,
  seed: 1,
  until: '120s',
  network: { latency: { dist: 'uniform', min: 1_000, max: 5_000 }, fifo: true },
  faults: [{ at: '20s', fault: { type: 'crash', node: 'n2' } }],
  workload: {
    name: 'registry',
    clients: 20,
    thinkTime: '1s',
    timeout: '3s',
    startAt: '1s',
    options: { services: 4, silentEvery: 4, silentAt: '20s' },
  },
  invariants: [...invariants, reachInvariants.responsibilityChange],
});
