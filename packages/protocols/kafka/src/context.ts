import type { NodeContext } from '@dsim/core';
import type { KafkaBug } from './bugs.ts';
import type { KafkaConfig } from './config.ts';
import type { KafkaMessage } from './messages.ts';

/**
 * Timers, declared once. Brokers: `heartbeat` (to the controller), `isrCheck` (every half lag),
 * `flush` (the OS writing the page cache back), `hwCheckpoint`, `fetch:<p>` (a follower's fetch
 * timeout or backoff), `park:<p>:<follower>` (a parked fetch's long poll), `produce:<p>:<from>:<id>`
 * (an acks=all request's timeout). Controller: `session` (the failure detector). Producer:
 * `produce` (next record), `retry` (backoff), `request:<id>` (request timeout), `metadata`.
 * Consumer: `poll`, `metadata`.
 */
export const timers = [
  'heartbeat',
  'isrCheck',
  'flush',
  'hwCheckpoint',
  'fetch',
  'park',
  'produce',
  'session',
  'retry',
  'request',
  'metadata',
  'poll',
] as const;
export type KafkaTimer = (typeof timers)[number];

export type KafkaContext = NodeContext<KafkaMessage, never, KafkaConfig, KafkaTimer, KafkaBug>;

/** Milliseconds of config to the kernel's microseconds. */
export function ms(value: number): number {
  return Math.round(value * 1000);
}
