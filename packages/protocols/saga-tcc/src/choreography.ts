import type { ClientRequest, Draft, NodeId } from '@dsim/core';
import { ownerOf, planWrites } from './accounts.ts';
import { participantsOf } from './config.ts';
import { backoff, type TxnContext } from './context.ts';
import type { TxnMessage } from './messages.ts';
import { applyAction, applyCompensation } from './participant.ts';
import {
  gidKey,
  globalLogKey,
  type CoordinatorState,
  type GidKey,
  type GlobalLogRecord,
  type ParticipantState,
  type SagaGlobal,
  type TransferOp,
} from './state.ts';

type SagaEvent = Extract<TxnMessage, { type: 'SagaEvent' }>;

/**
 * A choreographed saga (Garcia-Molina & Salem's saga without a central executor; Richardson §4.2
 * "choreography-based sagas"). The entry node logs the saga and publishes the first event; from
 * then on each participant runs its step and publishes what comes next: the next step, or after a
 * failure the compensation of the previous one, down to step 1, and finally the saga's end to the
 * entry node. Each event is kept in the publisher's durable outbox and resent with back-off until
 * the receiver acknowledges it (transactional outbox, at-least-once), so a repeat must be harmless:
 * the barrier makes it so. A failed step compensates itself (an empty compensation that leaves the
 * action's row, refusing a late copy), as the orchestrator does.
 */
export const eventName = (gid: number, kind: 'do' | 'undo' | 'end', step: number) => `${gidKey(gid)}.${step}.${kind}`;

// ------------------------------------------------------------------ entry node (the coordinator)

export function beginChoreography(
  state: Draft<CoordinatorState>,
  request: ClientRequest<TransferOp>,
  ctx: TxnContext,
): void {
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
  state.saga[gidKey(gid)] = saga as Draft<SagaGlobal>;
  ctx.storage.put(globalLogKey(gid), {
    kind: 'saga',
    gid,
    steps,
    phase: 'running',
    status: saga.status,
    compensated: saga.compensated,
  } satisfies GlobalLogRecord);
  ctx.storage.sync();
  publishFirst(state.saga[gidKey(gid)]!, ctx);
}

/** The first event, resent until the first participant acknowledges it (attempts −1 once handed over). */
export function publishFirst(saga: Draft<SagaGlobal>, ctx: TxnContext): void {
  if (saga.attempts < 0) return;
  ctx.send(saga.steps[0]!.participant, { type: 'SagaEvent', gid: saga.gid, kind: 'do', step: 0, steps: saga.steps });
  ctx.setTimer(`retry:${gidKey(saga.gid)}`, backoff(ctx, saga.attempts));
}

export function onFirstEventRetry(state: Draft<CoordinatorState>, key: GidKey, ctx: TxnContext): void {
  const saga = state.saga[key];
  if (saga?.phase !== 'running' || saga.attempts < 0) return;
  saga.attempts++;
  state.phaseTwoRetries++;
  publishFirst(saga, ctx);
}

export function handleEventAckAtEntry(
  state: Draft<CoordinatorState>,
  msg: Extract<TxnMessage, { type: 'EventAck' }>,
  ctx: TxnContext,
): void {
  const saga = state.saga[gidKey(msg.gid)];
  if (!saga || msg.event !== eventName(msg.gid, 'do', 0)) return;
  saga.attempts = -1;
  ctx.cancelTimer(`retry:${gidKey(msg.gid)}`);
}

/** The last hop says how the saga ended: log it, answer the client, acknowledge (also a repeat). */
export function handleSagaEnded(
  state: Draft<CoordinatorState>,
  from: NodeId,
  msg: Extract<TxnMessage, { type: 'SagaEnded' }>,
  ctx: TxnContext,
): void {
  ctx.send(from, { type: 'EventAck', gid: msg.gid, event: eventName(msg.gid, 'end', -1) });
  const key = gidKey(msg.gid);
  const saga = state.saga[key];
  if (!saga) return;
  ctx.cancelTimer(`retry:${key}`);
  ctx.storage.put(globalLogKey(saga.gid), {
    kind: 'saga',
    gid: saga.gid,
    steps: saga.steps,
    phase: msg.outcome,
    status: [...saga.status],
    compensated: [...saga.compensated],
  } satisfies GlobalLogRecord);
  ctx.storage.sync();
  if (msg.outcome === 'succeeded') state.committed++;
  else state.aborted++;
  if (saga.request !== null)
    ctx.respond(
      saga.request,
      msg.outcome === 'succeeded'
        ? { type: 'ok', value: { gid: saga.gid } }
        : { type: 'fail', error: `g=${saga.gid} compensated` },
    );
  state.ended.push({ gid: saga.gid, outcome: msg.outcome, participants: saga.steps.map((step) => step.participant) });
  delete state.saga[key];
}

// ------------------------------------------------------------------ participants

function publish(state: Draft<ParticipantState>, name: string, to: NodeId, msg: TxnMessage, ctx: TxnContext): void {
  state.outbox[name] = { to, msg, attempts: 0 } as Draft<ParticipantState['outbox'][string]>;
  ctx.storage.put(`outbox/${name}`, { to, msg, attempts: 0 });
  ctx.storage.sync();
  ctx.send(to, msg);
  ctx.setTimer(`retry:${name}`, backoff(ctx, 0));
}

/** What follows step `step` going backward: undo the step before it, or tell the entry node the saga is compensated. */
function publishBackward(state: Draft<ParticipantState>, event: SagaEvent, step: number, ctx: TxnContext): void {
  if (step <= 0) {
    publish(
      state,
      eventName(event.gid, 'end', -1),
      ctx.nodes[0]!,
      { type: 'SagaEnded', gid: event.gid, outcome: 'compensated' },
      ctx,
    );
    return;
  }
  const previous = step - 1;
  publish(
    state,
    eventName(event.gid, 'undo', previous),
    event.steps[previous]!.participant,
    { type: 'SagaEvent', gid: event.gid, kind: 'undo', step: previous, steps: event.steps },
    ctx,
  );
}

export function handleSagaEvent(state: Draft<ParticipantState>, from: NodeId, event: SagaEvent, ctx: TxnContext): void {
  const step = event.steps[event.step]!;
  const name = eventName(event.gid, event.kind, event.step);
  const target = { gid: event.gid, step: event.step, write: step.write };
  if (event.kind === 'do') {
    applyAction(state, target, ctx, (ok, reason) => {
      if (reason === 'duplicate' || reason === 'suspended') return; // already handled, or refused after its compensation
      if (ok && event.step + 1 < event.steps.length) {
        const next = event.step + 1;
        publish(
          state,
          eventName(event.gid, 'do', next),
          event.steps[next]!.participant,
          { type: 'SagaEvent', gid: event.gid, kind: 'do', step: next, steps: event.steps },
          ctx,
        );
      } else if (ok) {
        publish(
          state,
          eventName(event.gid, 'end', -1),
          ctx.nodes[0]!,
          { type: 'SagaEnded', gid: event.gid, outcome: 'succeeded' },
          ctx,
        );
      } else {
        applyCompensation(state, target, ctx, () => undefined);
        publishBackward(state, event, event.step, ctx);
      }
    });
  } else {
    applyCompensation(state, target, ctx, (reason) => {
      if (reason !== 'duplicate') publishBackward(state, event, event.step, ctx);
    });
  }
  ctx.send(from, { type: 'EventAck', gid: event.gid, event: name });
}

export function handleEventAck(
  state: Draft<ParticipantState>,
  msg: Extract<TxnMessage, { type: 'EventAck' }>,
  ctx: TxnContext,
): void {
  if (state.outbox[msg.event] === undefined) return;
  delete state.outbox[msg.event];
  ctx.storage.delete(`outbox/${msg.event}`);
  ctx.storage.sync();
  ctx.cancelTimer(`retry:${msg.event}`);
}

export function onOutboxRetry(state: Draft<ParticipantState>, name: string, ctx: TxnContext): void {
  const entry = state.outbox[name];
  if (!entry) return;
  entry.attempts++;
  ctx.send(entry.to, entry.msg as TxnMessage);
  ctx.setTimer(`retry:${name}`, backoff(ctx, entry.attempts));
}
