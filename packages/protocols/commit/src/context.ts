import type { Draft, Micros, NodeContext } from '@dsim/core';
import type { CommitConfig, ThreePhaseVariant } from './config.ts';
import type { CommitMessage } from './messages.ts';
import type { CommitBug } from './bugs.ts';
import type { CommitState, Outgoing, TransferResult } from './state.ts';

/**
 * The timers of both protocols. `fanout` paces a round of sends; the others run one per
 * transaction, named `<timer>:tx<n>`: the coordinator's `vote` (WAIT timeout), `ack` (3PC
 * PRECOMMIT timeout), `resend` (decision resends) and `ask` (recovery's inquiry); a participant's
 * `decide` (decision timeout), `poll` (a termination round's window) and `backup` (3PC backup).
 */
export const timers = ['fanout', 'vote', 'ack', 'resend', 'ask', 'decide', 'poll', 'backup'] as const;
export type CommitTimer = (typeof timers)[number];

/** The context every handler of both protocols gets. 2PC's config has no `variant`. */
export type CommitContext = NodeContext<
  CommitMessage,
  TransferResult,
  CommitConfig & { readonly variant?: ThreePhaseVariant },
  CommitTimer,
  CommitBug
>;

/** Which rule set applies: 2PC, Skeen's 3PC with the termination protocol, or the simplified 3PC. */
export type RuleSet = '2pc' | 'skeen' | 'simplified';

export function ruleSet(state: { readonly protocol: CommitState['protocol'] }, ctx: CommitContext): RuleSet {
  if (state.protocol === '2pc') return '2pc';
  return ctx.config.variant === 'simplified' ? 'simplified' : 'skeen';
}

/**
 * Sends a round of messages one destination at a time, `fanoutGapMicros` apart, as a coordinator
 * looping over RPCs does. Point-to-point sends are not atomic: a crash between two of them leaves
 * some participants informed and others not, which is exactly the situation Skeen's
 * nonblocking conditions are about. The queue is volatile and dies with the node.
 */
export function fanOut(state: Draft<CommitState>, ctx: CommitContext, sends: readonly Outgoing[]): void {
  if (ctx.config.fanoutGapMicros <= 0) {
    for (const { to, msg } of sends) ctx.send(to, msg);
    return;
  }
  for (const send of sends) state.fanout.push(send as Draft<Outgoing>);
  if (!ctx.hasTimer('fanout')) drainFanout(state, ctx);
}

/** Sends the next queued message; re-arms itself while the queue is not empty. */
export function drainFanout(state: Draft<CommitState>, ctx: CommitContext): void {
  const next = state.fanout.shift();
  if (!next) return;
  ctx.send(next.to, next.msg);
  if (state.fanout.length > 0) ctx.setTimer('fanout', ctx.config.fanoutGapMicros);
}

/** Retry interval after `attempt` failed attempts: doubles from retryInterval up to retryMax. */
export function backoff(ctx: CommitContext, attempt: number): Micros {
  const { retryIntervalMicros, retryMaxMicros } = ctx.config;
  return Math.min(retryMaxMicros, retryIntervalMicros * 2 ** Math.min(20, Math.max(0, attempt)));
}
