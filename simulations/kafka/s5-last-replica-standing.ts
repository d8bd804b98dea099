import { defineScenario } from '@dsim/core';
import { generations } from '@dsim/kafka';
import { ALL_SAFETY, fastTimeouts, scriptedNetwork } from '@dsim/kafka';

/**
 * S5, last replica standing (KAFKA.md §6; KIP-966). RF 3, min ISR 2, acks=all, KRaft 3.6 (no ELR,
 * no HW freeze below min ISR); the page cache reaches disk every 8 s; sessions 3 s.
 * (1) Leader b1, ISR {b1,b2,b3}; offsets 0–4 committed. (2) b1 isolated (1 s): fenced; leader b2,
 * ISR {b2,b3}; offsets 5–9 committed and acknowledged (7–9 after the 8 s flush). (3) b2 isolated
 * (9.5 s): leader b3, ISR {b3}; acks=all refused. (4) b3 loses power (14 s) with 7–9 unflushed;
 * ISR stays {b3}; offline. (5) Heal all, restart b3 (19 s): sole ISR member, elected with LEO 7;
 * b2 truncates 7–9. Acknowledged 7–9 are gone ('no-acked-write-lost', 'committed-never-lost').
 * `fixedBy` (4.1: ELR + HW frozen below min ISR): at (3) b2 enters the ELR; at (4) b3 joins it and
 * leaves it when it re-registers after its unclean shutdown; b2 is elected once unfenced: no loss.
 */
export default defineScenario({
  name: 'kafka-s5-last-replica-standing',
  description:
    'Last replica standing: the sole ISR member loses its page cache and is re-elected; acked writes are lost',
  protocol: 'kafka',
  nodes: ['c', 'b1', 'b2', 'b3', 'p1'],
  seed: 1,
  until: '25s',
  network: scriptedNetwork,
  config: {
    ...generations['3.6'],
    ...fastTimeouts,
    minInsyncReplicas: 2,
    osFlushIntervalMs: 8000,
    producerScheduleMs: [500, 600, 700, 800, 900, 5000, 5100, 9000, 9100, 9200, 13_500],
  },
  faults: [
    { at: '1s', fault: { type: 'partition', groups: [['b1']] } },
    { at: '9500ms', fault: { type: 'partition', groups: [['b1'], ['b2']] } },
    { at: '14s', fault: { type: 'crash', node: 'b3', loseUnsyncedWrites: true } },
    { at: '19s', fault: { type: 'heal' } },
    { at: '19s', fault: { type: 'restart', node: 'b3' } },
  ],
  invariants: [...ALL_SAFETY],
  stopOnViolation: false,
});

export const fixedBy = { elr: true, hwNeedsMinIsr: true } as const;
