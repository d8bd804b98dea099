import type { Micros, NodeId } from '@dsim/core';

/**
 * Multi-Paxos settings. Timings match Raft's defaults (50 ms heartbeats, 150-300 ms failure
 * detection), so the two protocols can be compared on one workload.
 */
export interface MultiPaxosConfig {
  /** The leader's heartbeat (and retransmission) interval. */
  readonly heartbeatIntervalMicros: Micros;
  /**
   * The failure detector's timeout E: a node that hears nothing from a leader for a wait drawn from
   * [E, 2E) runs phase 1 with a higher ballot. Also a candidate's retry interval.
   */
  readonly electionTimeoutMicros: Micros;
  /** The most slots a leader has in phase 2 at once ("Paxos Made Simple" §3's α); more requests are refused. */
  readonly maxInFlightSlots: number;
  /** The most chosen commands in one catch-up reply. */
  readonly catchUpBatchSlots: number;
}

export const defaults: MultiPaxosConfig = {
  heartbeatIntervalMicros: 50_000,
  electionTimeoutMicros: 150_000,
  maxInFlightSlots: 256,
  catchUpBatchSlots: 64,
};

export function validateConfig(config: MultiPaxosConfig, _nodes: readonly NodeId[]): string[] {
  const problems: string[] = [];
  for (const field of [
    'heartbeatIntervalMicros',
    'electionTimeoutMicros',
    'maxInFlightSlots',
    'catchUpBatchSlots',
  ] as const) {
    const value = config[field];
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0)
      problems.push(`${field}: must be a positive whole number (got ${String(value)})`);
  }
  if (config.electionTimeoutMicros <= config.heartbeatIntervalMicros)
    problems.push(
      `electionTimeoutMicros (${config.electionTimeoutMicros}) must exceed heartbeatIntervalMicros (${config.heartbeatIntervalMicros}), or followers suspect a live leader between heartbeats`,
    );
  return problems;
}
