import type { SwarmRanges } from '@dsim/core';

/** What `--swarm` draws per seed for both Paxos families (the cluster size stays the family's: it sets the proposers). */
export const singleDecreeSwarm: SwarmRanges = {
  faultKinds: ['partition', 'crash', 'pause', 'clock', 'loss', 'duplicate'],
  faults: { min: 1, max: 10 },
  latencyMicros: { min: 500, max: 20_000 },
  loss: { max: 0.05 },
  duplicate: { max: 0.05 },
  config: { phaseTimeoutMicros: { min: 30_000, max: 200_000 }, backoffMicros: { min: 5_000, max: 50_000 } },
};

export const multiPaxosSwarm: SwarmRanges = {
  faultKinds: ['partition', 'crash', 'pause', 'clock', 'loss', 'duplicate'],
  faults: { min: 1, max: 10 },
  latencyMicros: { min: 500, max: 20_000 },
  loss: { max: 0.05 },
  duplicate: { max: 0.05 },
  config: {
    heartbeatIntervalMicros: { min: 10_000, max: 50_000 },
    electionTimeoutMicros: { min: 80_000, max: 300_000 },
  },
};
