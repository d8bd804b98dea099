import { defineScenario } from '@dsim/core';
import { writeAcknowledged } from '@dsim/kafka';
import { ALL_SAFETY, fastTimeouts, scriptedNetwork } from '@dsim/kafka';

/**
 * S7, an acks=all duplicate without idempotence (KAFKA.md §6, claim 2). RF 3, min ISR 2, retries
 * on, request timeout 1 s, sessions 3 s. (1) Leader b1 appends r (sent at 1 s) at offset 1; both
 * followers fetch it; the HW covers it and a success reply is sent. (2) A one-way cut from b1 to
 * the producer (900 ms) drops the reply, and b1 crashes at 1.2 s. (3) The producer times out,
 * refreshes metadata (leader b2, same log) and retries. (4) b2 appends r again: r at offsets 1
 * and 2 ('no-duplicates'). `fixedBy` (idempotence): b2's producer state, rebuilt from the log it
 * replicated, recognises (producer id, sequence 1) and answers success with offset 1; the log is
 * unchanged.
 */
export default defineScenario({
  name: 'kafka-s7-duplicate-without-idempotence',
  description: 'acks=all without idempotence: a retried batch whose reply was lost is logged twice',
  protocol: 'kafka',
  nodes: ['c', 'b1', 'b2', 'b3', 'p1'],
  seed: 1,
  until: '10s',
  network: scriptedNetwork,
  config: {
    ...fastTimeouts,
    minInsyncReplicas: 2,
    enableIdempotence: false,
    producerScheduleMs: [500, 1000],
  },
  faults: [
    { at: '900ms', fault: { type: 'cut', from: ['b1'], to: ['p1'] } },
    { at: '1200ms', fault: { type: 'crash', node: 'b1' } },
    { at: '6s', fault: { type: 'heal' } },
    { at: '6s', fault: { type: 'restart', node: 'b1' } },
  ],
  invariants: [...ALL_SAFETY, writeAcknowledged],
  stopOnViolation: false,
});

export const fixedBy = { enableIdempotence: true } as const;
