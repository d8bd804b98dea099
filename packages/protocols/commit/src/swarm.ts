import type { SwarmRanges } from '@dsim/core';

/**
 * What `dsim sweep --family commit/transfers --swarm` draws per seed: which of the family's
 * fault kinds are on, the fault budget and the episodes' lengths (from a blip shorter than a
 * round trip to the whole fault window, 0.5 s to 10 s, log-uniformly), the network and timeouts.
 * Crashes are in every seed: the coordinator's decision and the participants' votes are durable,
 * and only a restart runs the recovery that reads them back.
 */
export const swarm: SwarmRanges = {
  // The family's kinds (ALL_KINDS): clock faults change nothing a commit protocol decides on.
  faultKinds: ['partition', 'pause', 'loss', 'duplicate'],
  alwaysFaultKinds: ['crash'],
  faults: { min: 1, max: 10 },
  latencyMicros: { min: 500, max: 30_000 },
  loss: { max: 0.05 },
  duplicate: { max: 0.05 },
  config: {
    voteTimeoutMicros: { min: 30_000, max: 300_000 },
    ackTimeoutMicros: { min: 30_000, max: 300_000 },
    decisionTimeoutMicros: { min: 30_000, max: 300_000 },
  },
  faultDurationMicros: { min: 1_000, max: 9_500_000 },
  partitionShapes: ['halves', 'isolate', 'ring', 'bridge', 'oneWay'],
  burstProbability: { min: 0.05, max: 0.6 },
};
