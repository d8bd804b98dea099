import { defineScenario } from '@dsim/core';
import { reachInvariants, invariants } from '@dsim/distro';

/**
 * Stale registration through a split member view, the class of bug reported against Nacos (a
 * deregistered instance that comes back, alibaba/nacos #5169 and its kin). Found by the
 * distro/aggressive family (seed 71, 3 nodes). GC pauses on n2 and n3 and a crash of n1 leave the
 * nodes with different healthy lists at the heal. c44 deregisters through its owner n3, which
 * pushes the delete; n2, just resumed and still believing it owns c44, runs its overdue beat check,
 * marks c44 unhealthy and pushes its copy; on n1 that push lands after the delete and c44 is back
 * (last push wins; no revision is compared). No owner verifies c44 any more, so the copy stays
 * until the 3-minute collection of unrenewed copies, and convergence waits for it.
 */
export default defineScenario({
  name: 'distro-split-view-resurrection',
  description: 'a deregistered client is resurrected by a stale owner push while member views disagree',
  protocol: 'distro',
  nodes: 3,
  seed: 71,
  until: '300s',
  network: { latency: { dist: 'uniform', min: 1_000, max: 10_000 }, fifo: true },
  faults: [
    { at: 17_396_000, fault: { type: 'pause', node: 'n2' } },
    { at: 26_111_000, fault: { type: 'crash', node: 'n1' } },
    { at: 33_833_000, fault: { type: 'resume', node: 'n2' } },
    { at: 39_569_000, fault: { type: 'pause', node: 'n3' } },
    { at: 52_355_000, fault: { type: 'pause', node: 'n2' } },
    { at: 59_259_000, fault: { type: 'loss', probability: 0.3 } },
    { at: '60s', fault: { type: 'restart', node: 'n1' } },
    { at: '60s', fault: { type: 'resume', node: 'n3' } },
    { at: '60s', fault: { type: 'resume', node: 'n2' } },
    { at: '60s', fault: { type: 'heal' } },
  ],
  workload: {
    name: 'registry',
    clients: 50,
    thinkTime: '1s',
    timeout: '3s',
    startAt: '1s',
    options: {
      services: 5,
      persistentEvery: 10,
      deregisterEvery: 7,
      deregisterAt: '40s',
      silentEvery: 11,
      silentAt: '30s',
    },
  },
  invariants: [...invariants, reachInvariants.resurrectionDuringSplitView],
});
