import type { SwarmRanges } from '@dsim/core';

/**
 * What `dsim sweep --family raft/aggressive --swarm` draws per seed. Election timeouts stay above
 * the lease's clock bound (60 ms) and heartbeats below the shortest timeout, as validateConfig
 * requires; one entry per message is in range because Figure 8 needs entries to trickle out.
 */
export const swarm: SwarmRanges = {
  nodes: { min: 3, max: 7 },
  faultKinds: ['partition', 'crash', 'pause', 'clock', 'loss', 'duplicate'],
  faults: { min: 1, max: 12 },
  latencyMicros: { min: 500, max: 20_000 },
  loss: { max: 0.05 },
  duplicate: { max: 0.05 },
  config: {
    heartbeatIntervalMicros: { min: 10_000, max: 50_000 },
    electionTimeoutMicros: { min: 80_000, max: 300_000 },
    maxEntriesPerMessage: { min: 1, max: 16 },
  },
};
