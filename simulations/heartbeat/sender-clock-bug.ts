import { defineScenario } from '@dsim/core';

/**
 * The bug switch `checkUsesSenderClock` times silence with the sender's timestamp. n3's clock is
 * a minute fast, so when n3 crashes its last beat looks like it came from the future: nobody
 * suspects it in time, and 'detects-crash-in-time' fails. Expected exit code: 1.
 */
export default defineScenario({
  name: 'sender-clock-bug',
  description: 'bug switch: silence timed with the sender clock; a fast-clocked node dies unnoticed',
  protocol: 'heartbeat',
  nodes: 3,
  seed: 1,
  until: '90s',
  bugs: ['checkUsesSenderClock'],
  clocks: { n3: { offset: '60s' } },
  faults: [{ at: '10s', fault: { type: 'crash', node: 'n3' } }],
  invariants: ['detects-crash-in-time'],
});
