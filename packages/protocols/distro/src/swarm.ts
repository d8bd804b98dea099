import type { SwarmRanges } from '@dsim/core';

/**
 * What `dsim sweep --family distro/aggressive --swarm` draws per seed. No base loss rate: it would
 * last into the quiet period, where 'bounded-staleness' holds Distro to one sync delay plus a
 * retry, which a lossless network after the heal is what Nacos promises; loss comes in the
 * nemesis's bursts instead. Episodes last from the family's shortest (1 s) up to the whole fault
 * window (15 s to 60 s): the outages that matter to Distro are long ones, past the member health
 * check and the clients' 30 s beat expiry. Crashes are in every seed: a restarted node must load
 * the registry from a peer before it serves, and only a restart runs that path.
 */
export const swarm: SwarmRanges = {
  nodes: { min: 2, max: 6 },
  faultKinds: ['partition', 'pause', 'clock', 'loss', 'duplicate'],
  alwaysFaultKinds: ['crash'],
  faults: { min: 1, max: 10 },
  latencyMicros: { min: 500, max: 20_000 },
  config: { syncDelayMicros: { min: 200_000, max: 2_000_000 } },
  faultDurationMicros: { min: 1_000_000, max: 45_000_000 },
  partitionShapes: ['halves', 'isolate', 'ring', 'bridge', 'oneWay'],
};
