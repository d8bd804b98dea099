import type { SwarmRanges } from '@dsim/core';

/**
 * What `dsim sweep --family distro/aggressive --swarm` draws per seed. No base loss rate: it would
 * last into the quiet period, where 'bounded-staleness' holds Distro to one sync delay plus a
 * retry, which a lossless network after the heal is what Nacos promises; loss comes in the
 * nemesis's bursts instead. Episode lengths stay the family's (1–40 s, uniform): the outages that
 * matter to Distro are long ones (past the member health check and the clients' 30 s beat
 * expiry), which a log-uniform draw down to blips would make rare.
 */
export const swarm: SwarmRanges = {
  nodes: { min: 2, max: 6 },
  faultKinds: ['partition', 'crash', 'pause', 'clock', 'loss', 'duplicate'],
  faults: { min: 1, max: 10 },
  latencyMicros: { min: 500, max: 20_000 },
  config: { syncDelayMicros: { min: 200_000, max: 2_000_000 } },
  partitionShapes: ['halves', 'isolate', 'ring', 'bridge', 'oneWay'],
};
