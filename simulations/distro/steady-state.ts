import { defineScenario } from '@dsim/core';

/**
 * Steady state: 12 Nacos clients register on a 3-node cluster, beat every 5 s and read services.
 * Each write goes to the client's owner (hash of its id over the healthy list), is pushed to the
 * other two nodes about 1-1.1 s later, and every 5 s the owners verify their clients everywhere.
 */
export default defineScenario({
  name: 'distro-steady-state',
  description: 'steady registration, beats and reads; every push lands within the sync delay',
  protocol: 'distro',
  nodes: 3,
  seed: 1,
  until: '40s',
  network: { latency: { dist: 'uniform', min: 1_000, max: 5_000 }, fifo: true },
  workload: { name: 'registry', clients: 12, thinkTime: '1s', timeout: '3s', startAt: '1s', options: { services: 3 } },
});
