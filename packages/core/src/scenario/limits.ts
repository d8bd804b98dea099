import { MAX_DRIFT_PPM } from '../kernel/clock.ts';

/**
 * The documented ranges of every number, string and key a user gives dsim. Each bound is far
 * beyond any run a person would ask for, and well inside what the engine represents exactly: an
 * instant is an integer of microseconds (safe up to 2^53, about 285 years), so a bound only ever
 * turns "hangs, runs out of memory or silently produces `"t":null`" into a message naming the
 * field. The README's "Limits" table lists the same values.
 */
export const LIMITS = {
  /** The longest run: a simulated day (a five-node Raft cluster makes ~10^8 events in it). */
  untilMicros: 86_400_000_000,
  /** Any duration (latency, timeout, think time, clock offset or jump) is within ± a day. */
  durationMicros: 86_400_000_000,
  /** Nodes in one scenario: the kernel keeps per-link state, which grows with nodes². */
  nodes: 1_000,
  /** Client processes of a workload. */
  clients: 10_000,
  /** Fault episodes the nemesis draws. */
  nemesisFaults: 10_000,
  /** Faults written in a schedule. */
  scheduledFaults: 100_000,
  /** σ of a log-normal latency: e^(4σ) is already a factor of 10^7 between median and tail. */
  lognormalSigma: 4,
  /** Clock drift, in parts per million either way. */
  driftPpm: MAX_DRIFT_PPM,
  /** A node id's length, in characters. */
  nodeIdLength: 256,
  /** A scenario's name, in characters. */
  nameLength: 200,
  /** Any string in a scenario, in characters. */
  stringLength: 1_000_000,
  /** How deep objects and arrays in a scenario nest. */
  depth: 64,
  /** How many values (objects, arrays, strings, numbers, ...) a scenario holds in all. */
  values: 1_000_000,
  /** Seeds one sweep shard runs: shard a larger range (`--shard k/n`). */
  seedsPerShard: 1_000_000,
} as const;

/**
 * Keys that would reach an object's prototype when a scenario is merged into defaults (the
 * classic prototype-pollution keys), refused wherever a user writes a key.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
