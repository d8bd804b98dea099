import { defineScenario } from '@dsim/core';
import { writeAcknowledged } from '@dsim/kafka';
import { ALL_SAFETY, scriptedNetwork } from '@dsim/kafka';

/**
 * S8, reordering with retries and more than one request in flight (KAFKA.md §6, claim 12). RF 3,
 * min ISR 2, idempotence off, max in flight 5, request timeout 1 s, retry backoff 100 ms. The
 * producer sends batch A (1 s) and at once batch B (1 ms later) on one connection. A is lost
 * (a 1 ms burst of total message loss; the spec's variant refuses A with NOT_ENOUGH_REPLICAS, and
 * any retriable failure of A while B is in flight does the same); B is appended; A's retry lands
 * after it: the log holds B before A ('producer-order'). `fixedBy` (idempotence): B, whose
 * sequence 1 follows a missing 0, is refused with OUT_OF_ORDER_SEQUENCE_NUMBER and resent after A.
 * `alsoFixedBy` (max in flight 1): B waits for A.
 */
export default defineScenario({
  name: 'kafka-s8-reordering-with-retries',
  description: 'Retries with several requests in flight and no idempotence reorder a producer’s records',
  protocol: 'kafka',
  nodes: ['c', 'b1', 'b2', 'b3', 'p1'],
  seed: 1,
  until: '6s',
  network: scriptedNetwork,
  config: {
    minInsyncReplicas: 2,
    enableIdempotence: false,
    maxInFlight: 5,
    requestTimeoutMs: 1000,
    producerScheduleMs: [1000, 1001],
  },
  faults: [
    { at: '999500us', fault: { type: 'loss', probability: 1 } },
    { at: '1000500us', fault: { type: 'heal' } },
  ],
  invariants: [...ALL_SAFETY, writeAcknowledged],
  stopOnViolation: false,
});

export const fixedBy = { enableIdempotence: true } as const;
export const alsoFixedBy = { maxInFlight: 1 } as const;
