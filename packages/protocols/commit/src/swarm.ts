import type { SwarmRanges } from '@dsim/core';

/**
 * What `dsim sweep --family commit/transfers --swarm` draws per seed: which of the family's
 * fault kinds are on, the fault budget and the episodes' lengths (from a blip shorter than a
 * round trip to an outage longer than every timeout, log-uniformly), the network and timeouts.
 */
export const swarm: SwarmRanges = {
  // The family's kinds (ALL_KINDS): clock faults change nothing a commit protocol decides on.
  faultKinds: ['partition', 'crash', 'pause', 'loss', 'duplicate'],
  faults: { min: 1, max: 10 },
  latencyMicros: { min: 500, max: 30_000 },
  loss: { max: 0.05 },
  duplicate: { max: 0.05 },
  config: {
    voteTimeoutMicros: { min: 30_000, max: 300_000 },
    ackTimeoutMicros: { min: 30_000, max: 300_000 },
    decisionTimeoutMicros: { min: 30_000, max: 300_000 },
  },
  faultDurationMicros: { min: 1_000, max: 5_000_000 },
  partitionShapes: ['halves', 'isolate', 'ring', 'bridge', 'oneWay'],
  burstProbability: { min: 0.05, max: 0.6 },
};
