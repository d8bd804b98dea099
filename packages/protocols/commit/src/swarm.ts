import type { SwarmRanges } from '@dsim/core';

/** What `dsim sweep --family commit/transfers --swarm` draws per seed: fault mix, network and timeouts. */
export const swarm: SwarmRanges = {
  faultKinds: ['partition', 'crash', 'pause', 'clock', 'loss', 'duplicate'],
  faults: { min: 1, max: 10 },
  latencyMicros: { min: 500, max: 30_000 },
  loss: { max: 0.05 },
  duplicate: { max: 0.05 },
  config: {
    voteTimeoutMicros: { min: 30_000, max: 300_000 },
    ackTimeoutMicros: { min: 30_000, max: 300_000 },
    decisionTimeoutMicros: { min: 30_000, max: 300_000 },
  },
};
