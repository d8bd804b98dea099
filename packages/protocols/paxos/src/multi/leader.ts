import type { NodeId } from '@dsim/core';
import { compareBallots, quorum, sameBallot, type Ballot } from '../ballot.ts';
import { resetElectionTimer } from './acceptor.ts';
import { choose } from './learner.ts';
import { copyCommand, type Command, type SlotProposal } from './messages.ts';
import type { MultiPaxosContext, MutableMultiPaxosState } from './state.ts';
import { slotGet } from './slots.ts';
import { sendToAll } from './transport.ts';

export const ROUND_KEY = 'round';

/**
 * The failure detector fired (no leader heard from in time), or a campaign got no majority: run
 * phase 1 with a ballot above every ballot seen, for every slot from the first one this node does
 * not know is chosen ("Paxos Made Simple" §3). The round is on stable storage before Prepare leaves.
 */
export function campaign(state: MutableMultiPaxosState, ctx: MultiPaxosContext): void {
  if (state.role === 'leader') return;
  state.round = Math.max(state.round, state.highestRoundSeen, state.promised?.round ?? 0) + 1;
  ctx.storage.put(ROUND_KEY, state.round);
  ctx.storage.sync();
  state.role = 'candidate';
  state.leader = null;
  state.ballot = { round: state.round, node: ctx.self };
  state.promises = [];
  state.reported = {};
  state.fromSlot = state.commitIndex + 1;
  resetElectionTimer(ctx);
  sendToAll(state, ctx, { type: 'Prepare', ballot: state.ballot, fromSlot: state.fromSlot });
}

export function handlePromise(
  state: MutableMultiPaxosState,
  ctx: MultiPaxosContext,
  from: NodeId,
  ballot: Ballot,
  accepted: ReadonlyArray<readonly [number, SlotProposal]>,
): void {
  state.highestRoundSeen = Math.max(state.highestRoundSeen, ballot.round);
  if (state.role !== 'candidate' || !sameBallot(ballot, state.ballot) || state.promises.includes(from)) return;
  state.promises.push(from);
  for (const [slot, proposal] of accepted) {
    const known = state.reported[slot];
    if (known === undefined || compareBallots(proposal.ballot, known.ballot) > 0) state.reported[slot] = proposal;
  }
  if (state.promises.length >= quorum(ctx.nodes.length)) becomeLeader(state, ctx);
}

/**
 * Phase 1 is done. Recovery (§3): for every slot from `fromSlot` up to the highest one reported,
 * re-propose the highest-ballot value reported there, or a no-op where nothing was reported, so
 * that execution in slot order can proceed. Then new commands take the slots after it.
 */
function becomeLeader(state: MutableMultiPaxosState, ctx: MultiPaxosContext): void {
  state.role = 'leader';
  state.leader = ctx.self;
  state.inFlight = {};
  state.pending = {};
  ctx.cancelTimer('election');
  if (ctx.bugs.has('newLeaderSkipsRecovery')) {
    // The bug: start after this node's own last slot, trusting its own log.
    state.nextSlot = Math.max(state.commitIndex, state.highestAcceptedSlot) + 1;
  } else {
    let last = state.commitIndex;
    for (const key in state.reported) last = Math.max(last, Number(key));
    state.nextSlot = state.fromSlot;
    for (let slot = state.fromSlot; slot <= last; slot++) {
      const known = slotGet(state.chosen, slot);
      const reported = state.reported[slot];
      if (known !== undefined) propose(state, ctx, known);
      else if (reported !== undefined) {
        state.recoveredSlots++;
        propose(state, ctx, reported.command);
      } else {
        state.noopFills++;
        propose(state, ctx, { kind: 'noop' });
      }
    }
  }
  state.reported = {};
  ctx.annotate(`leads with ballot ${state.ballot!.round}.${ctx.self} from slot ${state.fromSlot}`);
  ctx.broadcast({ type: 'Heartbeat', ballot: state.ballot!, commit: state.commitIndex });
  ctx.setTimer('heartbeat', ctx.config.heartbeatIntervalMicros);
}

/** Phase 2 for the next slot: one Accept round trip per command (§3, steady state). */
export function propose(
  state: MutableMultiPaxosState,
  ctx: MultiPaxosContext,
  command: Command,
  request?: string,
): number {
  const slot = state.nextSlot++;
  command = copyCommand(command);
  state.inFlight[slot] = { command, acks: [], sentAt: ctx.now() };
  if (request !== undefined) state.pending[slot] = request;
  sendToAll(state, ctx, { type: 'Accept', ballot: state.ballot!, slot, command, commit: state.commitIndex });
  return slot;
}

/** A majority accepted the slot under this leader's ballot: the command is chosen. */
export function handleAccepted(
  state: MutableMultiPaxosState,
  ctx: MultiPaxosContext,
  from: NodeId,
  ballot: Ballot,
  slot: number,
): void {
  if (state.role !== 'leader' || !sameBallot(ballot, state.ballot)) return;
  const proposal = state.inFlight[slot];
  if (proposal === undefined || proposal.acks.includes(from)) return;
  proposal.acks.push(from);
  if (proposal.acks.length < quorum(ctx.nodes.length)) return;
  delete state.inFlight[slot];
  choose(state, ctx, slot, proposal.command);
}

/** A NACK for this node's ballot: someone promised a higher one, so stop leading or campaigning. */
export function handleNack(
  state: MutableMultiPaxosState,
  ctx: MultiPaxosContext,
  ballot: Ballot,
  promised: Ballot,
): void {
  state.highestRoundSeen = Math.max(state.highestRoundSeen, promised.round);
  if (state.role === 'follower' || !sameBallot(ballot, state.ballot)) return;
  state.nacks++;
  stepDown(state, ctx, `a NACK carrying ${promised.round}.${promised.node}`);
  state.leader = promised.node === ctx.self ? null : promised.node;
}

/**
 * Stops leading or campaigning. The clients waiting on in-flight slots hear "unknown": a later
 * leader's recovery may still choose their commands.
 */
export function stepDown(state: MutableMultiPaxosState, ctx: MultiPaxosContext, why: string): void {
  if (state.role === 'leader') ctx.annotate(`stops leading: ${why}`);
  for (const key in state.pending)
    ctx.respond(state.pending[Number(key)]!, { type: 'unknown', error: `the leader ${ctx.self} stepped down` });
  state.role = 'follower';
  state.ballot = null;
  state.promises = [];
  state.reported = {};
  state.inFlight = {};
  state.pending = {};
  ctx.cancelTimer('heartbeat');
  resetElectionTimer(ctx);
}

/** The leader's heartbeat: announces its ballot and commit index, and re-sends Accepts that got no majority yet. */
export function onHeartbeat(state: MutableMultiPaxosState, ctx: MultiPaxosContext): void {
  if (state.role !== 'leader') return;
  const ballot = state.ballot!;
  const now = ctx.now();
  const interval = ctx.config.heartbeatIntervalMicros;
  for (const key in state.inFlight) {
    const slot = Number(key);
    const proposal = state.inFlight[slot]!;
    if (now - proposal.sentAt < interval) continue;
    proposal.sentAt = now;
    for (const peer of ctx.peers)
      if (!proposal.acks.includes(peer))
        ctx.send(peer, { type: 'Accept', ballot, slot, command: proposal.command, commit: state.commitIndex });
  }
  ctx.broadcast({ type: 'Heartbeat', ballot, commit: state.commitIndex });
  ctx.setTimer('heartbeat', interval);
}

/** True when `ballot` is this node's own as leader. */
export function leads(state: MutableMultiPaxosState, ballot: Ballot | null): boolean {
  return state.role === 'leader' && compareBallots(ballot, state.ballot) === 0;
}
