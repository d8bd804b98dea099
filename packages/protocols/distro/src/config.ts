import type { Micros } from '@dsim/core';

/** Timings of Nacos 2.x (DistroConstants, DistroConfig, ServerMemberManager, naming Constants). */
export interface DistroConfig {
  /** Delay of a sync task (nacos.core.protocol.distro.data.sync.delayMs = 1000). */
  readonly syncDelayMicros: Micros;
  /** A push not acknowledged within this fails and is retried (sync.timeoutMs = 3000). */
  readonly syncTimeoutMicros: Micros;
  /** A failed push is re-queued with this delay, without limit (sync.retryDelayMs = 3000). */
  readonly syncRetryDelayMicros: Micros;
  /** The delay engine's scan period (NacosDelayTaskExecuteEngine, 100 ms). */
  readonly engineTickMicros: Micros;
  /** The owner's verify round (verify.intervalMs = 5000). */
  readonly verifyIntervalMicros: Micros;
  /** A snapshot request to one peer gives up after this (load.timeoutMs = 30000). */
  readonly loadTimeoutMicros: Micros;
  /** When every peer failed, the whole load is retried after this (load.retryDelayMs = 30000). */
  readonly loadRetryDelayMicros: Micros;
  /** MemberInfoReportTask: one member, round-robin, every 2 s. */
  readonly memberReportIntervalMicros: Micros;
  /** UnhealthyMemberInfoReportTask: every non-UP member, every 5 s. */
  readonly unhealthyReportIntervalMicros: Micros;
  /** A report not answered within this counts as a failed access. */
  readonly memberReportTimeoutMicros: Micros;
  /** A member goes DOWN when its failed accesses exceed this (nacos.core.member.fail-access-cnt = 3). */
  readonly memberFailAccessMax: number;
  /** DistroFilter proxies a write to the owner with 2 s connect and 2 s read timeouts. */
  readonly forwardTimeoutMicros: Micros;
  /** The owner's beat-check task period (5 s). */
  readonly beatCheckIntervalMicros: Micros;
  /** An instance without a beat for longer than this is unhealthy (preserved.heart.beat.timeout = 15 s). */
  readonly unhealthyAfterMicros: Micros;
  /** An ephemeral instance without a beat for longer than this is deleted (preserved.ip.delete.timeout = 30 s). */
  readonly removeAfterMicros: Micros;
  /** A copy this node does not own and nobody renewed by verify for this long is collected (client expired time, 3 min). */
  readonly clientExpiredMicros: Micros;
  /**
   * How far the invariants let a node's clock run ahead before an expiry counts as false: expiry is
   * timed on the owner's clock, as in Nacos, so a clock jump larger than this is a real false expiry.
   */
  readonly clockToleranceMicros: Micros;
  /** Slack on top of the sync delay for delivery (network latency) in the bounded-staleness check. */
  readonly syncSlackMicros: Micros;
}

export const defaults: DistroConfig = {
  syncDelayMicros: 1_000_000,
  syncTimeoutMicros: 3_000_000,
  syncRetryDelayMicros: 3_000_000,
  engineTickMicros: 100_000,
  verifyIntervalMicros: 5_000_000,
  loadTimeoutMicros: 30_000_000,
  loadRetryDelayMicros: 30_000_000,
  memberReportIntervalMicros: 2_000_000,
  unhealthyReportIntervalMicros: 5_000_000,
  memberReportTimeoutMicros: 1_000_000,
  memberFailAccessMax: 3,
  forwardTimeoutMicros: 2_000_000,
  beatCheckIntervalMicros: 5_000_000,
  unhealthyAfterMicros: 15_000_000,
  removeAfterMicros: 30_000_000,
  clientExpiredMicros: 180_000_000,
  clockToleranceMicros: 2_000_000,
  syncSlackMicros: 500_000,
};

/**
 * How long after the faults end until a member marked DOWN is UP again everywhere: the next
 * unhealthy-member report (≤ 5 s) plus its answer, or being reported to.
 */
export function memberRecoveryBoundMicros(config: DistroConfig): Micros {
  return config.unhealthyReportIntervalMicros + config.memberReportIntervalMicros + config.memberReportTimeoutMicros;
}

/**
 * How long a crashed member can stay in another node's healthy list: it is reported to at least
 * every (n - 1) × 2 s by the round-robin task; after the first failure it is SUSPICIOUS and also
 * re-probed every 5 s; it goes DOWN after failAccessMax + 1 failures, each one report timeout late.
 */
export function memberDownBoundMicros(config: DistroConfig, clusterSize: number): Micros {
  const firstFailure = config.memberReportIntervalMicros * Math.max(1, clusterSize - 1);
  const probeGap = Math.min(config.unhealthyReportIntervalMicros, firstFailure);
  return (
    firstFailure +
    config.memberFailAccessMax * probeGap +
    (config.memberFailAccessMax + 1) * config.memberReportTimeoutMicros
  );
}

/**
 * The convergence bound after the heal, derived from the periods: member views agree again
 * (recovery bound); a client whose owner moved re-registers with its next beat (beat interval 5 s,
 * forward, then a push after the sync delay and one engine tick); every remaining difference is a
 * copy the owner holds, repaired by the next verify round (5 s) and its immediate push, or a copy
 * the owner no longer holds, collected by the client-expiry sweep (3 min + one check period, after
 * a load that may wait out one 30 s snapshot timeout).
 */
export function convergenceBoundMicros(config: DistroConfig, beatIntervalMicros: Micros = 5_000_000): Micros {
  const views = memberRecoveryBoundMicros(config);
  const reRegistration =
    beatIntervalMicros + config.forwardTimeoutMicros + config.syncDelayMicros + config.engineTickMicros;
  const verifyRepair = config.verifyIntervalMicros + 2 * config.engineTickMicros + config.syncTimeoutMicros;
  // A node restarted just before the heal may still wait out one snapshot request to a peer that
  // was down (the load timeout) and load an orphaned copy then; its 3 minutes start there.
  const orphanCollection = config.loadTimeoutMicros + config.clientExpiredMicros + config.beatCheckIntervalMicros;
  // Expiry of a client that died during the partition: its new owner times it out.
  const expiry = config.removeAfterMicros + config.beatCheckIntervalMicros;
  return (
    views + Math.max(reRegistration + verifyRepair, orphanCollection, expiry + config.syncDelayMicros + verifyRepair)
  );
}

export function validateConfig(config: DistroConfig): string[] {
  const problems: string[] = [];
  for (const [field, value] of Object.entries(config)) {
    if (!Number.isInteger(value) || (value as number) < 0)
      problems.push(`${field}: must be a whole number ≥ 0 (got ${String(value)})`);
  }
  if (config.engineTickMicros <= 0)
    problems.push('engineTickMicros: must be positive (the delay engine scans every tick)');
  for (const field of [
    'verifyIntervalMicros',
    'memberReportIntervalMicros',
    'unhealthyReportIntervalMicros',
    'beatCheckIntervalMicros',
  ] as const) {
    if (config[field] <= 0) problems.push(`${field}: must be positive (it is a timer period)`);
  }
  if (config.removeAfterMicros <= config.unhealthyAfterMicros)
    problems.push(
      `removeAfterMicros (${config.removeAfterMicros}) must exceed unhealthyAfterMicros (${config.unhealthyAfterMicros}): an instance turns unhealthy before it is deleted`,
    );
  return problems;
}
