import type { NodeId } from '@dsim/core';
import type { MultiPaxosMessage } from './messages.ts';
import { dispatch } from './node.ts';
import type { MultiPaxosContext, MutableMultiPaxosState } from './state.ts';

/** Sends a message; one to this node itself is handled at once, in the same step (one process, several roles). */
export function sendTo(
  state: MutableMultiPaxosState,
  ctx: MultiPaxosContext,
  to: NodeId,
  msg: MultiPaxosMessage,
): void {
  if (to === ctx.self) dispatch(state, ctx, to, msg);
  else ctx.send(to, msg);
}

/** Sends to every node, this one first. */
export function sendToAll(state: MutableMultiPaxosState, ctx: MultiPaxosContext, msg: MultiPaxosMessage): void {
  dispatch(state, ctx, ctx.self, msg);
  ctx.broadcast(msg);
}
