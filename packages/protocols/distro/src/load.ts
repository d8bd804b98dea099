import type { Ctx, S } from './context.ts';
import { syncDataOf, applySyncData } from './sync.ts';
import type { SyncData } from './state.ts';

/**
 * DistroLoadDataTask: ask the other members in list order for a snapshot; the first that answers
 * is applied and the node starts serving. A member not UP is skipped; a request unanswered within
 * the load timeout moves to the next member; when every member failed, the whole load is retried
 * after the retry delay, without limit.
 */
export function startLoad(state: S, ctx: Ctx): void {
  if (state.ready) return;
  if (state.members.length === 0 || ctx.bugs.has('noLoadOnStart')) {
    becomeReady(state, null, ctx);
    return;
  }
  state.loadCursor = -1;
  requestNext(state, ctx);
}

function requestNext(state: S, ctx: Ctx): void {
  for (let cursor = state.loadCursor + 1; cursor < state.members.length; cursor++) {
    const member = state.members[cursor]!;
    if (member.state !== 'UP') continue;
    state.loadCursor = cursor;
    ctx.send(member.id, { type: 'SnapshotRequest' });
    ctx.setTimer('loadTimeout', ctx.config.loadTimeoutMicros);
    return;
  }
  state.loadCursor = -1;
  ctx.annotate(`${ctx.self} could not load a snapshot from any member; retrying`);
  ctx.setTimer('load', ctx.config.loadRetryDelayMicros);
}

export function handleLoadTimeout(state: S, ctx: Ctx): void {
  if (!state.ready && state.loadCursor >= 0) requestNext(state, ctx);
}

export function handleSnapshotRequest(state: S, from: string, ctx: Ctx): void {
  const clients = Object.keys(state.clients)
    .sort()
    .map((id) => syncDataOf(state.clients[id]!));
  ctx.send(from, { type: 'Snapshot', clients, senderReady: state.ready });
}

export function handleSnapshot(
  state: S,
  from: string,
  clients: readonly SyncData[],
  senderReady: boolean,
  ctx: Ctx,
): void {
  if (state.ready || state.loadCursor < 0 || state.members[state.loadCursor]?.id !== from) return;
  for (const data of clients) applySyncData(state, data, ctx);
  ctx.cancelTimer('loadTimeout');
  state.loadedFromLoadingPeer = !senderReady;
  becomeReady(state, from, ctx);
}

function becomeReady(state: S, from: string | null, ctx: Ctx): void {
  state.ready = true;
  state.loadCursor = -1;
  state.loadedFrom = from;
  ctx.annotate(
    from === null
      ? `${ctx.self} serves without a snapshot`
      : `${ctx.self} loaded ${Object.keys(state.clients).length} clients from ${from}`,
  );
}
