import type { S } from './context.ts';
import type { ClientCopy } from './state.ts';

/**
 * Every change to which clients the local registry holds goes through here, counted in the node's
 * stats, so an observer (the run memory of the invariants) can tell an unchanged key set from the
 * two counters without enumerating the record.
 */
export function addCopy(state: S, copy: ClientCopy): void {
  state.clients[copy.id] = copy;
  state.stats.clientsAdded += 1;
}

/** Removes a client's copy, if the registry holds one. */
export function removeCopy(state: S, id: string): void {
  if (state.clients[id] === undefined) return;
  delete state.clients[id];
  state.stats.clientsRemoved += 1;
}
