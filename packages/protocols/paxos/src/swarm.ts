import type { SwarmRanges } from '@dsim/core';

/**
 * What `--swarm` draws per seed for both Paxos families (the cluster size stays the family's: it
 * sets the proposers). Crashes are in every seed: an acceptor's promise and accepted proposal are
 * durable ("Paxos Made Simple" §2.3), and only a restart reads them back. Episodes last from a
 * blip up to the whole fault window.
 *
 * Single-decree Paxos: a phase timeout must outlast a round trip at the slowest latency drawn,
 * or no proposal completes a phase and nothing is ever learned, a dead configuration rather than
 * a Paxos bug (with a 30 ms timeout and a constant 16 ms latency, 4 seeds in 200 learned nothing).
 * Phase timeouts start at the family's own 60 ms, above a 20 ms median's 40 ms round trip.
 */
export const singleDecreeSwarm: SwarmRanges = {
  faultKinds: ['partition', 'pause', 'clock', 'loss', 'duplicate'],
  alwaysFaultKinds: ['crash'],
  faultDurationMicros: { min: 1_000, max: 2_995_000 },
  faults: { min: 1, max: 10 },
  latencyMicros: { min: 500, max: 20_000 },
  loss: { max: 0.05 },
  duplicate: { max: 0.05 },
  config: { phaseTimeoutMicros: { min: 60_000, max: 200_000 }, backoffMicros: { min: 5_000, max: 50_000 } },
};

export const multiPaxosSwarm: SwarmRanges = {
  faultKinds: ['partition', 'pause', 'clock', 'loss', 'duplicate'],
  alwaysFaultKinds: ['crash'],
  faultDurationMicros: { min: 1_000, max: 3_800_000 },
  faults: { min: 1, max: 10 },
  latencyMicros: { min: 500, max: 20_000 },
  loss: { max: 0.05 },
  duplicate: { max: 0.05 },
  config: {
    heartbeatIntervalMicros: { min: 10_000, max: 50_000 },
    electionTimeoutMicros: { min: 80_000, max: 300_000 },
  },
};
