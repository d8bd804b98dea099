import type { Micros, NodeId } from '@dsim/core';

/**
 * The 3PC variants the simulator models (SPECS.md §3.2):
 * - `skeen`: Skeen's protocol as BHG ch. 7 presents it. A participant that times out runs the
 *   termination protocol (a backup coordinator polls and applies TR1–TR4); a coordinator that
 *   times out waiting for ACKs of PRE-COMMIT treats the silent participants as crashed and commits.
 * - `simplified`: the default-action variant of tutorials and Wikipedia. No termination protocol:
 *   a participant that times out before PRE-COMMIT aborts, after PRE-COMMIT commits, and the
 *   coordinator aborts when it times out waiting for ACKs.
 */
export type ThreePhaseVariant = 'skeen' | 'simplified';

/**
 * Settings shared by 2PC and 3PC. Node roles come from the scenario's node list: the **first node
 * is the coordinator**, every other node is a participant (a resource manager holding a shard of
 * the accounts).
 *
 * The timeouts are equal by default, as they are when one team configures every service the same
 * way; they are far above the default network round trip (1–5 ms each way), so under crash-only
 * faults a timeout really means a crash, which is the failure model Skeen's protocol assumes.
 */
export interface CommitConfig {
  /** Accounts per participant: `p1/a0`, `p1/a1`, ... */
  readonly accountsPerParticipant: number;
  /** Opening balance of every account. */
  readonly initialBalance: number;
  /** Coordinator in WAIT: abort if a vote is missing after this long (Gray; BHG §7.3). */
  readonly voteTimeoutMicros: Micros;
  /** 3PC coordinator in PRECOMMIT: act (commit in Skeen's variant, abort in the simplified one) after this long without every ACK. */
  readonly ackTimeoutMicros: Micros;
  /** Participant that voted YES: start the termination protocol (or the default action) after this long without a decision. */
  readonly decisionTimeoutMicros: Micros;
  /** How long a termination round collects state reports, and a backup coordinator collects ACKs (TR4). Must exceed a round trip. */
  readonly pollWindowMicros: Micros;
  /** First interval between decision resends and between blocked termination rounds; doubles up to `retryMaxMicros` (DTM's RetryInterval backoff, SPECS §2.8). */
  readonly retryIntervalMicros: Micros;
  readonly retryMaxMicros: Micros;
  /**
   * A coordinator (or backup) sends a round of messages one participant at a time, this far apart,
   * as a loop of RPCs does. 0 sends them in one step. The gap is what lets a crash land between
   * "sent to P1" and "sent to P2", the failure Skeen's nonblocking condition is about.
   */
  readonly fanoutGapMicros: Micros;
}

export interface ThreePhaseConfig extends CommitConfig {
  readonly variant: ThreePhaseVariant;
}

export const twoPhaseDefaults: CommitConfig = {
  accountsPerParticipant: 4,
  initialBalance: 100,
  voteTimeoutMicros: 100_000,
  ackTimeoutMicros: 100_000,
  decisionTimeoutMicros: 100_000,
  pollWindowMicros: 20_000,
  retryIntervalMicros: 100_000,
  retryMaxMicros: 1_000_000,
  fanoutGapMicros: 1_000,
};

export const threePhaseDefaults: ThreePhaseConfig = { ...twoPhaseDefaults, variant: 'skeen' };

/** The coordinator is the scenario's first node; the participants are the others, in order. */
export { coordinatorOf, participantsOf } from '@dsim/services';

export function validateConfig(config: CommitConfig | ThreePhaseConfig, nodes: readonly NodeId[]): string[] {
  const problems: string[] = [];
  if (nodes.length < 3)
    problems.push(
      `nodes: a transfer needs a coordinator and at least two participants (the first node coordinates); got ${nodes.length} node(s)`,
    );
  const micros = [
    'voteTimeoutMicros',
    'ackTimeoutMicros',
    'decisionTimeoutMicros',
    'pollWindowMicros',
    'retryIntervalMicros',
    'retryMaxMicros',
  ] as const;
  for (const field of micros) {
    if (!Number.isInteger(config[field]) || config[field] <= 0)
      problems.push(`${field}: must be a positive whole number of microseconds (got ${String(config[field])})`);
  }
  if (!Number.isInteger(config.fanoutGapMicros) || config.fanoutGapMicros < 0)
    problems.push(
      `fanoutGapMicros: must be a whole number of microseconds, 0 or more (got ${String(config.fanoutGapMicros)})`,
    );
  if (config.retryMaxMicros < config.retryIntervalMicros)
    problems.push(
      `retryMaxMicros (${config.retryMaxMicros}) must not be below retryIntervalMicros (${config.retryIntervalMicros})`,
    );
  if (!Number.isInteger(config.accountsPerParticipant) || config.accountsPerParticipant < 1) {
    problems.push(
      `accountsPerParticipant: must be a positive whole number (got ${String(config.accountsPerParticipant)})`,
    );
  }
  if (!Number.isInteger(config.initialBalance) || config.initialBalance < 0)
    problems.push(`initialBalance: must be a whole number, 0 or more (got ${String(config.initialBalance)})`);
  if ('variant' in config && config.variant !== 'skeen' && config.variant !== 'simplified') {
    problems.push(
      `variant: must be 'skeen' (termination protocol, TR1–TR4) or 'simplified' (default actions on timeout), got ${JSON.stringify(config.variant)}`,
    );
  }
  return problems;
}
