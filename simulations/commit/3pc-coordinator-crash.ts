import { backupDecided, terminationProtocolRan } from '@dsim/commit';
import { defineScenario } from '@dsim/core';

/**
 * The same crash as 2pc-coordinator-crash, under Skeen's 3PC: c dies at 8 ms after every
 * participant voted YES but before any PRE-COMMIT. The participants time out, poll each other,
 * elect p1 (the lowest operational id) as backup, and p1 finds everyone UNCERTAIN: TR3, abort.
 * Nobody blocks: the locks are free about 130 ms after the crash, not 3 s.
 */
export default defineScenario({
  name: '3pc-coordinator-crash',
  description: "3PC (Skeen): the same coordinator crash; the termination protocol aborts by TR3, nobody blocks",
  protocol: '3pc',
  nodes: ['c', 'p1', 'p2', 'p3'],
  seed: 1,
  until: '5s',
  config: { variant: 'skeen' },
  network: { latency: '2ms', clientLatency: '2ms' },
  workload: {
    name: 'scripted',
    clients: 1,
    timeout: '1s',
    options: {
      transfers: [
        { from: 'p1/a0', to: 'p2/a0', amount: 10, fee: 1, feeTo: 'p3/a0' },
        { from: 'p2/a1', to: 'p3/a1', amount: 5, fee: 1, feeTo: 'p1/a1' },
        { from: 'p3/a2', to: 'p1/a2', amount: 7, fee: 1, feeTo: 'p2/a2' },
        { from: 'p1/a0', to: 'p2/a0', amount: 20, fee: 1, feeTo: 'p3/a0' },
      ],
    },
  },
  faults: [
    { at: '8ms', fault: { type: 'crash', node: 'c' } },
    { at: '3s', fault: { type: 'restart', node: 'c' } },
  ],
  invariants: ['atomicity', 'validity', 'no-overdraft', 'money-conserved', 'resolved-after-heal', terminationProtocolRan, backupDecided],
});
