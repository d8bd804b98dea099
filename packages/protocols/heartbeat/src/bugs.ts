import type { BugSwitch } from '@dsim/core';

/** Named ways to break the detector on purpose, each removing one rule. */
export const bugs = {
  checkUsesSenderClock: {
    description: "Times a peer's silence from the sender's timestamp in the beat instead of the observer's own clock.",
    breaks:
      "Clocks are not synchronized: a peer whose clock runs ahead looks alive long after it died. 'detects-crash-in-time' catches it.",
  },
  beatTimerNotRearmedOnRestart: {
    description: 'After a restart the node forgets to start its beat timer (only the first start arms it).',
    breaks: "A restarted node never beats again and is removed by everyone. 'all-healthy-after-heal' catches it.",
  },
} satisfies Record<string, BugSwitch>;

export type HeartbeatBug = keyof typeof bugs;
