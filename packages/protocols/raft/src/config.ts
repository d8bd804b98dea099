import type { Micros, NodeId } from '@dsim/core';

/** How a leader answers a `get`. */
export type ReadMode = 'readIndex' | 'lease' | 'log';

/**
 * Raft settings. Timings follow the paper's example (150-300 ms election timeouts, §5.2) and
 * etcd's advice that the election timeout be about ten heartbeats (SPECS.md §5.4; etcd uses
 * ElectionTick = 10 × HeartbeatTick, we default to 3× because our heartbeats are a timer, not a tick).
 */
export interface RaftConfig {
  readonly heartbeatIntervalMicros: Micros;
  /**
   * The base election timeout E. Each wait is drawn uniformly from [E, 2E) as etcd's
   * resetRandomizedElectionTimeout does. CheckQuorum runs every E, and a follower that heard from
   * its leader within E ignores votes when CheckQuorum is on.
   */
  readonly electionTimeoutMicros: Micros;
  /**
   * The longest randomized election timeout, for ranges other than etcd's: each wait is drawn
   * uniformly from [E, this] (the Raft paper's §9.3 measured ranges such as 150-155 ms and
   * 150-300 ms). 0 keeps etcd's draw from [E, 2E).
   */
  readonly electionTimeoutMaxMicros: Micros;
  /**
   * Round each drawn election timeout to the nearest multiple of this (absent: no rounding).
   * LogCabin, where the paper's §9.3 election times were measured, draws whole milliseconds
   * (Core::Random::randomRange rounds a uniform draw with lround), so servers often draw the same
   * timeout; 1000 reproduces that.
   */
  readonly electionTimeoutGranularityMicros?: number;
  /** Draw election timeouts at random (etcd, paper §5.2). Off: every node waits exactly E, so split votes repeat. */
  readonly randomizedElectionTimeout: boolean;
  /**
   * A fixed election timeout per node, overriding the random draw, for scripted schedules such as
   * Figure 8 where a particular node must time out first. Looked up by node id, never iterated.
   */
  readonly nodeElectionTimeoutMicros: Readonly<Record<NodeId, Micros>>;
  /** etcd Config.PreVote (dissertation §9.6). */
  readonly preVote: boolean;
  /** etcd Config.CheckQuorum: leader steps down without a quorum; followers in a lease ignore votes. */
  readonly checkQuorum: boolean;
  /**
   * Whether a node that moves to a higher term restarts its election timer even when it refuses
   * the vote that carried the term. etcd does (becomeFollower → reset); the paper's Figure 2 and
   * LogCabin, where the paper's election times were measured, restart it only on hearing from
   * the leader, granting a vote, or campaigning. Without PreVote, etcd's rule lets doomed
   * campaigns by nodes with short logs keep postponing the elections of nodes that could win.
   */
  readonly resetElectionTimerOnHigherTerm: boolean;
  /**
   * Whether a candidate that a majority refused restarts its election timer as it returns to
   * follower. etcd does (stepCandidate: VoteLost → becomeFollower → reset); the paper's Figure 2
   * and LogCabin keep the timer of the campaign running until it fires. After a split vote every
   * candidate loses at about the same moment (its last refusal arrives one round trip after the
   * last campaign started), so etcd's rule lines their next timeouts up again, within the timeout
   * range plus the latency jitter, and narrow ranges such as 150-155 ms split again and again.
   */
  readonly resetElectionTimerOnVoteLost: boolean;
  readonly readMode: ReadMode;
  /**
   * The most two clocks may drift or jump apart during one lease (dissertation §6.4.1: the lease
   * must allow for the clock drift bound). A lease lasts electionTimeout − this bound after the
   * heartbeat round that a quorum acknowledged was sent. Lease reads are safe only while real clock
   * disagreement stays within this bound.
   */
  readonly leaseClockBoundMicros: Micros;
  /** Most entries in one AppendEntries (etcd MaxSizePerMsg, counted in entries). 1 makes Figure 8 scriptable. */
  readonly maxEntriesPerMessage: number;
  /** Take a snapshot and compact the log once this many applied entries follow the last snapshot (etcd's SnapshotCount). 0 turns compaction off. */
  readonly snapshotThresholdEntries: number;
  /**
   * Most AppendEntries in flight to one follower in replicate mode (etcd MaxInflightMsgs); the
   * leader waits for acknowledgements before sending more. Absent or 0: no limit.
   */
  readonly maxInflightMessages?: number;
  /**
   * The voters of the initial configuration (absent: every node). Nodes of the scenario outside
   * it and `initialLearners` stay idle, never campaigning, until a configuration change adds them
   * (membership.ts).
   */
  readonly initialVoters?: readonly NodeId[];
  /** Learners of the initial configuration: they receive the log but do not vote. */
  readonly initialLearners?: readonly NodeId[];
}

export const defaults: RaftConfig = {
  heartbeatIntervalMicros: 50_000,
  electionTimeoutMicros: 150_000,
  electionTimeoutMaxMicros: 0,
  randomizedElectionTimeout: true,
  nodeElectionTimeoutMicros: {},
  preVote: true,
  checkQuorum: true,
  resetElectionTimerOnHigherTerm: true,
  resetElectionTimerOnVoteLost: true,
  readMode: 'readIndex',
  leaseClockBoundMicros: 60_000,
  maxEntriesPerMessage: 64,
  snapshotThresholdEntries: 1_000,
  // Settings absent by default (undefined, so a trace header names them only when a scenario sets them).
  maxInflightMessages: undefined,
  electionTimeoutGranularityMicros: undefined,
  initialVoters: undefined,
  initialLearners: undefined,
};

export function validateConfig(config: RaftConfig, nodes: readonly NodeId[]): string[] {
  const problems: string[] = [];
  const positive = (field: keyof RaftConfig) => {
    const value = config[field];
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0)
      problems.push(`${field}: must be a positive whole number (got ${String(value)})`);
  };
  positive('heartbeatIntervalMicros');
  positive('electionTimeoutMicros');
  positive('maxEntriesPerMessage');
  if (!Number.isInteger(config.snapshotThresholdEntries) || config.snapshotThresholdEntries < 0) {
    problems.push(
      `snapshotThresholdEntries: must be a whole number, 0 to turn compaction off (got ${String(config.snapshotThresholdEntries)})`,
    );
  }
  const longest = config.electionTimeoutMaxMicros;
  if (!Number.isInteger(longest) || (longest !== 0 && longest < config.electionTimeoutMicros)) {
    problems.push(
      `electionTimeoutMaxMicros: must be 0 (etcd's [E, 2E)) or a whole number at least electionTimeoutMicros (${config.electionTimeoutMicros}) (got ${String(longest)})`,
    );
  }
  if (config.electionTimeoutMicros <= config.heartbeatIntervalMicros) {
    problems.push(
      `electionTimeoutMicros (${config.electionTimeoutMicros}) must exceed heartbeatIntervalMicros (${config.heartbeatIntervalMicros}), or followers time out between heartbeats`,
    );
  }
  for (const field of [
    'randomizedElectionTimeout',
    'preVote',
    'checkQuorum',
    'resetElectionTimerOnHigherTerm',
    'resetElectionTimerOnVoteLost',
  ] as const)
    if (typeof config[field] !== 'boolean')
      problems.push(`${field}: must be true or false (got ${String(config[field])})`);
  if (!['readIndex', 'lease', 'log'].includes(config.readMode))
    problems.push(`readMode: must be 'readIndex', 'lease' or 'log' (got ${String(config.readMode)})`);
  // etcd's config validation rejects ReadOnlyLeaseBased without CheckQuorum: the lease is only
  // sound if followers refuse votes while they hear from the leader.
  if (config.readMode === 'lease' && !config.checkQuorum)
    problems.push(
      `readMode: 'lease' needs checkQuorum: true (as etcd requires): without it followers vote while the leader's lease runs`,
    );
  if (
    config.readMode === 'lease' &&
    !(config.leaseClockBoundMicros >= 0 && config.leaseClockBoundMicros < config.electionTimeoutMicros)
  ) {
    problems.push(
      `leaseClockBoundMicros: must be at least 0 and below electionTimeoutMicros (${config.electionTimeoutMicros}) so a lease has positive length`,
    );
  }
  const granularity = config.electionTimeoutGranularityMicros;
  if (granularity !== undefined && !(Number.isInteger(granularity) && granularity > 0))
    problems.push(
      `electionTimeoutGranularityMicros: must be a positive whole number of microseconds, e.g. 1000 for whole milliseconds (got ${String(granularity)})`,
    );
  const inflight = config.maxInflightMessages;
  if (inflight !== undefined && !(Number.isInteger(inflight) && inflight >= 0))
    problems.push(`maxInflightMessages: must be a whole number, 0 for no limit (got ${String(inflight)})`);
  for (const field of ['initialVoters', 'initialLearners'] as const) {
    const listed = config[field];
    if (listed === undefined) continue;
    if (!Array.isArray(listed)) {
      problems.push(`${field}: must be a list of node ids such as ['n1', 'n2', 'n3']`);
      continue;
    }
    for (const node of listed)
      if (!nodes.includes(node))
        problems.push(`${field}: no such node '${String(node)}' (nodes are ${nodes.join(', ')})`);
  }
  if (config.initialVoters !== undefined && Array.isArray(config.initialVoters)) {
    if (config.initialVoters.length === 0) problems.push(`initialVoters: must name at least one voter`);
    for (const node of config.initialLearners ?? [])
      if (config.initialVoters.includes(node))
        problems.push(`initialLearners: ${node} is also in initialVoters; a node is a voter or a learner`);
  }
  for (const node of Object.keys(config.nodeElectionTimeoutMicros ?? {}).sort()) {
    if (!nodes.includes(node))
      problems.push(`nodeElectionTimeoutMicros.${node}: no such node (nodes are ${nodes.join(', ')})`);
    const value = config.nodeElectionTimeoutMicros[node];
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0)
      problems.push(`nodeElectionTimeoutMicros.${node}: must be a positive whole number of microseconds`);
  }
  return problems;
}
