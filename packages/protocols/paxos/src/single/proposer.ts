import type { NodeId } from '@dsim/core';
import { compareBallots, quorum, sameBallot, type Ballot } from '../ballot.ts';
import type { Proposal } from './messages.ts';
import type { MutablePaxosState, PaxosContext } from './state.ts';
import { sendToAll } from './transport.ts';

export const ROUND_KEY = 'round';

/**
 * Phase 1a ("Paxos Made Simple" §2.2): pick a number higher than any this proposer used (and
 * higher than any it saw in a NACK), put it on stable storage first so a restart never reuses it,
 * and send Prepare to every acceptor.
 */
export function startRound(state: MutablePaxosState, ctx: PaxosContext): void {
  if (state.learned !== null || state.input === null) return;
  state.round = Math.max(state.round, state.highestRoundSeen) + 1;
  ctx.storage.put(ROUND_KEY, state.round);
  ctx.storage.sync();
  // The proposer id makes the number unique; the nonUniqueBallots switch leaves it out.
  state.ballot = { round: state.round, node: ctx.bugs.has('nonUniqueBallots') ? '' : ctx.self };
  state.phase = 'preparing';
  state.promises = [];
  state.highestReported = null;
  state.value = null;
  state.attempts++;
  ctx.setTimer('phaseTimeout', ctx.config.phaseTimeoutMicros);
  sendToAll(state, ctx, { type: 'Prepare', ballot: state.ballot });
}

/**
 * Phase 2a once a majority promised: propose the value of the highest-numbered proposal the
 * promises reported, or this proposer's own value when none reported one (§2.2).
 */
export function handlePromise(
  state: MutablePaxosState,
  ctx: PaxosContext,
  from: NodeId,
  ballot: Ballot,
  accepted: Proposal | null,
): void {
  if (state.phase !== 'preparing' || !sameBallot(ballot, state.ballot)) return;
  if (state.promises.includes(from)) return;
  state.promises.push(from);
  if (accepted !== null && compareBallots(accepted.ballot, state.highestReported?.ballot ?? null) > 0)
    state.highestReported = accepted;
  if (state.promises.length < quorum(ctx.nodes.length)) return;
  const reported = state.highestReported?.value;
  const value = reported !== undefined && !ctx.bugs.has('proposerIgnoresAcceptedValues') ? reported : state.input!;
  state.phase = 'accepting';
  state.value = value;
  ctx.setTimer('phaseTimeout', ctx.config.phaseTimeoutMicros);
  sendToAll(state, ctx, { type: 'Accept', ballot: state.ballot!, value });
}

/** A NACK for the current round: give up on it at once and retry above the promise it carries. */
export function handleNack(state: MutablePaxosState, ctx: PaxosContext, ballot: Ballot, promised: Ballot): void {
  state.highestRoundSeen = Math.max(state.highestRoundSeen, promised.round);
  if ((state.phase !== 'preparing' && state.phase !== 'accepting') || !sameBallot(ballot, state.ballot)) return;
  state.nacks++;
  backOff(state, ctx);
}

/** The round gathered no majority in time (lost messages, a crashed or partitioned majority). */
export function onPhaseTimeout(state: MutablePaxosState, ctx: PaxosContext): void {
  if (state.phase === 'preparing' || state.phase === 'accepting') backOff(state, ctx);
}

/**
 * Waits before the next round. Randomized, the waits of two duelling proposers soon differ enough
 * for one to finish both phases undisturbed (§2.4); fixed, they can duel forever (SPECS.md §4.2).
 */
function backOff(state: MutablePaxosState, ctx: PaxosContext): void {
  state.phase = 'backoff';
  ctx.cancelTimer('phaseTimeout');
  const base = ctx.config.backoffMicros;
  const delay = ctx.config.randomizedBackoff
    ? ctx.random.int(base, Math.max(base, base * 2 ** Math.min(state.attempts, 5) - 1))
    : base;
  ctx.setTimer('propose', delay);
}

/** A client asks this node to propose a value: adopted if the node has none of its own yet. */
export function adoptInput(state: MutablePaxosState, ctx: PaxosContext, value: string): void {
  if (state.input !== null || state.learned !== null) return;
  state.input = value;
  if (state.phase === 'idle') startRound(state, ctx);
}
