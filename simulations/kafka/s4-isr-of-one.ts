import { defineScenario } from '@dsim/core';
import { isrShrank, uncleanElectionHappened } from '@dsim/kafka';
import { ALL_SAFETY, fastTimeouts, scriptedNetwork } from '@dsim/kafka';

/**
 * S4, ISR = {leader} with acks=all (KAFKA.md §6; Jepsen 2013). RF 3, min ISR 1, unclean election
 * on, acks=all; lag time and session 3 s. (1) At 1 s followers b2, b3 are cut from leader b1 but
 * still reach the controller (c bridges the two sides). (2) After the lag time b1 shrinks the ISR
 * to {b1}, and its acks=all writes are acknowledged by b1 alone. (3) At 8 s b1 is cut from the
 * controller (the producer stays with b1); its session expires and b2 is elected uncleanly. (4) At
 * 13 s everything heals and b1 truncates: every write acknowledged in (2) and (3) is lost
 * ('no-acked-write-lost'). `fixedBy` (unclean off): the partition goes offline instead and b1, the
 * only complete replica, leads again after the heal: no loss. `alsoFixedBy` (min ISR 2): the
 * writes in (2) are refused with NOT_ENOUGH_REPLICAS, and b2 (an eligible leader replica, its
 * data complete because the HW froze) is elected cleanly.
 */
export default defineScenario({
  name: 'kafka-s4-isr-of-one',
  description: 'ISR of one with acks=all and unclean election: acknowledged writes are lost',
  protocol: 'kafka',
  nodes: ['c', 'b1', 'b2', 'b3', 'p1'],
  seed: 1,
  until: '20s',
  network: scriptedNetwork,
  config: {
    ...fastTimeouts,
    replicaLagTimeMaxMs: 3000,
    minInsyncReplicas: 1,
    uncleanLeaderElection: true,
    producerRecords: 30,
    producerIntervalMs: 500,
  },
  faults: [
    {
      at: '1s',
      fault: {
        type: 'bridge',
        bridge: 'c',
        groups: [
          ['b1', 'p1'],
          ['b2', 'b3'],
        ],
      },
    },
    {
      at: '8s',
      fault: {
        type: 'partition',
        groups: [
          ['b1', 'p1'],
          ['b2', 'b3', 'c'],
        ],
      },
    },
    { at: '13s', fault: { type: 'heal' } },
  ],
  invariants: [...ALL_SAFETY, isrShrank, uncleanElectionHappened],
  stopOnViolation: false,
});

export const fixedBy = { uncleanLeaderElection: false } as const;
export const alsoFixedBy = { minInsyncReplicas: 2 } as const;
