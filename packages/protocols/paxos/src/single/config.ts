import type { Micros, NodeId } from '@dsim/core';

/**
 * Single-decree Paxos settings. Every node is an acceptor and a learner; the first `proposers`
 * nodes also propose a value of their own (`v.<node>`) once they start, and any node proposes a
 * client's value when a client asks it to.
 */
export interface PaxosConfig {
  /** How many nodes (the first ones, in scenario order) propose on their own at start. */
  readonly proposers: number;
  /** When a proposer starts its first round, after a (re)start. */
  readonly proposeAfterMicros: Micros;
  /** Per-node overrides of proposeAfterMicros, for scripted schedules (looked up by node id, never iterated). */
  readonly proposeAfterMicrosByNode: Readonly<Record<NodeId, Micros>>;
  /** A random extra wait before the first round, up to this much (0: proposers start in lockstep). */
  readonly proposeJitterMicros: Micros;
  /** A round that gathers no majority within this time is abandoned and retried after a back-off. */
  readonly phaseTimeoutMicros: Micros;
  /** The back-off before a new round after a NACK or a timeout. */
  readonly backoffMicros: Micros;
  /**
   * Draw each back-off at random from [backoff, backoff × 2^min(attempt, 5)) ("Paxos Made Simple"
   * §2.4: progress needs a distinguished proposer, elected with randomness or timeouts). Off: every
   * back-off is exactly `backoffMicros`, and two proposers can duel forever (SPECS.md §4.2).
   */
  readonly randomizedBackoff: boolean;
  /**
   * Acceptors answer a Prepare or Accept below their promise with a NACK carrying the promise: the
   * optimisation "Paxos Made Simple" §2.2 suggests (the proposer gives up at once and jumps past the
   * promise). Off: they ignore it, and the proposer waits for its phase timeout.
   */
  readonly sendNacks: boolean;
  /** A learner that knows no value asks its peers this often. */
  readonly learnRetryMicros: Micros;
}

export const defaults: PaxosConfig = {
  proposers: 2,
  proposeAfterMicros: 10_000,
  proposeAfterMicrosByNode: {},
  proposeJitterMicros: 20_000,
  phaseTimeoutMicros: 100_000,
  backoffMicros: 20_000,
  randomizedBackoff: true,
  sendNacks: true,
  learnRetryMicros: 250_000,
};

export function validateConfig(config: PaxosConfig, nodes: readonly NodeId[]): string[] {
  const problems: string[] = [];
  const wholeNumber = (field: keyof PaxosConfig, min: number) => {
    const value = config[field];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
      problems.push(`${field}: must be a whole number, at least ${min} (got ${String(value)})`);
  };
  wholeNumber('proposers', 0);
  wholeNumber('proposeAfterMicros', 0);
  wholeNumber('proposeJitterMicros', 0);
  wholeNumber('phaseTimeoutMicros', 1);
  wholeNumber('backoffMicros', 0);
  for (const node of Object.keys(config.proposeAfterMicrosByNode ?? {}).sort()) {
    if (!nodes.includes(node))
      problems.push(`proposeAfterMicrosByNode.${node}: no such node (nodes are ${nodes.join(', ')})`);
    const value = config.proposeAfterMicrosByNode[node];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
      problems.push(`proposeAfterMicrosByNode.${node}: must be a whole number of microseconds, at least 0`);
  }
  wholeNumber('learnRetryMicros', 1);
  if (config.proposers > nodes.length)
    problems.push(`proposers: at most the number of nodes (${nodes.length}), got ${config.proposers}`);
  if (typeof config.sendNacks !== 'boolean')
    problems.push(`sendNacks: must be true or false (got ${String(config.sendNacks)})`);
  if (typeof config.randomizedBackoff !== 'boolean')
    problems.push(`randomizedBackoff: must be true or false (got ${String(config.randomizedBackoff)})`);
  return problems;
}
