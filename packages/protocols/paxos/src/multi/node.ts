import type { ClientRequest, NodeId, TimerName } from '@dsim/core';
import type { Ballot } from '../ballot.ts';
import { malformedKvOp, type KvOp } from '@dsim/services';
import {
  ACCEPTED_FAMILY,
  PROMISED_KEY,
  handleAccept,
  handleHeartbeat,
  handlePrepare,
  resetElectionTimer,
} from './acceptor.ts';
import { ROUND_KEY, campaign, handleAccepted, handleNack, handlePromise, onHeartbeat, propose } from './leader.ts';
import { CHOSEN_FAMILY, apply, handleCatchUp, handleCatchUpReply } from './learner.ts';
import type { Command, MultiPaxosMessage, SlotProposal } from './messages.ts';
import { slotGet, slotSet, type SlotMap } from './slots.ts';
import type { MultiPaxosContext, MultiPaxosState, MultiPaxosTimer, MutableMultiPaxosState } from './state.ts';

/** The slot numbers stored under `family/`, in numeric order. */
function storedSlots(ctx: MultiPaxosContext, family: string): number[] {
  return ctx.storage
    .keys(`${family}/`)
    .map((key) => Number(key.slice(family.length + 1)))
    .sort((a, b) => a - b);
}

/**
 * Starts or restarts a replica from stable storage: the promise, the accepted proposals, the last
 * round used and the chosen log, which it replays into the key-value map. Every replica starts as
 * a follower; its failure detector starts it campaigning if no leader shows up.
 */
export function init(ctx: MultiPaxosContext): MultiPaxosState {
  const storage = ctx.storage;
  const accepted: SlotMap<SlotProposal> = {};
  let highestAcceptedSlot = 0;
  for (const slot of storedSlots(ctx, ACCEPTED_FAMILY)) {
    slotSet(accepted, slot, storage.get<SlotProposal>(storage.keyAt(ACCEPTED_FAMILY, slot))!);
    highestAcceptedSlot = slot;
  }
  const chosen: SlotMap<Command> = {};
  let commitIndex = 0;
  for (const slot of storedSlots(ctx, CHOSEN_FAMILY))
    slotSet(chosen, slot, storage.get<Command>(storage.keyAt(CHOSEN_FAMILY, slot))!);
  while (slotGet(chosen, commitIndex + 1) !== undefined) commitIndex++;
  const state: MultiPaxosState = {
    promised: ctx.bugs.has('acceptorForgetsPromiseOnRestart') ? null : (storage.get<Ballot>(PROMISED_KEY) ?? null),
    accepted,
    highestAcceptedSlot,
    lastAcceptedBallot: null,
    acceptCount: 0,
    round: storage.get<number>(ROUND_KEY) ?? 0,
    chosen,
    commitIndex,
    appliedIndex: 0,
    learnedCount: 0,
    learnedThisStep: [],
    kv: {},
    sessions: {},
    leaderCommit: commitIndex,
    catchUpAt: Number.NEGATIVE_INFINITY,
    role: 'follower',
    leader: null,
    ballot: null,
    highestRoundSeen: 0,
    promises: [],
    reported: {},
    fromSlot: commitIndex + 1,
    nextSlot: commitIndex + 1,
    inFlight: {},
    pending: {},
    recoveredSlots: 0,
    noopFills: 0,
    nacks: 0,
  };
  resetElectionTimer(ctx);
  // Replays the chosen log; nothing is pending, so nobody is answered.
  apply(state, ctx);
  return state;
}

export function dispatch(
  state: MutableMultiPaxosState,
  ctx: MultiPaxosContext,
  from: NodeId,
  msg: MultiPaxosMessage,
): void {
  switch (msg.type) {
    case 'Prepare':
      return handlePrepare(state, ctx, from, msg.ballot, msg.fromSlot);
    case 'Promise':
      return handlePromise(state, ctx, from, msg.ballot, msg.accepted);
    case 'Nack':
      return handleNack(state, ctx, msg.ballot, msg.promised);
    case 'Accept':
      return handleAccept(state, ctx, from, msg.ballot, msg.slot, msg.command, msg.commit);
    case 'Accepted':
      return handleAccepted(state, ctx, from, msg.ballot, msg.slot);
    case 'Heartbeat':
      return handleHeartbeat(state, ctx, from, msg.ballot, msg.commit);
    case 'CatchUp':
      return handleCatchUp(state, ctx, from, msg.fromSlot);
    case 'CatchUpReply':
      return handleCatchUpReply(state, ctx, msg.chosen);
  }
}

export function onTimer(
  state: MutableMultiPaxosState,
  ctx: MultiPaxosContext,
  timer: TimerName<MultiPaxosTimer>,
): void {
  if (timer === 'election') campaign(state, ctx);
  else if (timer === 'heartbeat') onHeartbeat(state, ctx);
}

/**
 * Client requests: the leader puts each one, reads included, in the next slot (a read through the
 * log is linearizable without leases); anyone else refuses with a redirect to the leader it follows.
 */
export function onRequest(state: MutableMultiPaxosState, ctx: MultiPaxosContext, request: ClientRequest<KvOp>): void {
  const problem = malformedKvOp(request.op);
  if (problem !== undefined) return ctx.respond(request.id, { type: 'fail', error: problem });
  if (state.role !== 'leader') {
    return ctx.respond(
      request.id,
      state.leader !== null && state.leader !== ctx.self
        ? { type: 'fail', error: 'not the leader', redirect: state.leader }
        : { type: 'fail', error: 'no leader known' },
    );
  }
  if (Object.keys(state.inFlight).length >= ctx.config.maxInFlightSlots)
    return ctx.respond(request.id, { type: 'fail', error: `${ctx.config.maxInFlightSlots} slots already in flight` });
  const op = request.op;
  const copy: KvOp =
    op.f === 'cas'
      ? { f: 'cas', key: op.key, value: [op.value[0], op.value[1]] }
      : op.f === 'get'
        ? { f: 'get', key: op.key }
        : { f: op.f, key: op.key, value: op.value };
  propose(
    state,
    ctx,
    { kind: 'op', op: copy, client: request.client, seq: request.seq, request: request.id },
    request.id,
  );
}
