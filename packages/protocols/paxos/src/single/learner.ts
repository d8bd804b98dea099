import { quorum, type Ballot } from '../ballot.ts';
import type { MutablePaxosState, PaxosContext } from './state.ts';
import { sendTo } from './transport.ts';
import type { NodeId } from '@dsim/core';

export const LEARNED_KEY = 'learned';

/**
 * A learner counts Accepted messages per proposal; a value is chosen once a majority of acceptors
 * accepted the same proposal ("Paxos Made Simple" §2.3). Proposal numbers are unique, so the tally
 * is by number; the value is part of the key only so that a broken uniqueness rule (the
 * nonUniqueBallots switch) shows up as two tallies instead of one silently mixed.
 */
export function handleAccepted(
  state: MutablePaxosState,
  ctx: PaxosContext,
  from: NodeId,
  ballot: Ballot,
  value: string,
): void {
  if (state.learned !== null) return;
  const key = `${ballot.round}.${ballot.node}|${value}`;
  const voters = (state.tallies[key] ??= []);
  if (!voters.includes(from)) voters.push(from);
  const needed = ctx.bugs.has('learnFromMinority') ? 1 : quorum(ctx.nodes.length);
  if (voters.length >= needed) learn(state, ctx, value);
}

/** Records the learned value (stable, so it is never learned again), answers waiting clients, stops proposing. */
export function learn(state: MutablePaxosState, ctx: PaxosContext, value: string): void {
  if (state.learned !== null) return;
  state.learned = value;
  state.tallies = {};
  ctx.storage.put(LEARNED_KEY, value);
  ctx.storage.sync();
  ctx.cancelTimer('learn');
  ctx.cancelTimer('propose');
  ctx.cancelTimer('phaseTimeout');
  state.phase = 'done';
  for (const request of state.waiting) ctx.respond(request, { type: 'ok', value });
  state.waiting = [];
}

/** A learner that knows nothing asks its peers; those that learned answer (§2.3's relaying learners). */
export function onLearnTimer(state: MutablePaxosState, ctx: PaxosContext): void {
  if (state.learned !== null) return;
  ctx.broadcast({ type: 'WhatIsChosen' });
  ctx.setTimer('learn', ctx.config.learnRetryMicros);
}

export function handleWhatIsChosen(state: MutablePaxosState, ctx: PaxosContext, from: NodeId): void {
  if (state.learned !== null) sendTo(state, ctx, from, { type: 'Chosen', value: state.learned });
}
