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
  if (to === ctx.self) dispatch(state, ctx, to, plainCopy(msg));
  else ctx.send(to, msg);
}

/** Sends to every node, this one first. */
export function sendToAll(state: MutableMultiPaxosState, ctx: MultiPaxosContext, msg: MultiPaxosMessage): void {
  dispatch(state, ctx, ctx.self, plainCopy(msg));
  ctx.broadcast(msg);
}

/**
 * A message this node handles itself, at once, as a plain copy: it is built from the node's own
 * state, which in the immutable state mode is a draft that ends with the step, and the handler may
 * keep parts of it in the state (an acceptor keeps the ballot and command it accepts). Messages to
 * other nodes are copied by the kernel.
 */
function plainCopy<T>(value: T): T {
  if (Array.isArray(value)) return value.map(plainCopy) as T;
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = plainCopy((value as Record<string, unknown>)[key]);
  return copy as T;
}
