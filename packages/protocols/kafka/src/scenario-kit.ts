/**
 * What the Kafka scenario files share: constant 2 ms FIFO links (TCP), so a scripted fault lands
 * between known messages. Each scenario file default-exports the configuration that allows its
 * anomaly and exports `fixedBy`, the configuration overrides that close it (KAFKA.md §6).
 */
export const scriptedNetwork = { latency: '2ms', fifo: true } as const;

/** Shorter timeouts than Kafka's defaults, so a scenario plays out in seconds (each file says which). */
export const fastTimeouts = {
  sessionTimeoutMs: 3000,
  heartbeatIntervalMs: 500,
  requestTimeoutMs: 1000,
  replicaSocketTimeoutMs: 1000,
} as const;

export const ALL_SAFETY = [
  'no-acked-write-lost',
  'no-read-above-hw',
  'read-stability',
  'log-matching',
  'leader-completeness',
  'leader-hw-monotonic',
  'committed-never-lost',
  'no-duplicates',
  'producer-order',
] as const;
