import type { SwarmRanges } from '@dsim/core';

/**
 * What `dsim sweep --family kafka/aggressive --swarm` draws per seed. The family writes its own
 * fault schedule (power loss and controller crashes need more than the nemesis has), so the draw
 * covers the network, the replication timeouts, the schedule's fault budget (one episode to
 * 24, as the other families' swarms draw theirs; the power losses stay within KAFKA.md I-1's
 * bound of min ISR − 1 however many episodes there are) and the release whose rules run.
 *
 * The base loss rate lasts the whole run, quiet period included: a producer must then ride out
 * lost requests and replies for 60 s, which reaches its retry, expiry and epoch-bump paths.
 */
export const swarm: SwarmRanges = {
  latencyMicros: { min: 500, max: 20_000 },
  loss: { max: 0.05 },
  duplicate: { max: 0.05 },
  config: {
    replicaLagTimeMaxMs: { min: 300, max: 5_000 },
    sessionTimeoutMs: { min: 800, max: 4_000 },
  },
  // The release is a feature set like any other (its truncation, election, controller and
  // producer rules), checked against what that release promises; the current release is drawn
  // as often as the four older ones together, since its rules are the ones users run.
  options: {
    faults: { min: 1, max: 24 },
    generation: { oneOf: ['4.1', '4.1', '4.1', '4.1', '3.6', '2.7', '1.1', 'pre-0.11'] },
  },
};
