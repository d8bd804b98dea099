import { defineScenario } from '@dsim/core';
import { staleLeaderHw } from '@dsim/kafka';
import { ALL_SAFETY, fastTimeouts, scriptedNetwork } from '@dsim/kafka';

/**
 * S10, a stale HW after failover (KAFKA.md §6; §2.4), benign. RF 3, current Kafka, sessions 3 s,
 * a consumer polling every 500 ms. Record 1 (1 s) commits: the followers' fetch at offset 2 takes
 * b1's HW to 2, but the answer carrying it waits in b1's long poll, and b1 crashes at 1.01 s. b2
 * is elected with HW 1, one round trip behind the true HW ('stale-leader-hw'); the consumer sees
 * nothing new until the followers fetch up to b2's LESO. Nothing is lost: every promised
 * invariant holds (the I-6 exemption: a new leader's HW may lag until it reaches its LESO).
 */
export default defineScenario({
  name: 'kafka-s10-stale-hw-after-failover',
  description: 'A new leader starts with a HW one round trip behind; consumers wait, nothing is lost',
  protocol: 'kafka',
  nodes: ['c', 'b1', 'b2', 'b3', 'p1', 'r1'],
  seed: 1,
  until: '8s',
  network: scriptedNetwork,
  config: {
    ...fastTimeouts,
    minInsyncReplicas: 2,
    producerScheduleMs: [500, 1000, 5000],
  },
  faults: [
    { at: '1010ms', fault: { type: 'crash', node: 'b1' } },
    { at: '6s', fault: { type: 'restart', node: 'b1' } },
  ],
  invariants: [...ALL_SAFETY, staleLeaderHw],
  stopOnViolation: false,
});

/** Benign: nothing to fix; the same run is checked with every invariant promised. */
export const fixedBy = {} as const;
