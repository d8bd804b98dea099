import { defineScenario } from '@dsim/core';
import { isrShrank } from '@dsim/kafka';
import { ALL_SAFETY } from '@dsim/kafka';

const bursts: number[] = [];
for (let second = 10; second <= 60; second += 10) for (let i = 0; i < 10; i++) bursts.push(second * 1000 - 10);

/**
 * S6, ISR flapping under bursts (KAFKA.md §6, claim 9; Narkhede 2015), with 0.8's lag rule
 * (`isrLag: 'count+time'`, `replica.lag.max.messages` 4 to make it visible, check every
 * `replica.lag.time.max.ms` = 10 s). RF 3, 5 ms links. Ten single-record batches arrive 5 ms
 * before each check: the followers are 10 behind at the check and are removed, then re-added
 * within a fetch or two: two ISR changes per follower per burst, each a controller write, and
 * moments with ISR = {leader}. `fixedBy` (0.9+, lag by time only): no ISR change at all.
 */
export default defineScenario({
  name: 'kafka-s6-isr-flapping',
  description: "ISR flapping: 0.8's lag-by-messages rule removes and re-adds followers at every burst",
  protocol: 'kafka',
  nodes: ['c', 'b1', 'b2', 'b3', 'p1'],
  seed: 1,
  until: '65s',
  network: { latency: '5ms', fifo: true },
  config: {
    isrLag: 'count+time',
    replicaLagMaxMessages: 4,
    replicaLagTimeMaxMs: 10_000,
    acks: '1',
    enableIdempotence: false,
    producerScheduleMs: bursts,
  },
  invariants: [...ALL_SAFETY, isrShrank],
  stopOnViolation: false,
});

export const fixedBy = { isrLag: 'time' } as const;
