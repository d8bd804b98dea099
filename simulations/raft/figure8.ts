import { defineScenario, type Scenario } from '@dsim/core';

/**
 * Raft paper Figure 8 (SPECS.md §5.2), scripted. Five servers; n1..n5 play S1..S5.
 *
 * Fixed election timeouts decide who campaigns first, one entry per AppendEntries makes the
 * leader replicate an old entry before its own term's entry, and slow one-way links stretch the
 * two moments the figure needs into windows wide enough to hit with a fault:
 *   (a) n1 leads; a partition keeps its client's entry X (index 2) on n1 and n2 only.
 *   (b) n5 times out first in the majority side and wins with n3 and n4, appending its no-op
 *       at index 2 in a later term; it is cut off and crashes before that no-op reaches anyone
 *       (n5→n3/n4 is slow, and a message in flight is dropped when a partition forms).
 *   (c) The partition changes to [n1 n2 n3] | [n4 n5]; n1 wins the next term and brings n3 up to
 *       date one entry at a time: X reaches a majority (n1 n2 n3) before n1's own no-op does
 *       (n1→n3 is slow). n1 crashes in between.
 *   (d) n5 restarts, the network heals, and n5 (last term higher than X's) wins with n3 and n4
 *       and overwrites index 2 everywhere.
 * With the commit rule, X was never committed, so nothing breaks. With the bug switch
 * `commitPriorTermByCount` (figure8-bug.ts), n1 commits and applies X in (c), and n5 later
 * applies its no-op at index 2: State Machine Safety is violated.
 */
export const figure8Base = {
  protocol: 'raft',
  nodes: 5,
  seed: 8,
  until: '8s',
  config: {
    preVote: false,
    checkQuorum: false,
    maxEntriesPerMessage: 1,
    snapshotThresholdEntries: 0,
    nodeElectionTimeoutMicros: { n1: 200_000, n2: 5_000_000, n3: 5_000_000, n4: 5_000_000, n5: 400_000 },
  },
  network: {
    latency: '5ms',
    links: [
      { from: 'n5', to: 'n3', latency: '150ms', bothWays: false },
      { from: 'n5', to: 'n4', latency: '150ms', bothWays: false },
      { from: 'n1', to: 'n3', latency: '100ms', bothWays: false },
    ],
  },
  // One client writes through n1 only, once: the entry X of the figure.
  workload: {
    name: 'kv',
    clients: 1,
    startAt: '1.1s',
    opsPerClient: 1,
    timeout: '5s',
    options: { pin: { c1: 'n1' }, mix: { get: 0, put: 1, append: 0, cas: 0 } },
  },
  faults: [
    {
      at: '1s',
      fault: {
        type: 'partition',
        groups: [
          ['n1', 'n2'],
          ['n3', 'n4', 'n5'],
        ],
      },
    },
    // n5 has just won term 2 (at 1.52s); its no-op is still on the slow links to n3 and n4.
    // Cutting n5 off now drops it on arrival, and n5 crashes with the entry only in its own log.
    { at: '1.6s', fault: { type: 'partition', groups: [['n1', 'n2'], ['n3', 'n4'], ['n5']] } },
    { at: '1.75s', fault: { type: 'crash', node: 'n5' } },
    {
      at: '2s',
      fault: {
        type: 'partition',
        groups: [
          ['n1', 'n2', 'n3'],
          ['n4', 'n5'],
        ],
      },
    },
    // n1 leads term 3 (2.42s); X reaches n3 at 2.62s, n1 hears back at 2.625s; n1's own no-op
    // would reach n3 at 2.725s. Crash n1 in between: X sits on a majority, the no-op does not.
    // The no-op already in flight to n3 is dropped on arrival once n1 is cut off.
    { at: '2.68s', fault: { type: 'partition', groups: [['n1'], ['n2', 'n3'], ['n4', 'n5']] } },
    { at: '2.69s', fault: { type: 'crash', node: 'n1' } },
    { at: '3s', fault: { type: 'restart', node: 'n5' } },
    { at: '3s', fault: { type: 'heal' } },
  ],
} satisfies Omit<Scenario, 'name'>;

export default defineScenario({
  name: 'raft-figure8',
  description:
    'Raft Figure 8 with the current-term commit rule: the old entry counted on a majority is not committed, so overwriting it is safe.',
  ...figure8Base,
  invariants: [
    'election-safety',
    'leader-append-only',
    'log-matching',
    'leader-completeness',
    'state-machine-safety',
    'linearizable-kv',
  ],
});
