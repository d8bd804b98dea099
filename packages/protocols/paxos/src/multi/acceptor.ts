import type { NodeId } from '@dsim/core';
import { compareBallots, type Ballot } from '../ballot.ts';
import { stepDown } from './leader.ts';
import { learnCommit } from './learner.ts';
import type { Command, SlotProposal } from './messages.ts';
import type { MultiPaxosContext, MutableMultiPaxosState } from './state.ts';
import { forEachSlot, slotSet } from './slots.ts';
import { sendTo } from './transport.ts';

export const PROMISED_KEY = 'promised';
export const ACCEPTED_FAMILY = 'accepted';

/** A higher ballot than this node's own: it stops leading or campaigning ("Paxos Made Simple" §3, leader change). */
function yieldTo(state: MutableMultiPaxosState, ctx: MultiPaxosContext, ballot: Ballot): void {
  if (state.role !== 'follower' && compareBallots(ballot, state.ballot) > 0) stepDown(state, ctx, 'a higher ballot');
}

function promise(state: MutableMultiPaxosState, ctx: MultiPaxosContext, ballot: Ballot): void {
  if (compareBallots(ballot, state.promised) === 0) return;
  state.promised = ballot;
  ctx.storage.put(PROMISED_KEY, ballot);
}

/**
 * Phase 1b for every slot from `fromSlot` on (§3): promise, then report every proposal accepted in
 * those slots; the promise is synced before the reply leaves. A lower ballot gets a NACK carrying
 * the promise.
 */
export function handlePrepare(
  state: MutableMultiPaxosState,
  ctx: MultiPaxosContext,
  from: NodeId,
  ballot: Ballot,
  fromSlot: number,
): void {
  if (compareBallots(ballot, state.promised) < 0) {
    sendTo(state, ctx, from, { type: 'Nack', ballot, promised: state.promised! });
    return;
  }
  yieldTo(state, ctx, ballot);
  promise(state, ctx, ballot);
  ctx.storage.sync();
  const accepted: Array<readonly [number, SlotProposal]> = [];
  forEachSlot(state.accepted, fromSlot, (slot, proposal) => accepted.push([slot, proposal]));
  sendTo(state, ctx, from, { type: 'Promise', ballot, accepted });
}

/**
 * Phase 2b for one slot: accept unless a higher ballot was promised, sync, then answer the leader.
 * An Accept also tells a follower who leads (its failure detector hears from the leader) and the
 * leader's commit index.
 */
export function handleAccept(
  state: MutableMultiPaxosState,
  ctx: MultiPaxosContext,
  from: NodeId,
  ballot: Ballot,
  slot: number,
  command: Command,
  commit: number,
): void {
  if (compareBallots(ballot, state.promised) < 0) {
    sendTo(state, ctx, from, { type: 'Nack', ballot, promised: state.promised! });
    return;
  }
  yieldTo(state, ctx, ballot);
  promise(state, ctx, ballot);
  const proposal: SlotProposal = { ballot, command };
  slotSet(state.accepted, slot, proposal);
  if (slot > state.highestAcceptedSlot) state.highestAcceptedSlot = slot;
  state.lastAcceptedBallot = ballot;
  state.acceptCount++;
  ctx.storage.put(ctx.storage.keyAt(ACCEPTED_FAMILY, slot), proposal);
  ctx.storage.sync();
  heardFromLeader(state, ctx, ballot);
  sendTo(state, ctx, from, { type: 'Accepted', ballot, slot });
  learnCommit(state, ctx, ballot, commit);
}

/**
 * A heartbeat from the holder of a ballot at least as high as the promise: follow it and reset the
 * failure detector. A heartbeat below the promise comes from a deposed leader: a NACK tells it so.
 */
export function handleHeartbeat(
  state: MutableMultiPaxosState,
  ctx: MultiPaxosContext,
  from: NodeId,
  ballot: Ballot,
  commit: number,
): void {
  if (compareBallots(ballot, state.promised) < 0) {
    sendTo(state, ctx, from, { type: 'Nack', ballot, promised: state.promised! });
    return;
  }
  yieldTo(state, ctx, ballot);
  heardFromLeader(state, ctx, ballot);
  learnCommit(state, ctx, ballot, commit);
}

function heardFromLeader(state: MutableMultiPaxosState, ctx: MultiPaxosContext, ballot: Ballot): void {
  if (ballot.node === ctx.self) return;
  state.leader = ballot.node;
  state.highestRoundSeen = Math.max(state.highestRoundSeen, ballot.round);
  resetElectionTimer(ctx);
}

/** The failure detector's wait, drawn from [E, 2E) so that suspicious followers rarely campaign at once. */
export function resetElectionTimer(ctx: MultiPaxosContext): void {
  const timeout = ctx.config.electionTimeoutMicros;
  ctx.setTimer('election', ctx.random.int(timeout, 2 * timeout - 1));
}
