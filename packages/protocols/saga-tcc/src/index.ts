import { defineProtocol, type ClientRequest, type Draft, type NodeSummary, type TimerName } from '@dsim/core';
import { sagaCoverage, tccCoverage } from './coverage.ts';
import { sagaBugs, tccBugs, type SagaBug, type TccBug } from './bugs.ts';
import { coordinatorOf, txnDefaults, validateConfig, type TxnConfig } from './config.ts';
import { timers, type TxnContext, type TxnTimer } from './context.ts';
import { familiesOf } from './families.ts';
import { sagaInvariants, tccInvariants } from './invariants.ts';
import { describeMessage, type TxnMessage } from './messages.ts';
import * as choreography from './choreography.ts';
import * as participant from './participant.ts';
import { initNode } from './recovery.ts';
import * as saga from './saga-coordinator.ts';
import type { GidKey, TransferOp, TransferResult, TxnProtocolName, TxnState } from './state.ts';
import * as tcc from './tcc-coordinator.ts';
import { view } from './view.ts';
import { workloads } from './workloads.ts';

function onMessage(state: Draft<TxnState>, from: string, msg: TxnMessage, ctx: TxnContext): void {
  if (state.role === 'coordinator') {
    switch (msg.type) {
      case 'TryResult':
        return tcc.handleTryResult(state, from, msg, ctx);
      case 'PhaseTwoAck':
        return tcc.handlePhaseTwoAck(state, from, msg, ctx);
      case 'ActionResult':
        return saga.handleActionResult(state, from, msg, ctx);
      case 'CompensateAck':
        return saga.handleCompensateAck(state, from, msg, ctx);
      case 'SagaEnded':
        return choreography.handleSagaEnded(state, from, msg, ctx);
      case 'EventAck':
        return choreography.handleEventAckAtEntry(state, msg, ctx);
      default:
        return; // Branch calls go to participants only.
    }
  }
  switch (msg.type) {
    case 'Try':
      return participant.handleTry(state, from, msg, ctx);
    case 'Confirm':
      return participant.handleConfirm(state, from, msg, ctx);
    case 'Cancel':
      return participant.handleCancel(state, from, msg, ctx);
    case 'Action':
      return participant.handleAction(state, from, msg, ctx);
    case 'Compensate':
      return participant.handleCompensate(state, from, msg, ctx);
    case 'Release':
      return participant.handleRelease(state, msg.gid, ctx);
    case 'SagaEvent':
      return choreography.handleSagaEvent(state, from, msg, ctx);
    case 'EventAck':
      return choreography.handleEventAck(state, msg, ctx);
    default:
      return; // Results and acks go to the coordinator only.
  }
}

function onTimer(state: Draft<TxnState>, timer: TimerName<TxnTimer>, ctx: TxnContext): void {
  const colon = timer.indexOf(':');
  const kind = timer.slice(0, colon);
  const key = timer.slice(colon + 1);
  if (state.role === 'participant') {
    if (kind === 'clean') participant.cleanFence(state, key, ctx);
    else if (kind === 'retry') choreography.onOutboxRetry(state, key, ctx);
    return;
  }
  if (kind === 'timeout') tcc.onGlobalTimeout(state, key as GidKey, ctx);
  else if (kind === 'step') saga.onStepTimeout(state, key as GidKey, ctx);
  else if (kind === 'retry') {
    if (state.protocol === 'tcc') tcc.onRetry(state, key as GidKey, ctx);
    else if (ctx.config.style === 'choreographed') choreography.onFirstEventRetry(state, key as GidKey, ctx);
    else saga.onCompensationRetry(state, key as GidKey, ctx);
  }
}

function onRequest(state: Draft<TxnState>, request: ClientRequest<TransferOp>, ctx: TxnContext): void {
  if (state.role !== 'coordinator')
    return ctx.respond(request.id, {
      type: 'fail',
      error: `${ctx.self} is a participant; send transfers to the coordinator`,
      redirect: coordinatorOf(ctx.nodes),
    });
  if (request.op.f !== 'transfer')
    return ctx.respond(request.id, {
      type: 'fail',
      error: `unknown operation '${String(request.op.f)}' (the coordinator takes 'transfer')`,
    });
  if (state.protocol === 'tcc') tcc.beginTcc(state, request, ctx);
  else if (ctx.config.style === 'choreographed') choreography.beginChoreography(state, request, ctx);
  else saga.beginSaga(state, request, ctx);
}

/** Small and flat, for traces: open transactions at the coordinator; frozen amounts and the barrier's work at a participant. */
function summarize(state: TxnState): NodeSummary {
  if (state.role === 'coordinator') {
    const open = [
      ...Object.values(state.tcc).map((global) => `g${global.gid}:${global.phase}`),
      ...Object.values(state.saga).map((one) => `g${one.gid}:${one.phase}@${one.current + 1}`),
    ];
    return {
      role: 'coordinator',
      open: open.join(' '),
      committed: state.committed,
      aborted: state.aborted,
      retries: state.phaseTwoRetries,
    };
  }
  let frozen = 0;
  for (const account in state.frozen) frozen += state.frozen[account]!;
  return {
    role: frozen !== 0 ? 'frozen' : 'participant',
    frozen,
    emptyRollbacks: state.emptyRollbacks,
    suspended: state.suspendedTries,
    duplicates: state.duplicates,
  };
}

function define<Bug extends TccBug | SagaBug>(
  name: TxnProtocolName,
  description: string,
  bugs: Record<Bug, { description: string; breaks: string }>,
) {
  return defineProtocol<TxnState, TxnMessage, TransferOp, TransferResult, TxnConfig, TxnTimer, Bug>({
    name,
    description,
    defaults: txnDefaults,
    timers,
    init: (ctx) => initNode(ctx as unknown as TxnContext, name),
    onMessage: (state, from, msg, ctx) => onMessage(state, from, msg, ctx as unknown as TxnContext),
    onTimer: (state, timer, ctx) => onTimer(state, timer, ctx as unknown as TxnContext),
    onRequest: (state, request, ctx) => onRequest(state, request, ctx as unknown as TxnContext),
    summarize,
    view,
    describeMessage,
    validateConfig,
    invariants: name === 'tcc' ? tccInvariants : sagaInvariants,
    workloads,
    bugs,
    coverage: name === 'tcc' ? tccCoverage : sagaCoverage,
  });
}

/**
 * TCC (Try-Confirm-Cancel) with a transaction manager that logs each global transaction durably,
 * a global timeout that rolls back, phase 2 retried with back-off until every branch acknowledges,
 * and participants guarded by DTM's sub-transaction barrier (Seata's TCC fence) against repeated
 * calls, empty rollbacks and hanging Tries, with fence clean-up (SPECS §2.1–2.4, §7.2).
 */
export const tccProtocol = define<TccBug>(
  'tcc',
  'TCC: Try freezes, Confirm consumes, Cancel releases; the barrier against repeats, empty rollbacks and late Tries',
  tccBugs,
);

/**
 * An orchestrated saga (Garcia-Molina & Salem 1987; DTM's sequential saga): steps in order, forward
 * recovery by retrying a step, backward recovery by compensating the completed steps in reverse
 * order, compensations retried until acknowledged, and the barrier against empty and late
 * compensation (SPECS §2.5–2.6).
 */
export const sagaProtocol = define<SagaBug>(
  'saga',
  'Orchestrated saga: steps in order; on failure, compensations of the completed steps in reverse order',
  sagaBugs,
);

export const families = familiesOf('tcc');
export const sagaFamilies = familiesOf('saga');

export { txnDefaults, tccBugs, sagaBugs, workloads, describeMessage, coordinatorOf, validateConfig };
export { barrierCall, strictBarrier, type BarrierOp, type BarrierRules, type BarrierVerdict } from './barrier.ts';
export { accountsOn, ownerOf, planWrites, groupByParticipant } from './accounts.ts';
export {
  txnSweepScenario,
  AGGRESSIVE_KINDS,
  REORDERING_NETWORK,
  REORDERING_CONFIG,
  type TxnSweepOptions,
} from './families.ts';
export * from './invariants.ts';
export { transfers, scripted } from './workloads.ts';
export type { TxnConfig } from './config.ts';
export type { TxnMessage, Write, BranchReason } from './messages.ts';
export type * from './state.ts';
export type { TccBug, SagaBug, TxnBug } from './bugs.ts';
export default tccProtocol;
export * from './scenario-kit.ts';
export * from './anomaly-scenarios.ts';
export * from './hunts.ts';
