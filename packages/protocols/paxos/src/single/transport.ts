import type { NodeId } from '@dsim/core';
import type { PaxosMessage } from './messages.ts';
import { dispatch } from './node.ts';
import type { MutablePaxosState, PaxosContext } from './state.ts';

/**
 * Sends a message; a message to this node itself is handled at once, in the same step, as the
 * same process playing two roles would ("Paxos Made Simple" §2.4: one process may be proposer,
 * acceptor and learner). Its storage writes are synced with the step's, before anything leaves.
 */
export function sendTo(state: MutablePaxosState, ctx: PaxosContext, to: NodeId, msg: PaxosMessage): void {
  if (to === ctx.self) dispatch(state, ctx, to, msg);
  else ctx.send(to, msg);
}

/** Sends to every node, this one included (handled first, then the peers in scenario order). */
export function sendToAll(state: MutablePaxosState, ctx: PaxosContext, msg: PaxosMessage): void {
  dispatch(state, ctx, ctx.self, msg);
  ctx.broadcast(msg);
}
