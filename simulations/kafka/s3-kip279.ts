import { defineScenario } from '@dsim/core';
import { generations, uncleanElectionHappened } from '@dsim/kafka';
import { ALL_SAFETY, scriptedNetwork } from '@dsim/kafka';

/**
 * S3, the KIP-279 case (KAFKA.md §3.5; KAFKA-6361): divergence that KIP-101 alone misses under
 * unclean election. RF 2, min ISR 1, unclean election on, acks=1, truncation 'kip101' (1.1,
 * ZooKeeper, 6 s sessions).
 * 1. Epoch 0, leader b1: m0 reaches both; a one-way cut b1→b2 keeps m1 on b1 only.
 * 2. b1 crashes (250 ms) → b2 leads in epoch 1 with ISR {b2} and appends n1, n2 (offsets 1–2).
 * 3. b2 crashes (9 s); b1 returns (15.5 s) and is elected uncleanly; it appends p2 at offset 2.
 * 4. b2 returns (19 s) with [m0, n1, n2] and asks for the end of epoch 1. Under KIP-101 the
 *    leader answers 2 (the start of its next epoch): b2 keeps n1 and fetches p2, so [m0, n1, p2]
 *    against [m0, m1, p2] with equal HWs ('log-matching'). `fixedBy` (KIP-279): the leader
 *    answers (epoch 0, 2); b2 cuts to its own end of epoch 0 (1) and refetches m1 and p2.
 * Losing n1 and n2 is the price of unclean election in both.
 */
export default defineScenario({
  name: 'kafka-s3-kip279',
  description: 'KIP-279: after an unclean election, KIP-101 truncation leaves the replicas diverged',
  protocol: 'kafka',
  nodes: ['c', 'b1', 'b2', 'p1'],
  seed: 1,
  until: '22s',
  network: scriptedNetwork,
  config: {
    ...generations['1.1'],
    uncleanLeaderElection: true,
    retries: 1000,
    requestTimeoutMs: 1000,
    deliveryTimeoutMs: 60_000,
    producerScheduleMs: [100, 200, 300, 400, 16_000],
  },
  faults: [
    { at: '150ms', fault: { type: 'cut', from: ['b1'], to: ['b2'] } },
    { at: '250ms', fault: { type: 'crash', node: 'b1' } },
    { at: '260ms', fault: { type: 'heal' } },
    { at: '9s', fault: { type: 'crash', node: 'b2' } },
    { at: '15500ms', fault: { type: 'restart', node: 'b1' } },
    { at: '19s', fault: { type: 'restart', node: 'b2' } },
  ],
  invariants: [...ALL_SAFETY, uncleanElectionHappened],
  stopOnViolation: false,
});

export const fixedBy = { truncation: 'kip279' } as const;
