import { defineScenario } from '@dsim/core';
import { generations } from '@dsim/kafka';
import { ALL_SAFETY, scriptedNetwork } from '@dsim/kafka';

/**
 * S2, KIP-101 case B (KAFKA.md §3.3), pre-0.11: permanent divergence after a double failure.
 * RF 2, leader b1, min ISR 1, acks=all; the page cache reaches disk every second and HWs are
 * checkpointed every 100 ms. m0 (500 ms) and m1 (1.5 s) replicate, HW 2; on b2, m1 is still only
 * in the page cache. b1's process dies at 1.7 s (its page cache survives) and b2 loses power at
 * 1.8 s (m1 gone). The controller handles b1, then b2: ISR {b2}, no leader. b2 returns first
 * (9 s) with [m0], is elected (last ISR member) and appends m2 at offset 1. b1 returns (11 s),
 * truncates to its HW 2 (nothing), fetches at 2 and gets nothing: [m0, m1] against [m0, m2], both
 * with HW 2 ('log-matching'). `fixedBy` (KIP-101): b1 asks for the end of epoch 0, gets 1,
 * truncates m1 and fetches m2; m1 is still lost (two replicas failed, outside the contract) but
 * the logs agree.
 */
export default defineScenario({
  name: 'kafka-s2-kip101-case-b',
  description: 'KIP-101 case B: after a double failure the replicas diverge below their HWs',
  protocol: 'kafka',
  nodes: ['c', 'b1', 'b2', 'p1'],
  seed: 1,
  until: '14s',
  network: scriptedNetwork,
  config: {
    ...generations['pre-0.11'],
    acks: 'all',
    retries: 1000,
    requestTimeoutMs: 1000,
    osFlushIntervalMs: 1000,
    hwCheckpointIntervalMs: 100,
    producerScheduleMs: [500, 1500, 2500],
  },
  faults: [
    { at: '1700ms', fault: { type: 'crash', node: 'b1' } },
    { at: '1800ms', fault: { type: 'crash', node: 'b2', loseUnsyncedWrites: true } },
    { at: '9s', fault: { type: 'restart', node: 'b2' } },
    { at: '11s', fault: { type: 'restart', node: 'b1' } },
  ],
  invariants: [...ALL_SAFETY],
  stopOnViolation: false,
});

export const fixedBy = { truncation: 'kip101' } as const;
