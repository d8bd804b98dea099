import type { NodeId, Outcome } from '@dsim/core';
import { sameBallot, type Ballot } from '../ballot.ts';
import { executeKv, type KvResult } from '@dsim/services';
import { copyCommand, type Command } from './messages.ts';
import type { MultiPaxosContext, MutableMultiPaxosState } from './state.ts';
import { slotGet, slotSet } from './slots.ts';
import { sendTo } from './transport.ts';

export const CHOSEN_FAMILY = 'chosen';

/**
 * Learns that `command` is chosen in `slot`. A slot is learned once: what was learned is never
 * replaced (a chosen value never changes, §2.1). The chosen log is on stable storage so a restart
 * replays it. Execution follows the slots in order; a gap holds it up (§3).
 */
export function choose(state: MutableMultiPaxosState, ctx: MultiPaxosContext, slot: number, command: Command): void {
  if (slotGet(state.chosen, slot) !== undefined) return;
  command = copyCommand(command);
  slotSet(state.chosen, slot, command);
  state.learnedCount++;
  state.learnedThisStep.push(slot);
  ctx.storage.put(ctx.storage.keyAt(CHOSEN_FAMILY, slot), command);
  while (slotGet(state.chosen, state.commitIndex + 1) !== undefined) state.commitIndex++;
  apply(state, ctx);
}

/**
 * The commit notification: the leader holding `ballot` says every slot up to `commit` is chosen. A
 * slot this node accepted under that same ballot holds the leader's command (one command per slot
 * per ballot), so it is chosen; for the others, ask for the chosen commands (catch-up).
 */
export function learnCommit(
  state: MutableMultiPaxosState,
  ctx: MultiPaxosContext,
  ballot: Ballot,
  commit: number,
): void {
  if (commit > state.leaderCommit) state.leaderCommit = commit;
  for (let slot = state.commitIndex + 1; slot <= commit; slot++) {
    if (slotGet(state.chosen, slot) !== undefined) continue;
    const accepted = slotGet(state.accepted, slot);
    if (accepted !== undefined && sameBallot(accepted.ballot, ballot)) choose(state, ctx, slot, accepted.command);
  }
  if (state.commitIndex < state.leaderCommit && ballot.node !== ctx.self) askToCatchUp(state, ctx, ballot.node);
}

/** At most one catch-up request per heartbeat interval. */
function askToCatchUp(state: MutableMultiPaxosState, ctx: MultiPaxosContext, leader: NodeId): void {
  const now = ctx.now();
  if (now - state.catchUpAt < ctx.config.heartbeatIntervalMicros) return;
  state.catchUpAt = now;
  ctx.send(leader, { type: 'CatchUp', fromSlot: state.commitIndex + 1 });
}

/** Answers a lagging replica with the chosen commands it lacks, up to a batch. */
export function handleCatchUp(
  state: MutableMultiPaxosState,
  ctx: MultiPaxosContext,
  from: NodeId,
  fromSlot: number,
): void {
  const chosen: Array<readonly [number, Command]> = [];
  const last = Math.min(state.commitIndex, fromSlot + ctx.config.catchUpBatchSlots - 1);
  for (let slot = fromSlot; slot <= last; slot++) chosen.push([slot, slotGet(state.chosen, slot)!]);
  if (chosen.length > 0) sendTo(state, ctx, from, { type: 'CatchUpReply', chosen });
}

export function handleCatchUpReply(
  state: MutableMultiPaxosState,
  ctx: MultiPaxosContext,
  chosen: ReadonlyArray<readonly [number, Command]>,
): void {
  for (const [slot, command] of chosen) choose(state, ctx, slot, command);
  state.catchUpAt = Number.NEGATIVE_INFINITY;
}

/** Applies chosen commands in slot order; the leader that proposed a command answers its client. */
export function apply(state: MutableMultiPaxosState, ctx: MultiPaxosContext): void {
  while (state.appliedIndex < state.commitIndex) {
    const slot = state.appliedIndex + 1;
    const command = slotGet(state.chosen, slot)!;
    const outcome = command.kind === 'op' ? applyWithSession(state, command) : undefined;
    state.appliedIndex = slot;
    const request = state.pending[slot];
    if (request === undefined) continue;
    delete state.pending[slot];
    if (outcome !== undefined && command.kind === 'op' && command.request === request) ctx.respond(request, outcome);
    else ctx.respond(request, { type: 'unknown', error: `slot ${slot} holds another command` });
  }
}

/**
 * Client sessions (as Raft's, dissertation §6.3): a request whose (client, seq) was already
 * applied is not applied again; the same request gets the remembered outcome.
 */
function applyWithSession(state: MutableMultiPaxosState, command: Extract<Command, { kind: 'op' }>): Outcome<KvResult> {
  const session = Object.hasOwn(state.sessions, command.client) ? state.sessions[command.client] : undefined;
  if (session !== undefined && command.seq <= session.seq)
    return command.seq === session.seq
      ? session.outcome
      : { type: 'unknown', error: `request ${command.seq} of ${command.client} is older than its session's last` };
  const outcome = executeKv(state.kv, command.op);
  state.sessions[command.client] = { seq: command.seq, outcome };
  return outcome;
}
