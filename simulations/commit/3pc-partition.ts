import { terminationProtocolRan } from '@dsim/commit';
import { defineScenario } from '@dsim/core';

/**
 * SPECS §3.3, schedule A: the partition after PRE-COMMIT that splits Skeen's 3PC. Everyone votes
 * YES; c's PRE-COMMIT reaches p1 (10 ms), then the network splits into {c, p1} | {p2, p3} at
 * 10.5 ms, before p2's and p3's copies land. c times out on their ACKs, takes them for crashed and
 * commits; p1 commits. p2 and p3 time out UNCERTAIN, elect p2, find everyone reachable uncertain
 * and abort by TR3. **This scenario is expected to end in an 'atomicity' violation**: a timeout
 * cannot tell "crashed" from "partitioned".
 */
export default defineScenario({
  name: '3pc-partition',
  description: "3PC (Skeen): partition after PRE-COMMIT; one side commits, the other aborts (expected 'atomicity' violation)",
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
    options: { transfers: [{ from: 'p1/a0', to: 'p2/a0', amount: 10, fee: 1, feeTo: 'p3/a0' }] },
  },
  faults: [
    { at: '10500us', fault: { type: 'partition', groups: [['c', 'p1'], ['p2', 'p3']] } },
    { at: '2s', fault: { type: 'heal' } },
  ],
  invariants: ['atomicity', 'validity', 'no-overdraft', 'money-conserved', terminationProtocolRan],
});
