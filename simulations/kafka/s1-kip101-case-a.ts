import { defineScenario } from '@dsim/core';
import { followerTruncated, generations, writeAcknowledged } from '@dsim/kafka';
import { ALL_SAFETY, scriptedNetwork } from '@dsim/kafka';

/**
 * S1, KIP-101 case A (KAFKA.md §3.2), pre-0.11: truncation to the local HW, ZooKeeper controller.
 * RF 2, leader b1, follower b2, acks=all. m0 and m1 replicate; b2's fetch at offset 2 takes the
 * leader's HW to 2 and m1 is acknowledged, but the answer carrying HW 2 is parked in b1's long
 * poll. b2 crashes at 300 ms and b1 at 310 ms; b2 restarts at 320 ms, before its 6 s session
 * expires, so the controller never notices (the ABA hole) and b2 stays in the ISR. It reloads its
 * HW checkpoint (0: none was written yet), truncates to it, and when the session of b1 expires it
 * is elected: the acknowledged m1 (and m0) are gone. `fixedBy` (KIP-101): b2 asks b1 for the end
 * of its epoch instead and, hearing nothing from the dead b1, truncates nothing; no loss.
 */
export default defineScenario({
  name: 'kafka-s1-kip101-case-a',
  description: 'KIP-101 case A: HW truncation after a fast restart, then the leader dies; an acked write is lost',
  protocol: 'kafka',
  nodes: ['c', 'b1', 'b2', 'p1'],
  seed: 1,
  until: '10s',
  network: scriptedNetwork,
  config: {
    ...generations['pre-0.11'],
    acks: 'all',
    retries: 0,
    producerScheduleMs: [100, 200],
  },
  faults: [
    { at: '300ms', fault: { type: 'crash', node: 'b2' } },
    { at: '310ms', fault: { type: 'crash', node: 'b1' } },
    { at: '320ms', fault: { type: 'restart', node: 'b2' } },
  ],
  invariants: [...ALL_SAFETY, followerTruncated, writeAcknowledged],
  stopOnViolation: false,
});

export const fixedBy = { truncation: 'kip101' } as const;
