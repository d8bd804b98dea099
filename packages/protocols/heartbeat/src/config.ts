import type { Micros } from '@dsim/core';

/**
 * Timings follow Nacos' ephemeral-instance health checks (SPECS.md §1.9): a beat every 5 s,
 * unhealthy after more than 15 s without one, removed after more than 30 s, checked every 5 s.
 * Because the check runs only every 5 s, "unhealthy" shows 15-20 s after the last beat.
 */
export interface HeartbeatConfig {
  readonly beatIntervalMicros: Micros;
  readonly checkIntervalMicros: Micros;
  readonly unhealthyAfterMicros: Micros;
  readonly removeAfterMicros: Micros;
  /**
   * Slack in the detection-time invariant for message latency. A crashed peer must be seen as
   * unhealthy within unhealthyAfter + checkInterval + slack of its crash, on a correct clock.
   */
  readonly detectionSlackMicros: Micros;
}

export const defaults: HeartbeatConfig = {
  beatIntervalMicros: 5_000_000,
  checkIntervalMicros: 5_000_000,
  unhealthyAfterMicros: 15_000_000,
  removeAfterMicros: 30_000_000,
  detectionSlackMicros: 1_000_000,
};

export function validateConfig(config: HeartbeatConfig): string[] {
  const problems: string[] = [];
  for (const [field, value] of Object.entries(config)) {
    if (!Number.isInteger(value) || (value as number) <= 0)
      problems.push(`${field}: must be a positive whole number of microseconds (got ${String(value)})`);
  }
  if (config.removeAfterMicros <= config.unhealthyAfterMicros) {
    problems.push(
      `removeAfterMicros (${config.removeAfterMicros}) must exceed unhealthyAfterMicros (${config.unhealthyAfterMicros}): a peer turns unhealthy before it is removed`,
    );
  }
  if (config.unhealthyAfterMicros <= config.beatIntervalMicros) {
    problems.push(
      `unhealthyAfterMicros (${config.unhealthyAfterMicros}) must exceed beatIntervalMicros (${config.beatIntervalMicros}), or every peer is suspected between two beats`,
    );
  }
  return problems;
}
