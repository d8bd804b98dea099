import type { NodeId } from '@dsim/core';
import { compareBallots, type Ballot } from '../ballot.ts';
import type { Proposal } from './messages.ts';
import type { MutablePaxosState, PaxosContext } from './state.ts';
import { sendTo, sendToAll } from './transport.ts';

/** Stable-storage keys of the acceptor. */
export const PROMISED_KEY = 'promised';
export const ACCEPTED_KEY = 'accepted';

/**
 * Phase 1b ("Paxos Made Simple" §2.2): promise never to accept a proposal numbered below `ballot`,
 * and report the highest-numbered proposal accepted so far. The promise is on stable storage
 * before the reply leaves (§2.3). A Prepare with the number already promised can only be the same
 * proposer's retransmission (numbers are unique), so it gets the same answer again; a lower one
 * gets a NACK carrying the promise, so the proposer can give up early.
 */
export function handlePrepare(state: MutablePaxosState, ctx: PaxosContext, from: NodeId, ballot: Ballot): void {
  if (compareBallots(ballot, state.promised) < 0) return reject(state, ctx, from, ballot);
  state.promised = ballot;
  ctx.storage.put(PROMISED_KEY, ballot);
  ctx.storage.sync();
  sendTo(state, ctx, from, { type: 'Promise', ballot, accepted: state.accepted });
}

/**
 * Phase 2b: accept unless a higher number was promised; the acceptance is on stable storage before
 * Accepted goes to every learner (§2.3: acceptors tell the learners).
 */
export function handleAccept(
  state: MutablePaxosState,
  ctx: PaxosContext,
  from: NodeId,
  ballot: Ballot,
  value: string,
): void {
  if (compareBallots(ballot, state.promised) < 0) return reject(state, ctx, from, ballot);
  const proposal: Proposal = { ballot, value };
  state.promised = ballot;
  state.accepted = proposal;
  ctx.storage.put(PROMISED_KEY, ballot);
  ctx.storage.put(ACCEPTED_KEY, proposal);
  ctx.storage.sync();
  sendToAll(state, ctx, { type: 'Accepted', ballot, value });
}

/** A request below the promise: a NACK carrying the promise, or silence when NACKs are off. */
function reject(state: MutablePaxosState, ctx: PaxosContext, from: NodeId, ballot: Ballot): void {
  if (ctx.config.sendNacks) sendTo(state, ctx, from, { type: 'Nack', ballot, promised: state.promised! });
}
