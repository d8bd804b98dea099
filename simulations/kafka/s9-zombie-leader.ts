import { defineScenario } from '@dsim/core';
import { writeAcknowledged } from '@dsim/kafka';
import { ALL_SAFETY, fastTimeouts, scriptedNetwork } from '@dsim/kafka';

/**
 * S9, a zombie leader with acks=1 (KAFKA.md §6, claim 1; §2.9). RF 3, sessions 3 s, a record
 * every 200 ms. (1) At 2 s leader b1 is cut from the controller and the followers, but not from
 * the producer. (2) Its session expires and b2 is elected. (3) b1 keeps acknowledging acks=1
 * writes until it learns the new epoch. (4) At 7 s everything heals and b1 truncates them
 * ('no-acked-write-lost'). `fixedBy` (acks=all): b1 cannot advance its HW (its followers are gone
 * and its ISR shrink never reaches the controller), so those writes time out and are retried at b2.
 */
export default defineScenario({
  name: 'kafka-s9-zombie-leader',
  description: 'A zombie leader keeps acknowledging acks=1 writes after a new leader is elected; they are lost',
  protocol: 'kafka',
  nodes: ['c', 'b1', 'b2', 'b3', 'p1'],
  seed: 1,
  until: '12s',
  network: scriptedNetwork,
  config: {
    ...fastTimeouts,
    acks: '1',
    enableIdempotence: false,
    producerRecords: 40,
    producerIntervalMs: 200,
  },
  faults: [
    { at: '2s', fault: { type: 'partition', groups: [['b1', 'p1']] } },
    { at: '7s', fault: { type: 'heal' } },
  ],
  invariants: [...ALL_SAFETY, writeAcknowledged],
  stopOnViolation: false,
});

export const fixedBy = { acks: 'all', enableIdempotence: true } as const;
