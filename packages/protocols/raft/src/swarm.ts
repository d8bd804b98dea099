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
 * them back. Episodes last up to the whole fault window (0.5 s to 9 s). The clients' timeout is
 * drawn as a multiple of a write's unloaded time under the drawn latency and disk, from two (its
 * attempts often time out after they reached the log, and are retried) to 64; the clients then retry for
 * 2 s to 8 s after an operation's first attempt rather than three times. With three retries, a
 * 100 ms timeout and elections every few heartbeats left hundreds of operations of unknown outcome
 * in the 15 s history, more than the linearizability search decides within its budget; with a
 * time to retry, a client gives up on at most one operation in that time. Each seed also draws
 * the operators' configuration changes (families.ts), one plan in five, concurrent requests among
 * them.
 *
 * The clients stop between 2 s before the heal (at 9 s) and the family's 15 s: a cluster left
 * idle by its clients while the faults still run must repair a follower that missed the last
 * AppendEntries from heartbeat answers alone (etcd probes on MsgHeartbeatResp).
 *
 * Half the seeds run slow disks (a sync from 0.2 ms to 40 ms, around and above a round trip):
 * Raft may count a leader's own copy, and a node may answer with its term, vote or log, only once
 * it is durable (paper §5.1, etcd's raft.Ready), and only a sync slower than the messages it
 * races opens that window. Half of those seeds' crashes are power losses that drop unsynced
 * writes.
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
  options: {
    membership: { oneOf: ['none', 'single', 'joint', 'learners', 'concurrent'] },
    clientRetryForMillis: { min: 2_000, max: 8_000 },
  },
  syncLatencyMicros: { min: 200, max: 40_000 },
  clientTimeoutRoundTrips: { min: 2, max: 64, scale: 'log' },
  clientStopMicros: { min: 7_000_000, max: 15_000_000 },
};
