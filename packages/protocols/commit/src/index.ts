import {
  defineProtocol,
  type BugSwitch,
  type ClientRequest,
  type Draft,
  type NodeSummary,
  type ProtocolCoverage,
  type TimerName,
} from '@dsim/core';
import { threePhaseCoverage, twoPhaseCoverage } from './coverage.ts';
import { threePhaseBugs, twoPhaseBugs, type ThreePhaseBug, type TwoPhaseBug } from './bugs.ts';
import {
  coordinatorOf,
  participantsOf,
  threePhaseDefaults,
  twoPhaseDefaults,
  validateConfig,
  type CommitConfig,
  type ThreePhaseConfig,
  type ThreePhaseVariant,
} from './config.ts';
import { drainFanout, timers, type CommitContext, type CommitTimer } from './context.ts';
import { view } from './view.ts';
import * as coordinator from './coordinator.ts';
import { invariants, reachability } from './invariants.ts';
import {
  describeMessage,
  type CommitMessage,
  type Decision,
  type SiteState,
  type Vote,
  type Write,
} from './messages.ts';
import * as participant from './participant.ts';
import { initSite } from './recovery.ts';
import type {
  CommitProtocolName,
  CommitState,
  CoordinatorState,
  ParticipantState,
  TransferOp,
  TransferResult,
  TransferValue,
  TxKey,
} from './state.ts';
import * as termination from './termination.ts';
import { workloads } from './workloads.ts';

function onMessage(state: Draft<CommitState>, from: string, msg: CommitMessage, ctx: CommitContext): void {
  if (state.role === 'coordinator') {
    switch (msg.type) {
      case 'Vote':
        return coordinator.handleVote(state, from, msg, ctx);
      case 'PreCommitAck':
        return coordinator.handlePreCommitAck(state, from, msg.tx, ctx);
      case 'DecisionAck':
        return coordinator.handleDecisionAck(state, from, msg, ctx);
      case 'StateRequest':
        return coordinator.handleStateRequestAtCoordinator(state, from, msg, ctx);
      case 'StateReport':
        if (msg.state === 'committed' || msg.state === 'aborted')
          coordinator.learnDecision(state, from, msg.tx, msg.state === 'committed' ? 'commit' : 'abort', ctx);
        return;
      case 'Decision':
        return coordinator.learnDecision(state, from, msg.tx, msg.decision, ctx);
      default:
        return; // Prepare and PreCommit go to participants only.
    }
  }
  switch (msg.type) {
    case 'Prepare':
      return participant.handlePrepare(state, from, msg, ctx);
    case 'PreCommit':
      return participant.handlePreCommit(state, from, msg.tx, ctx);
    case 'PreCommitAck':
      return termination.handleBackupAck(state, from, msg.tx, ctx);
    case 'Decision':
      return participant.handleDecision(state, from, msg, ctx);
    case 'StateRequest':
      return termination.handleStateRequest(state, from, msg, ctx);
    case 'StateReport':
      return termination.handleStateReport(state, from, msg, ctx);
    default:
      return; // Votes and DecisionAcks from a backup's audience need no action.
  }
}

function onTimer(state: Draft<CommitState>, timer: TimerName<CommitTimer>, ctx: CommitContext): void {
  if (timer === 'fanout') return drainFanout(state, ctx);
  const colon = timer.indexOf(':');
  const kind = timer.slice(0, colon);
  const key = timer.slice(colon + 1) as TxKey;
  if (state.role === 'coordinator') {
    if (kind === 'vote') coordinator.onVoteTimeout(state, key, ctx);
    else if (kind === 'ack') coordinator.onAckTimeout(state, key, ctx);
    else if (kind === 'resend') coordinator.onResend(state, key, ctx);
    else if (kind === 'ask') coordinator.onAsk(state, key, ctx);
    return;
  }
  const entry = state.txs[key];
  if (kind === 'decide') participant.onDecisionTimeout(state, key, ctx);
  else if (kind === 'poll' && entry) termination.endRound(state, entry, ctx);
  else if (kind === 'backup') termination.onBackupTimeout(state, key, ctx);
}

/** Small and flat, for traces and the visualizer: who is in doubt, who is blocked, how long blocking has cost. */
function summarize(state: CommitState): NodeSummary {
  if (state.role === 'coordinator') {
    const active = Object.values(state.txs);
    return {
      role: 'coordinator',
      active: active.map((tx) => `${tx.tx}:${tx.phase === 'decided' ? tx.decision : tx.phase}`).join(' '),
      committed: state.committed,
      aborted: state.aborted,
      nextTx: state.nextTx,
    };
  }
  const inDoubt = Object.values(state.txs);
  const blocked = inDoubt.filter((tx) => tx.blockedSince !== null);
  const backup = inDoubt.some((tx) => tx.backupAwaiting !== null);
  return {
    role: blocked.length > 0 ? 'blocked' : backup ? 'backup' : inDoubt.length > 0 ? 'prepared' : 'participant',
    inDoubt: inDoubt.map((tx) => `${tx.tx}:${tx.phase}${tx.recovered ? '*' : ''}`).join(' '),
    blocked: blocked.map((tx) => tx.tx).join(' '),
    locks: Object.keys(state.locks).length,
    blockedMicros: state.blockedMicros,
    committed: state.committed,
    aborted: state.aborted,
  };
}

function onRequest(state: Draft<CommitState>, request: ClientRequest<TransferOp>, ctx: CommitContext): void {
  if (state.role === 'coordinator') return coordinator.handleTransferRequest(state, request, ctx);
  // Clients talk to the coordinator; a participant redirects them.
  ctx.respond(request.id, {
    type: 'fail',
    error: `${ctx.self} is a participant; send transfers to the coordinator`,
    redirect: coordinatorOf(ctx.nodes),
  });
}

/** 2PC and 3PC share every handler; they differ in name, defaults and bug switches. */
function defineCommitProtocol<Config extends CommitConfig, Bug extends string>(
  name: CommitProtocolName,
  description: string,
  defaults: Config,
  bugs: Readonly<Record<Bug, BugSwitch>>,
  coverage: ProtocolCoverage<CommitState>,
) {
  return defineProtocol<CommitState, CommitMessage, TransferOp, TransferResult, Config, CommitTimer, Bug>({
    name,
    description,
    defaults,
    timers,
    init: (ctx) => initSite(ctx as CommitContext, name),
    onMessage: (state, from, msg, ctx) => onMessage(state, from, msg, ctx as CommitContext),
    onTimer: (state, timer, ctx) => onTimer(state, timer, ctx as CommitContext),
    onRequest: (state, request, ctx) => onRequest(state, request, ctx as CommitContext),
    summarize,
    view,
    describeMessage,
    validateConfig,
    invariants,
    workloads,
    bugs,
    coverage,
  });
}

/**
 * Two-phase commit (Gray 1978; BHG ch. 7) with presumed abort, a forced decision record, decision
 * resends until acknowledged, and cooperative termination: a READY participant asks everyone and
 * blocks, holding its locks, when nobody reachable knows the outcome.
 */
export const twoPhaseCommit = defineCommitProtocol<CommitConfig, TwoPhaseBug>(
  '2pc',
  'Two-phase commit: presumed abort, cooperative termination, blocking when the coordinator fails',
  twoPhaseDefaults,
  twoPhaseBugs,
  twoPhaseCoverage,
);

/**
 * Three-phase commit (Skeen 1981; BHG §7.5). `variant: 'skeen'` runs the termination protocol
 * (backup election, TR1–TR4) and is nonblocking under crashes; `variant: 'simplified'` uses the
 * default actions (commit on timeout after PRE-COMMIT, abort on ACK timeout). Neither survives a
 * partition (SPECS §3.3).
 */
export const threePhaseCommit = defineCommitProtocol<ThreePhaseConfig, ThreePhaseBug>(
  '3pc',
  "Three-phase commit: Skeen's termination protocol or the simplified default-action variant",
  threePhaseDefaults,
  threePhaseBugs,
  threePhaseCoverage,
);

export {
  twoPhaseDefaults,
  threePhaseDefaults,
  invariants,
  reachability,
  workloads,
  twoPhaseBugs,
  threePhaseBugs,
  coordinatorOf,
  participantsOf,
  describeMessage,
};
export * from './invariants.ts';
export * from './measurements.ts';
export { transfers, scripted } from './workloads.ts';
export { accountsOn, ownerOf, planTransfer } from './resources.ts';
export type {
  CommitConfig,
  ThreePhaseConfig,
  ThreePhaseVariant,
  CommitMessage,
  Decision,
  Vote,
  SiteState,
  Write,
  CommitState,
  CoordinatorState,
  ParticipantState,
  CommitProtocolName,
  TransferOp,
  TransferValue,
  TransferResult,
};
export default twoPhaseCommit;
export { families, transfersScenario, ALL_KINDS, type TransfersScenarioOptions } from './families.ts';
export { bugHunts } from './hunts.ts';
export { ONE_TRANSFER, FOUR_TRANSFERS, SAFETY_INVARIANTS, scriptedSites } from './scripted-sites.ts';
