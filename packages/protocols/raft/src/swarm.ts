import type { SwarmRanges } from '@dsim/core';

/** The lease's clock bound in raft/aggressive; clock jumps stay within a third of it (jumps can add up). */
export const leaseClockBoundMicros = 60_000;

/**
 * What `dsim sweep --family raft/aggressive --swarm` draws per seed. Every feature switch
 * (PreVote, CheckQuorum, the read mode, and etcd's two timer resets against the paper's Figure 2
 * rules) is on or off per seed, as swarm testing turns features off per test (Groce et al. 2012),
 * so a seed can run the paper's bare algorithm as well as etcd's. Randomized election timeouts
 * stay on: without them elections need not end (paper §5.2), and the family checks progress after
 * the heal. Small clusters, one entry per message, many short or few long fault episodes and
 * election timeouts near the heartbeat interval sit at one end of their ranges: those draw
 * log-uniformly. The heartbeat stays below the shortest election timeout and, with lease reads,
 * the election timeout above the lease's clock bound, as validateConfig requires; etcd allows
 * lease reads only with CheckQuorum.
 *
 * Crashes are in every seed: the term, the vote and the log are durable, and only a restart reads
 * them back. Episodes last up to the whole fault window (0.5 s to 9 s). The clients' timeout goes
 * from 100 ms, a few round trips at the slowest latency, where retried writes of unknown outcome
 * are common, to the family's second; much shorter, a 15 s history holds hundreds of operations
 * of unknown outcome, more than the linearizability search decides within its budget. Each seed also draws the operators' configuration changes (families.ts),
 * one plan in five, concurrent requests among them.
 */
export const swarm: SwarmRanges = {
  nodes: { min: 3, max: 7, scale: 'log' },
  faultKinds: ['partition', 'pause', 'clock', 'loss', 'duplicate'],
  alwaysFaultKinds: ['crash'],
  faults: { min: 1, max: 24 },
  latencyMicros: { min: 500, max: 20_000 },
  loss: { max: 0.05 },
  duplicate: { max: 0.05 },
  config: {
    heartbeatIntervalMicros: { min: 10_000, max: 50_000 },
    maxEntriesPerMessage: { min: 1, max: 16, scale: 'log' },
    preVote: { oneOf: [true, false] },
    resetElectionTimerOnHigherTerm: { oneOf: [true, false] },
    resetElectionTimerOnVoteLost: { oneOf: [true, false] },
  },
  configSets: [
    [
      {
        readMode: 'lease',
        checkQuorum: true,
        electionTimeoutMicros: { min: leaseClockBoundMicros + 20_000, max: 300_000, scale: 'log' },
      },
      {
        readMode: 'readIndex',
        checkQuorum: { oneOf: [true, false] },
        electionTimeoutMicros: { min: 55_000, max: 300_000, scale: 'log' },
      },
      {
        readMode: 'log',
        checkQuorum: { oneOf: [true, false] },
        electionTimeoutMicros: { min: 55_000, max: 300_000, scale: 'log' },
      },
    ],
  ],
  faultDurationMicros: { min: 1_000, max: 8_500_000 },
  partitionShapes: ['halves', 'isolate', 'ring', 'bridge', 'oneWay'],
  clockJumpMicros: { min: 1_000, max: leaseClockBoundMicros / 3 },
  burstProbability: { min: 0.05, max: 0.6 },
  clientTimeoutMicros: { min: 100_000, max: 1_000_000, scale: 'log' },
  options: { membership: { oneOf: ['none', 'single', 'joint', 'learners', 'concurrent'] } },
};
