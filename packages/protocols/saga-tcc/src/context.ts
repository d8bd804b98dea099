import type { Micros, NodeContext } from '@dsim/core';
import type { TxnBug } from './bugs.ts';
import type { TxnConfig } from './config.ts';
import type { TxnMessage } from './messages.ts';
import type { TransferResult } from './state.ts';

/**
 * The timers, one per global transaction or branch, named `<timer>:g<n>`: the coordinator's
 * `timeout` (TCC global timeout), `retry` (phase-2 and compensation retries) and `step` (a saga
 * step's result timeout); a participant's `clean` (fence clean-up of a finished branch) and
 * `retry` (a choreographed saga's unacknowledged event).
 */
export const timers = ['timeout', 'retry', 'step', 'clean'] as const;
export type TxnTimer = (typeof timers)[number];

export type TxnContext = NodeContext<TxnMessage, TransferResult, TxnConfig, TxnTimer, TxnBug>;

/** Retry interval after `attempt` failed attempts: doubles from retryInterval up to retryMax (DTM cronBackoff). */
export function backoff(ctx: TxnContext, attempt: number): Micros {
  const { retryIntervalMicros, retryMaxMicros } = ctx.config;
  return Math.min(retryMaxMicros, retryIntervalMicros * 2 ** Math.min(20, Math.max(0, attempt)));
}
