import type { SwarmRanges } from '@dsim/core';

/**
 * What `--swarm` draws per seed for the TCC and saga families: the fault mix, the base network
 * (the coordinator's slow, reordering links stay: they are what lets a Try overtake its Cancel)
 * and the transaction manager's timeouts. Crashes are in every seed: the coordinator's
 * transaction log and the participants' barrier tables are durable, and only a restart runs the
 * recovery that reads them back. Episodes last from a blip up to the whole fault window.
 */
export const swarm: SwarmRanges = {
  faultKinds: ['partition', 'pause', 'clock', 'loss', 'duplicate'],
  alwaysFaultKinds: ['crash'],
  faultDurationMicros: { min: 1_000, max: 9_500_000 },
  faults: { min: 1, max: 10 },
  latencyMicros: { min: 500, max: 20_000 },
  loss: { max: 0.05 },
  duplicate: { max: 0.05 },
  config: {
    globalTimeoutMicros: { min: 50_000, max: 500_000 },
    retryIntervalMicros: { min: 20_000, max: 200_000 },
    stepTimeoutMicros: { min: 30_000, max: 300_000 },
  },
};
