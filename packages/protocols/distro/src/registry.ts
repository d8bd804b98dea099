import type { Ctx, S } from './context.ts';
import { addCopy, markUnhealthy, removeCopy, renewCopy, setInstance, setRevision } from './copies.ts';
import { responsibleFor } from './members.ts';
import { syncChange } from './sync.ts';
import type { DistroOp } from './state.ts';

/**
 * The owner applies a client's write (InstanceOperatorClientImpl): a register creates or replaces
 * the instance; a beat renews it, and for a client it does not know (data lost, ownership moved)
 * a beat with its beat info registers it again; a deregister removes the client. Each change bumps
 * the revision and is pushed to every other member after the sync delay. Beats that change nothing
 * are not pushed.
 */
export function applyWrite(state: S, op: Exclude<DistroOp, { f: 'read' }>, ctx: Ctx): void {
  const now = ctx.now();
  const copy = state.clients[op.key];
  if (op.f === 'deregister') {
    if (!copy) return;
    removeCopy(state, op.key, ctx);
    syncChange(state, op.key, 'delete', ctx);
    return;
  }
  if (!copy) {
    addCopy(
      state,
      {
        id: op.key,
        revision: 1,
        instance: { service: op.value.service, ephemeral: op.value.ephemeral, healthy: true },
        lastBeatLocal: now,
      },
      ctx,
    );
    syncChange(state, op.key, 'change', ctx);
    return;
  }
  renewCopy(state, copy, now);
  const changed =
    (op.f === 'register' &&
      (copy.instance.service !== op.value.service || copy.instance.ephemeral !== op.value.ephemeral)) ||
    !copy.instance.healthy;
  if (!changed) return;
  setInstance(state, copy, { service: op.value.service, ephemeral: op.value.ephemeral, healthy: true });
  setRevision(state, copy, copy.revision + 1);
  syncChange(state, op.key, 'change', ctx);
}

/**
 * ClientBeatCheckTaskV2, every 5 s, only on the responsible node: an instance silent for more than
 * 15 s turns unhealthy (a pushed change); an ephemeral one silent for more than 30 s is deleted
 * (a pushed delete); a persistent one stays, unhealthy. Copies this node does not own and that no
 * verify renewed for the client-expiry time are collected locally (ExpiredClientCleaner): the
 * owner verifies every client it holds, so such a copy is one the owner no longer has.
 */
export function beatCheck(state: S, ctx: Ctx): void {
  ctx.setTimer('beatCheck', ctx.config.beatCheckIntervalMicros);
  if (!state.ready) return;
  const config = ctx.config;
  const now = ctx.now();
  const everyone = ctx.bugs.has('expireWithoutResponsibilityCheck');
  for (const id of Object.keys(state.clients).sort()) {
    const copy = state.clients[id]!;
    const silent = now - copy.lastBeatLocal;
    const owned = responsibleFor(state, id, ctx.self);
    if (!owned && !everyone) {
      // Persistent instances ride Distro in this model (see README), so an orphaned persistent copy
      // is collected like an ephemeral one: only the owner's expiry treats them differently.
      if (silent > config.clientExpiredMicros) {
        removeCopy(state, id, ctx);
        state.stats.collected += 1;
      }
      continue;
    }
    if (copy.instance.ephemeral && silent > config.removeAfterMicros) {
      ctx.annotate(`${ctx.self} expires ${id} after ${(silent / 1e6).toFixed(1)}s without a beat`, {
        client: id,
        silentMicros: silent,
      });
      removeCopy(state, id, ctx);
      state.stats.expiries += 1;
      if (!owned) state.stats.expiriesNotOwned += 1;
      // DistroClientDataProcessor pushes only changes of clients this node is responsible for.
      if (owned) syncChange(state, id, 'delete', ctx);
    } else if (copy.instance.healthy && silent > config.unhealthyAfterMicros) {
      markUnhealthy(state, copy);
      setRevision(state, copy, copy.revision + 1);
      if (owned) syncChange(state, id, 'change', ctx);
    }
  }
}
