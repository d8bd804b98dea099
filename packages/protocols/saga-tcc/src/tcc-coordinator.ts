import type { ClientRequest, Draft, NodeId } from '@dsim/core';
import { groupByParticipant, planWrites } from './accounts.ts';
import { participantsOf } from './config.ts';
import { backoff, type TxnContext } from './context.ts';
import type { TxnMessage } from './messages.ts';
import {
  gidKey,
  globalLogKey,
  type CoordinatorState,
  type GlobalLogRecord,
  type GidKey,
  type TccGlobal,
  type TccHow,
  type TransferOp,
} from './state.ts';

type State = Draft<CoordinatorState>;
type Global = Draft<TccGlobal>;

/**
 * The TCC transaction manager (Seata's TC driven by the TM; DTM's server). The global transaction
 * log is forced before every message that depends on it: the begin record before the first Try,
 * the phase-2 decision before the first Confirm or Cancel (Seata's global session store, DTM's
 * trans_global row). Phase 2 is retried with back-off until every branch acknowledges (SPECS §2.3
 * step 4: retry forever; DTM: Confirm and Cancel must eventually succeed).
 */
export function beginTcc(state: State, request: ClientRequest<TransferOp>, ctx: TxnContext): void {
  const writes = planWrites(request.op.value, participantsOf(ctx.nodes));
  if (typeof writes === 'string') return ctx.respond(request.id, { type: 'fail', error: writes });
  if (writes.some((write) => write.op !== undefined))
    return ctx.respond(request.id, {
      type: 'fail',
      error: "TCC branches take increments only: 'read' and 'set' steps are for sagas",
    });
  const gid = state.nextGid++;
  const branches = groupByParticipant(writes, participantsOf(ctx.nodes));
  ctx.storage.put('nextGid', state.nextGid);
  log(ctx, { kind: 'tcc', gid, branches, phase: 'trying', how: null });
  ctx.storage.sync();
  state.tcc[gidKey(gid)] = { gid, branches, phase: 'trying', how: null, done: [], retries: 0, request: request.id };
  for (const branch of branches) ctx.send(branch.participant, { type: 'Try', gid, writes: branch.writes });
  ctx.setTimer(`timeout:${gidKey(gid)}`, ctx.config.globalTimeoutMicros);
}

function log(ctx: TxnContext, record: GlobalLogRecord): void {
  ctx.storage.put(globalLogKey(record.gid), record);
}

export function handleTryResult(
  state: State,
  from: NodeId,
  msg: Extract<TxnMessage, { type: 'TryResult' }>,
  ctx: TxnContext,
): void {
  const global = state.tcc[gidKey(msg.gid)];
  if (global?.phase !== 'trying' || global.done.includes(from)) return;
  if (!msg.ok) return startPhaseTwo(state, global, 'try-failed', ctx);
  global.done.push(from);
  if (global.done.length === global.branches.length) startPhaseTwo(state, global, 'all-tried', ctx);
}

/** The global timeout: a transaction still trying is rolled back (Seata TimeoutRollbacking; DTM TimeoutToFail). */
export function onGlobalTimeout(state: State, key: GidKey, ctx: TxnContext): void {
  const global = state.tcc[key];
  if (global?.phase === 'trying') startPhaseTwo(state, global, 'timeout', ctx);
}

/** Decides: force the decision, answer the client, and send Confirm or Cancel to every branch. */
export function startPhaseTwo(state: State, global: Global, how: TccHow, ctx: TxnContext): void {
  const confirm = how === 'all-tried';
  global.phase = confirm ? 'confirming' : 'cancelling';
  global.how = how;
  global.done = [];
  global.retries = 0;
  ctx.cancelTimer(`timeout:${gidKey(global.gid)}`);
  log(ctx, { kind: 'tcc', gid: global.gid, branches: global.branches, phase: global.phase, how });
  ctx.storage.sync();
  ctx.annotate(`${ctx.self} ${confirm ? 'confirms' : 'cancels'} g=${global.gid} (${how})`, {
    kind: 'decision',
    gid: global.gid,
    decision: confirm ? 'confirm' : 'cancel',
    how,
  });
  if (global.request !== null) {
    ctx.respond(
      global.request,
      confirm
        ? { type: 'ok', value: { gid: global.gid } }
        : { type: 'fail', error: `g=${global.gid} cancelled (${how})` },
    );
    global.request = null;
  }
  sendPhaseTwo(global, ctx);
}

/** Sends Confirm or Cancel to every branch that has not acknowledged. Cancel goes to every branch, tried or not. */
function sendPhaseTwo(global: Global, ctx: TxnContext): void {
  for (const branch of global.branches) {
    if (global.done.includes(branch.participant)) continue;
    ctx.send(branch.participant, {
      type: global.phase === 'confirming' ? 'Confirm' : 'Cancel',
      gid: global.gid,
      writes: branch.writes,
    });
  }
  ctx.setTimer(`retry:${gidKey(global.gid)}`, backoff(ctx, global.retries));
}

export function handlePhaseTwoAck(
  state: State,
  from: NodeId,
  msg: Extract<TxnMessage, { type: 'PhaseTwoAck' }>,
  ctx: TxnContext,
): void {
  const global = state.tcc[gidKey(msg.gid)];
  if (!global || global.done.includes(from)) return;
  if (global.phase !== (msg.op === 'confirm' ? 'confirming' : 'cancelling')) return;
  // A branch whose fence was cleaned answers unknown-branch. Seata calls RecordNotExists retryable and
  // then retries forever (SPECS §2.3, clean-up); it is taken as done here: a Confirm is sent only after
  // every Try succeeded, and clean-up removes only finished branches, so the row went after the Confirm.
  if (msg.reason === 'unknown-branch')
    ctx.annotate(`${from} no longer knows g=${msg.gid} (fence cleaned after phase 2): taken as done`);
  global.done.push(from);
  if (global.done.length === global.branches.length) end(state, global, ctx);
}

/** Phase 2 retry: resend to the branches still silent, backing off. */
export function onRetry(state: State, key: GidKey, ctx: TxnContext): void {
  const global = state.tcc[key];
  if (!global || (global.phase !== 'confirming' && global.phase !== 'cancelling')) return;
  global.retries++;
  state.phaseTwoRetries++;
  sendPhaseTwo(global, ctx);
}

function end(state: State, global: Global, ctx: TxnContext): void {
  const confirmed = global.phase === 'confirming';
  global.phase = confirmed ? 'confirmed' : 'cancelled';
  ctx.cancelTimer(`retry:${gidKey(global.gid)}`);
  log(ctx, { kind: 'tcc', gid: global.gid, branches: global.branches, phase: global.phase, how: global.how });
  ctx.storage.sync();
  if (confirmed) state.committed++;
  else state.aborted++;
  state.ended.push({
    gid: global.gid,
    outcome: global.phase,
    participants: global.branches.map((branch) => branch.participant),
  });
  delete state.tcc[gidKey(global.gid)];
}

/**
 * After a restart: a transaction still trying is rolled back at once (the TM that called the Tries
 * is gone; DTM's cron moves a prepared global past TimeoutToFail to aborting); one in phase 2
 * resumes its retries; an ended one is remembered for the invariants.
 */
export function recoverTcc(state: State, record: Extract<GlobalLogRecord, { kind: 'tcc' }>, ctx: TxnContext): void {
  const participants = record.branches.map((branch) => branch.participant);
  if (record.phase === 'confirmed' || record.phase === 'cancelled') {
    state.ended.push({ gid: record.gid, outcome: record.phase, participants });
    return;
  }
  const key = gidKey(record.gid);
  state.tcc[key] = {
    gid: record.gid,
    branches: record.branches.map((branch) => ({ participant: branch.participant, writes: [...branch.writes] })),
    phase: record.phase,
    how: record.how,
    done: [],
    retries: 0,
    request: null,
  };
  if (record.phase === 'trying') startPhaseTwo(state, state.tcc[key]!, 'recovery', ctx);
  else ctx.setTimer(`retry:${key}`, 0);
}
