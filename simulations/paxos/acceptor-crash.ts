import { defineScenario } from '@dsim/core';

/**
 * An acceptor crashes between promise and accept. n1 proposes at 10 ms over 2 ms links: n2 and n3
 * promise at 12 ms; n3 crashes at 13 ms, before n1's Accept reaches it. n1 and n2 are still a
 * majority, so v.n1 is chosen. n3 restarts at 500 ms with its promise and acceptance from stable
 * storage (synced before it replied), learns nothing from the past Accepted messages, and asks its
 * peers (WhatIsChosen) until one answers with the chosen value. 'promise-kept' watches that the
 * restarted acceptor keeps its promise.
 */
export default defineScenario({
  name: 'paxos-acceptor-crash',
  description:
    'An acceptor crashes after promising and before accepting; a majority still chooses, and it learns after its restart.',
  protocol: 'paxos',
  nodes: 3,
  seed: 1,
  until: '2s',
  config: { proposers: 1, proposeJitterMicros: 0 },
  network: { latency: '2ms' },
  faults: [
    { at: '13ms', fault: { type: 'crash', node: 'n3' } },
    { at: '500ms', fault: { type: 'restart', node: 'n3' } },
  ],
});
