import type { ClientRequest } from '@dsim/core';
import type { Ctx, S } from './context.ts';
import { nextId } from './context.ts';
import { ownerOf, responsibleFor } from './members.ts';
import { healthyInstancesOf } from './copies.ts';
import { applyWrite } from './registry.ts';
import type { DistroOp } from './state.ts';

/**
 * A request from a client connected to this node. Reads are answered from the local full copy,
 * whatever the network: that is the availability Distro is for. Writes go through DistroFilter:
 * the responsible node applies them; any other node proxies them to the owner it computes
 * (Nacos 2.x keeps this 1.x-style routing for the HTTP API and IP-port clients, whose tag is
 * hashed; the model follows it because responsibility by hash is the part worth simulating, and a
 * single writer per client is what makes "the owner always wins" hold). Until its snapshot load is
 * done the server status is STARTING and it answers nothing but an error.
 */
export function handleRequest(state: S, request: ClientRequest<DistroOp>, ctx: Ctx): void {
  if (!state.ready) return ctx.respond(request.id, { type: 'fail', error: 'starting' });
  const op = request.op;
  if (op.f === 'read') return ctx.respond(request.id, { type: 'ok', value: healthyInstancesOf(state, op.key) });
  if (responsibleFor(state, op.key, ctx.self)) {
    applyWrite(state, op, ctx);
    return ctx.respond(request.id, { type: 'ok' });
  }
  const owner = ownerOf(state, op.key, ctx.self);
  const id = nextId(state, ctx);
  state.forwards[id] = { requestId: request.id, target: owner };
  ctx.send(owner, { type: 'Forward', id, op });
  ctx.setTimer(`forwardTimeout:${id}`, ctx.config.forwardTimeoutMicros);
}

/**
 * The healthy instances of a service, as the client ids that published them, by a scan of the
 * whole registry: the definition the index reads are answered from (copies.ts) is held equal to.
 */
export function readService(state: Pick<S, 'clients'>, service: string): string[] {
  const ids: string[] = [];
  for (const id of Object.keys(state.clients)) {
    const copy = state.clients[id]!;
    if (copy.instance.service === service && copy.instance.healthy) ids.push(id);
  }
  return ids.sort();
}

/** A proxied write: applied if this node is responsible, else HTTP 400, never forwarded again. */
export function handleForward(state: S, from: string, id: string, op: DistroOp, ctx: Ctx): void {
  if (!state.ready) return ctx.send(from, { type: 'ForwardReply', id, ok: false, error: 'starting' });
  if (op.f === 'read' || !responsibleFor(state, op.key, ctx.self))
    return ctx.send(from, { type: 'ForwardReply', id, ok: false, error: `400: ${ctx.self} is not responsible` });
  applyWrite(state, op, ctx);
  ctx.send(from, { type: 'ForwardReply', id, ok: true });
}

export function handleForwardReply(state: S, id: string, ok: boolean, error: string | undefined, ctx: Ctx): void {
  const pending = state.forwards[id];
  if (!pending) return;
  delete state.forwards[id];
  ctx.cancelTimer(`forwardTimeout:${id}`);
  ctx.respond(pending.requestId, ok ? { type: 'ok' } : { type: 'fail', error: error ?? 'rejected' });
}

/** The proxy timed out: the owner may or may not have applied it. */
export function handleForwardTimeout(state: S, id: string, ctx: Ctx): void {
  const pending = state.forwards[id];
  if (!pending) return;
  delete state.forwards[id];
  ctx.respond(pending.requestId, { type: 'unknown', error: `forward to ${pending.target} timed out` });
}
