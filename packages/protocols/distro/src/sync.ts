import type { Ctx, S } from './context.ts';
import { nextId } from './context.ts';
import { addCopy, removeCopy, renewCopy, setInstance, setRevision } from './copies.ts';
import { memberIsUp, otherMembers, ownerOf } from './members.ts';
import type { DistroMessage, SyncData } from './state.ts';

/**
 * DistroProtocol.sync: one delay task per other member. Adding a task whose key is pending merges
 * (the newer action wins, the first due time stays), so changes inside the window coalesce into
 * one push that later changes do not postpone.
 */
export function syncChange(state: S, client: string, action: 'change' | 'delete', ctx: Ctx): void {
  const targets = ctx.bugs.has('syncOnlyToOwner')
    ? [ownerOf(state, client, ctx.self)].filter((target) => target !== ctx.self)
    : otherMembers(state);
  for (const target of targets) addTask(state, client, target, action, ctx.config.syncDelayMicros, ctx);
}

export function addTask(
  state: S,
  client: string,
  target: string,
  action: 'change' | 'delete',
  delayMicros: number,
  ctx: Ctx,
): void {
  const key = `${client}|${target}`;
  const pending = state.tasks[key];
  if (pending) pending.action = action;
  else state.tasks[key] = { client, target, action, dueLocal: ctx.now() + delayMicros };
  if (!ctx.hasTimer('engine')) ctx.setTimer('engine', ctx.config.engineTickMicros);
}

/** NacosDelayTaskExecuteEngine's scan: every due task becomes a push (state transfer at send time). */
export function runEngine(state: S, ctx: Ctx): void {
  const now = ctx.now();
  for (const key of Object.keys(state.tasks).sort()) {
    const task = state.tasks[key]!;
    if (task.dueLocal > now) continue;
    delete state.tasks[key];
    push(state, task.client, task.target, task.action, ctx);
  }
  if (Object.keys(state.tasks).length > 0) ctx.setTimer('engine', ctx.config.engineTickMicros);
}

function push(state: S, client: string, target: string, action: 'change' | 'delete', ctx: Ctx): void {
  // DistroClientTransportAgent.syncData: a target no longer a member succeeds; one not UP fails.
  if (!state.members.some((member) => member.id === target)) return;
  if (!memberIsUp(state, target)) return retry(state, client, target, action, ctx);
  let msg: DistroMessage;
  const id = nextId(state, ctx);
  if (action === 'change') {
    const copy = state.clients[client];
    if (!copy) return; // DistroSyncChangeTask skips a client that no longer exists
    msg = { type: 'Sync', id, action, data: syncDataOf(copy) };
  } else {
    msg = { type: 'Sync', id, action, client };
  }
  state.inflight[id] = { client, target, action };
  state.stats.pushes += 1;
  ctx.send(target, msg);
  ctx.setTimer(`syncTimeout:${id}`, ctx.config.syncTimeoutMicros);
}

export function syncDataOf(copy: { id: string; revision: number; instance: SyncData['instance'] }): SyncData {
  return { client: copy.id, revision: copy.revision, instance: { ...copy.instance } };
}

/** DistroClientTaskFailedHandler.retry: re-queue after 3 s, merged like any task, no limit. */
function retry(state: S, client: string, target: string, action: 'change' | 'delete', ctx: Ctx): void {
  state.stats.pushRetries += 1;
  addTask(state, client, target, action, ctx.config.syncRetryDelayMicros, ctx);
}

export function handleSyncAck(state: S, id: string, ctx: Ctx): void {
  if (!state.inflight[id]) return;
  delete state.inflight[id];
  ctx.cancelTimer(`syncTimeout:${id}`);
}

export function handleSyncTimeout(state: S, id: string, ctx: Ctx): void {
  const sync = state.inflight[id];
  if (!sync) return;
  delete state.inflight[id];
  retry(state, sync.client, sync.target, sync.action, ctx);
}

/**
 * The receive path (DistroClientDataProcessor.processData): no version is compared, the last push
 * received wins; a change is a full replace of the client's data, a delete removes the client.
 */
export function handleSync(state: S, from: string, msg: Extract<DistroMessage, { type: 'Sync' }>, ctx: Ctx): void {
  state.stats.pushesFrom[from] = (state.stats.pushesFrom[from] ?? 0) + 1;
  if (msg.action === 'change') applySyncData(state, msg.data, ctx);
  else removeCopy(state, msg.client, ctx);
  ctx.send(from, { type: 'SyncAck', id: msg.id });
}

export function applySyncData(state: S, data: SyncData, ctx: Ctx): void {
  const copy = state.clients[data.client];
  if (copy) {
    setRevision(state, copy, data.revision);
    setInstance(state, copy, { ...data.instance });
    renewCopy(state, copy, ctx.now());
  } else {
    addCopy(
      state,
      {
        id: data.client,
        revision: data.revision,
        instance: { ...data.instance },
        lastBeatLocal: ctx.now(),
      },
      ctx,
    );
  }
}
