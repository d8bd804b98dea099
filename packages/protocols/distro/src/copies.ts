import type { Ctx, S } from './context.ts';
import { isResponsible } from './mapper.ts';
import type { ClientCopy, ClientTally, DistroState, InstanceData } from './state.ts';

/**
 * Every change to which clients the local registry holds, and to their instances, goes through
 * here: additions and removals are counted in the node's stats, so an observer (the run memory of
 * the invariants, the summary) can tell an unchanged key set and its size from the two counters
 * without enumerating the record; the healthy-instance index reads are answered from, and the
 * tally the view shows, stay equal to a scan of the record (readService in requests.ts and
 * tallyOf below are those scans; a test holds them equal after every step).
 */
export function addCopy(state: S, copy: ClientCopy, ctx: Ctx): void {
  state.clients[copy.id] = copy;
  state.stats.clientsAdded += 1;
  if (isResponsible(copy.id, state.healthyList, ctx.self)) state.tally.responsible += 1;
  countInstance(state, copy.id, copy.instance, 1);
}

/** Removes a client's copy, if the registry holds one. */
export function removeCopy(state: S, id: string, ctx: Ctx): void {
  const copy = state.clients[id];
  if (copy === undefined) return;
  countInstance(state, id, copy.instance, -1);
  if (isResponsible(id, state.healthyList, ctx.self)) state.tally.responsible -= 1;
  delete state.clients[id];
  state.stats.clientsRemoved += 1;
}

/**
 * Renews a held copy (a beat applied by the owner, a pushed change, a verify pass). Writes to a
 * copy's renewal time and revision are counted (stats.copyWrites), so an observer knows that no
 * held copy changed without reading them all.
 */
export function renewCopy(state: S, copy: ClientCopy, local: number): void {
  copy.lastBeatLocal = local;
  state.stats.copyWrites += 1;
}

/** Sets a held copy's revision (the owner's change, a pushed change). */
export function setRevision(state: S, copy: ClientCopy, revision: number): void {
  copy.revision = revision;
  state.stats.copyWrites += 1;
}

/** Replaces a held copy's instance (a write by the owner, a pushed change). */
export function setInstance(state: S, copy: ClientCopy, instance: InstanceData): void {
  countInstance(state, copy.id, copy.instance, -1);
  copy.instance = instance;
  countInstance(state, copy.id, instance, 1);
}

/** Marks a held copy's instance unhealthy (the owner's beat check). */
export function markUnhealthy(state: S, copy: ClientCopy): void {
  if (!copy.instance.healthy) return;
  countInstance(state, copy.id, copy.instance, -1);
  copy.instance.healthy = false;
  countInstance(state, copy.id, copy.instance, 1);
}

/** The healthy list changed: responsibility moved, so the responsible count is taken again. */
export function recountResponsible(state: S, self: string): void {
  state.tally.responsible = tallyOf(state, self).responsible;
}

/** How many clients the registry holds, from the counters (no enumeration of the record). */
export function clientCount(state: Pick<DistroState, 'stats'>): number {
  return state.stats.clientsAdded - state.stats.clientsRemoved;
}

/** The healthy instances of a service as the sorted ids of their clients, from the index. */
export function healthyInstancesOf(state: Pick<DistroState, 'healthyByService'>, service: string): string[] {
  const ids = state.healthyByService[service];
  return ids === undefined ? [] : ids.slice();
}

/** The tally by a scan of the whole record: its definition. */
export function tallyOf(state: Pick<DistroState, 'clients' | 'healthyList'>, self: string): ClientTally {
  const tally: ClientTally = { responsible: 0, healthy: 0, persistent: 0 };
  for (const id of Object.keys(state.clients)) {
    const instance = state.clients[id]!.instance;
    if (isResponsible(id, state.healthyList, self)) tally.responsible += 1;
    if (instance.healthy) tally.healthy += 1;
    if (!instance.ephemeral) tally.persistent += 1;
  }
  return tally;
}

/** Counts an instance in (+1) or out (-1) of the tally and the healthy index. */
function countInstance(state: S, id: string, instance: InstanceData, sign: 1 | -1): void {
  if (!instance.ephemeral) state.tally.persistent += sign;
  if (!instance.healthy) return;
  state.tally.healthy += sign;
  if (sign > 0) indexHealthy(state, instance.service, id);
  else unindexHealthy(state, instance.service, id);
}

/** Inserts a client id into its service's sorted list (code-unit order, as Array.prototype.sort). */
function indexHealthy(state: S, service: string, id: string): void {
  const ids = (state.healthyByService[service] ??= []);
  let at = ids.length;
  while (at > 0 && ids[at - 1]! > id) at--;
  ids.splice(at, 0, id);
}

function unindexHealthy(state: S, service: string, id: string): void {
  const ids = state.healthyByService[service];
  if (ids === undefined) return;
  const at = ids.indexOf(id);
  if (at >= 0) ids.splice(at, 1);
}
