import type { SwarmRanges } from '@dsim/core';

/** What `dsim sweep --family distro/aggressive --swarm` draws per seed. */
export const swarm: SwarmRanges = {
  nodes: { min: 2, max: 6 },
  faultKinds: ['partition', 'crash', 'pause', 'clock', 'loss', 'duplicate'],
  faults: { min: 1, max: 10 },
  latencyMicros: { min: 500, max: 20_000 },
  loss: { max: 0.05 },
  duplicate: { max: 0.05 },
  config: { syncDelayMicros: { min: 200_000, max: 2_000_000 } },
};
