import type { ClientRequest, Draft, NodeId } from '@dsim/core';
import { ownerOf, planWrites } from './accounts.ts';
import { participantsOf } from './config.ts';
import { publishFirst } from './choreography.ts';
import { backoff, type TxnContext } from './context.ts';
import type { TxnMessage } from './messages.ts';
import {
  gidKey,
  globalLogKey,
  type CoordinatorState,
  type GidKey,
  type GlobalLogRecord,
  type SagaGlobal,
  type TransferOp,
} from './state.ts';

type State = Draft<CoordinatorState>;
type Saga = Draft<SagaGlobal>;

/**
 * The orchestrating saga coordinator (Garcia-Molina & Salem 1987; DTM's sequential saga; Seata's
 * state-machine engine). Steps run one at a time in order; each is a local transaction committed
 * at once. A step whose result is unknown is retried (forward recovery, idempotent through the
 * barrier) up to `stepRetries` times; a step that fails, or stays unknown, turns the saga around:
 * the completed steps, and the unknown one, are compensated in reverse order (backward recovery),
 * each retried with back-off until acknowledged (DTM: compensations must eventually succeed).
 * The failed step is compensated too, as DTM does (SPECS §2.6): it changed nothing, so the barrier
 * makes its compensation empty, but the compensation leaves the action's row behind, and that row
 * refuses a retried copy of the action still in flight, which could otherwise succeed later, when
 * the balance allows it, and never be undone. (Seata skips FA states and relies on business code.)
 */
export function beginSaga(state: State, request: ClientRequest<TransferOp>, ctx: TxnContext): void {
  const writes = planWrites(request.op.value, participantsOf(ctx.nodes));
  if (typeof writes === 'string') return ctx.respond(request.id, { type: 'fail', error: writes });
  const gid = state.nextGid++;
  const steps = writes.map((write) => ({ participant: ownerOf(write.account), write }));
  ctx.storage.put('nextGid', state.nextGid);
  const saga: SagaGlobal = {
    gid,
    steps,
    phase: 'running',
    current: 0,
    status: steps.map(() => 'pending'),
    compensated: steps.map(() => false),
    attempts: 0,
    request: request.id,
    reads: {},
  };
  state.saga[gidKey(gid)] = saga as Saga;
  persist(state.saga[gidKey(gid)]!, ctx);
  sendAction(state.saga[gidKey(gid)]!, ctx);
}

function persist(saga: Saga, ctx: TxnContext): void {
  const record: GlobalLogRecord = {
    kind: 'saga',
    gid: saga.gid,
    steps: saga.steps,
    phase: saga.phase,
    status: [...saga.status],
    compensated: [...saga.compensated],
  };
  ctx.storage.put(globalLogKey(saga.gid), record);
  ctx.storage.sync();
}

/** A `set`, or a repeated `read`, carries the value this saga read from the account before. */
function sendAction(saga: Saga, ctx: TxnContext): void {
  const step = saga.steps[saga.current]!;
  const read = saga.reads[step.write.account];
  const write = step.write.op !== undefined && read !== undefined ? { ...step.write, expected: read } : step.write;
  ctx.send(step.participant, { type: 'Action', gid: saga.gid, step: saga.current, write });
  ctx.setTimer(`step:${gidKey(saga.gid)}`, ctx.config.stepTimeoutMicros);
}

export function handleActionResult(
  state: State,
  _from: NodeId,
  msg: Extract<TxnMessage, { type: 'ActionResult' }>,
  ctx: TxnContext,
): void {
  const saga = state.saga[gidKey(msg.gid)];
  if (saga?.phase !== 'running' || msg.step !== saga.current) return;
  ctx.cancelTimer(`step:${gidKey(saga.gid)}`);
  saga.attempts = 0;
  if (!msg.ok) {
    saga.status[msg.step] = 'failed';
    return startCompensation(state, saga, `step ${msg.step + 1} failed (${msg.reason})`, ctx);
  }
  saga.status[msg.step] = 'ok';
  const write = saga.steps[msg.step]!.write;
  if (write.op === 'read' && msg.value !== undefined && saga.reads[write.account] === undefined)
    saga.reads[write.account] = msg.value;
  if (saga.current + 1 < saga.steps.length) {
    saga.current++;
    persist(saga, ctx);
    return sendAction(saga, ctx);
  }
  saga.phase = 'succeeded';
  persist(saga, ctx);
  finish(state, saga, ctx);
}

/** No result in time: forward recovery (retry the step), then backward recovery once the retries are spent. */
export function onStepTimeout(state: State, key: GidKey, ctx: TxnContext): void {
  const saga = state.saga[key];
  if (saga?.phase !== 'running') return;
  if (saga.attempts < ctx.config.stepRetries) {
    saga.attempts++;
    return sendAction(saga, ctx);
  }
  // The result stays unknown: DTM assumes a started action succeeded and compensates it (SPECS §2.6).
  saga.status[saga.current] = 'unknown';
  startCompensation(state, saga, `step ${saga.current + 1} unknown after ${saga.attempts + 1} attempts`, ctx);
}

function needsCompensation(saga: Saga, step: number): boolean {
  return saga.status[step] !== 'pending' && !saga.compensated[step];
}

/** The next step to compensate: the latest completed one (the earliest under compensateForwardOrder), or -1. */
function nextToCompensate(saga: Saga, ctx: TxnContext): number {
  if (ctx.bugs.has('compensateForwardOrder')) {
    for (let step = 0; step < saga.steps.length; step++) if (needsCompensation(saga, step)) return step;
    return -1;
  }
  for (let step = saga.steps.length - 1; step >= 0; step--) if (needsCompensation(saga, step)) return step;
  return -1;
}

function startCompensation(state: State, saga: Saga, why: string, ctx: TxnContext): void {
  saga.phase = 'compensating';
  saga.attempts = 0;
  persist(saga, ctx);
  ctx.annotate(`${ctx.self} compensates g=${saga.gid}: ${why}`, { kind: 'compensate', gid: saga.gid });
  if (saga.request !== null) {
    ctx.respond(saga.request, { type: 'fail', error: `g=${saga.gid} compensated: ${why}` });
    saga.request = null;
  }
  compensateNext(state, saga, ctx);
}

function compensateNext(state: State, saga: Saga, ctx: TxnContext): void {
  const step = nextToCompensate(saga, ctx);
  if (step < 0) {
    saga.phase = 'compensated';
    persist(saga, ctx);
    return finish(state, saga, ctx);
  }
  saga.current = step;
  sendCompensation(state, saga, ctx);
}

function sendCompensation(state: State, saga: Saga, ctx: TxnContext): void {
  const step = saga.steps[saga.current]!;
  ctx.send(step.participant, { type: 'Compensate', gid: saga.gid, step: saga.current, write: step.write });
  state.compensationsRun++;
  // Bug sagaNoCompensationRetry: fire and forget. A lost compensation is never applied.
  if (!ctx.bugs.has('sagaNoCompensationRetry')) ctx.setTimer(`retry:${gidKey(saga.gid)}`, backoff(ctx, saga.attempts));
}

export function handleCompensateAck(
  state: State,
  _from: NodeId,
  msg: Extract<TxnMessage, { type: 'CompensateAck' }>,
  ctx: TxnContext,
): void {
  const saga = state.saga[gidKey(msg.gid)];
  if (saga?.phase !== 'compensating' || msg.step !== saga.current || saga.compensated[msg.step]) return;
  ctx.cancelTimer(`retry:${gidKey(saga.gid)}`);
  saga.compensated[msg.step] = true;
  saga.attempts = 0;
  persist(saga, ctx);
  compensateNext(state, saga, ctx);
}

/** Compensation retry (DTM: exponential back-off, forever). */
export function onCompensationRetry(state: State, key: GidKey, ctx: TxnContext): void {
  const saga = state.saga[key];
  if (saga?.phase !== 'compensating') return;
  saga.attempts++;
  state.phaseTwoRetries++;
  sendCompensation(state, saga, ctx);
}

function finish(state: State, saga: Saga, ctx: TxnContext): void {
  ctx.cancelTimer(`step:${gidKey(saga.gid)}`);
  ctx.cancelTimer(`retry:${gidKey(saga.gid)}`);
  if (saga.phase === 'succeeded') {
    state.committed++;
    if (saga.request !== null) ctx.respond(saga.request, { type: 'ok', value: { gid: saga.gid } });
  } else state.aborted++;
  saga.request = null;
  if (ctx.config.countermeasures.includes('semantic-lock'))
    for (const participant of new Set(saga.steps.map((step) => step.participant)))
      ctx.send(participant, { type: 'Release', gid: saga.gid });
  state.ended.push({
    gid: saga.gid,
    outcome: saga.phase === 'succeeded' ? 'succeeded' : 'compensated',
    participants: saga.steps.map((step) => step.participant),
  });
  delete state.saga[gidKey(saga.gid)];
}

/**
 * After a restart: a running saga resumes forward from its current step (Seata's engine.forward:
 * re-execute the step whose result is unknown; the barrier makes a repeat harmless); a
 * compensating one resumes its compensations; an ended one is remembered for the invariants.
 */
export function recoverSaga(state: State, record: Extract<GlobalLogRecord, { kind: 'saga' }>, ctx: TxnContext): void {
  const participants = record.steps.map((step) => step.participant);
  if (record.phase === 'succeeded' || record.phase === 'compensated') {
    state.ended.push({ gid: record.gid, outcome: record.phase, participants });
    return;
  }
  const status = [...record.status];
  const current = record.phase === 'running' ? Math.max(0, status.indexOf('pending')) : 0;
  const key = gidKey(record.gid);
  state.saga[key] = {
    gid: record.gid,
    steps: record.steps.map((step) => ({ participant: step.participant, write: { ...step.write } })),
    phase: record.phase,
    current,
    status,
    compensated: [...record.compensated],
    attempts: 0,
    request: null,
    reads: {},
  };
  const saga = state.saga[key]!;
  if (ctx.config.style === 'choreographed') publishFirst(saga, ctx);
  else if (record.phase === 'running') sendAction(saga, ctx);
  else compensateNext(state, saga, ctx);
}
