import { defineScenario } from '@dsim/core';

/**
 * Clock skew causing false expiry: n1's clock jumps 40 s ahead. The owner times silence on its own
 * clock, as Nacos does, so at its next beat check every client n1 owns looks silent for 40 s and is
 * deleted and the delete pushed, although every client is alive and beating
 * (alive-client-not-expired). Their next beats re-register them. Run with --expect-violation.
 */
export default defineScenario({
  name: 'distro-clock-jump-false-expiry',
  description: 'a 40 s forward clock jump on an owner expires alive clients',
  protocol: 'distro',
  nodes: 3,
  seed: 1,
  until: '60s',
  network: { latency: { dist: 'uniform', min: 1_000, max: 5_000 }, fifo: true },
  faults: [{ at: '20s', fault: { type: 'clockJump', node: 'n1', delta: '40s' } }],
  workload: { name: 'registry', clients: 12, thinkTime: '1s', timeout: '3s', startAt: '1s', options: { services: 3 } },
  invariants: ['alive-client-not-expired'],
});
