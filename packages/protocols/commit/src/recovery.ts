import type { Draft } from '@dsim/core';
import { coordinatorOf } from './config.ts';
import { ruleSet, type CommitContext } from './context.ts';
import { decide } from './coordinator.ts';
import { loadBalances, storeBalances } from './resources.ts';
import {
  txKey,
  type CommitProtocolName,
  type CommitState,
  type CoordinatorLogRecord,
  type CoordinatorState,
  type ParticipantLogRecord,
  type ParticipantState,
} from './state.ts';

/** Builds a node's state at start and after every restart, from its durable log. */
export function initSite(ctx: CommitContext, protocol: CommitProtocolName): CommitState {
  const boot = (ctx.storage.get<number>('boot') ?? 0) + 1;
  ctx.storage.put('boot', boot);
  const state =
    ctx.self === coordinatorOf(ctx.nodes)
      ? recoverCoordinator(ctx, protocol, boot)
      : recoverParticipant(ctx, protocol, boot);
  ctx.storage.sync();
  return state;
}

/**
 * Coordinator recovery (Gray; BHG §7.4):
 * - a decision record: the decision stands; resend it unless END was written;
 * - no decision (2PC, simplified 3PC, or 3PC still in WAIT): **presumed abort**. Nobody can have
 *   committed, because the commit decision is forced before it is sent;
 * - 3PC in PRECOMMIT (Skeen): some participant may be committable and the termination protocol
 *   may have committed: ask, never decide alone.
 */
function recoverCoordinator(ctx: CommitContext, protocol: CommitProtocolName, boot: number): CoordinatorState {
  const state: CoordinatorState = {
    role: 'coordinator',
    protocol,
    boot,
    nextTx: ctx.storage.get<number>('nextTx') ?? 1,
    decisions: {},
    decisionLog: [],
    fanout: [],
    txs: {},
    committed: 0,
    aborted: 0,
  };
  const draft = state as Draft<CoordinatorState>;
  const rules = ruleSet(state, ctx);
  for (const key of ctx.storage.keys('tx/')) {
    const record = ctx.storage.get<CoordinatorLogRecord>(key)!;
    const entry = {
      tx: record.tx,
      participants: [...record.participants],
      phase: 'wait' as const,
      decision: null,
      votes: [],
      acks: [],
      request: null,
      recovered: true,
      round: 0,
      resends: 0,
    };
    if (record.status === 'committed' || record.status === 'aborted') {
      const decision = record.status === 'committed' ? 'commit' : 'abort';
      state.decisions[txKey(record.tx)] = decision;
      state.decisionLog.push({
        tx: record.tx,
        decision,
        how: record.how ?? 'votes',
        participants: [...record.participants],
      });
      if (decision === 'commit') state.committed++;
      else state.aborted++;
      if (!record.ended) {
        draft.txs[txKey(record.tx)] = { ...entry, phase: 'decided', decision };
        ctx.setTimer(`resend:${txKey(record.tx)}`, 0);
      }
    } else if (record.status === 'precommit' && rules === 'skeen' && !ctx.bugs.has('recoveryPresumesAbort')) {
      draft.txs[txKey(record.tx)] = { ...entry, phase: 'precommit' };
      ctx.annotate(`${ctx.self} recovered in PRECOMMIT for tx=${record.tx}: it must ask, not decide`);
      ctx.setTimer(`ask:${txKey(record.tx)}`, 0);
    } else {
      // Bug recoveryPresumesAbort lands here for 3PC in PRECOMMIT too: 2PC's rule, wrongly reused.
      draft.txs[txKey(record.tx)] = { ...entry };
      decide(
        draft,
        draft.txs[txKey(record.tx)]!,
        'abort',
        ctx.bugs.has('recoveryPresumesAbort') && record.status === 'precommit' ? 'bug' : 'presumed-abort',
        ctx,
      );
    }
  }
  return state;
}

/**
 * Participant recovery (BHG §7.4): balances and decided transactions come back from the log; a
 * transaction PREPARED (or COMMITTABLE) without a decision is in doubt: its locks are taken
 * again (other transactions still must not see its writes) and the site asks the others at once.
 * In the simplified 3PC the default action applies after the timeout, as before the crash.
 */
function recoverParticipant(ctx: CommitContext, protocol: CommitProtocolName, boot: number): ParticipantState {
  const config = ctx.config;
  const balances = loadBalances(ctx.storage, ctx.self, config.accountsPerParticipant, config.initialBalance);
  if (!ctx.storage.has('balances')) storeBalances(ctx.storage, balances);
  const state: ParticipantState = {
    role: 'participant',
    protocol,
    boot,
    decisions: {},
    decisionLog: [],
    fanout: [],
    balances,
    locks: {},
    txs: {},
    blockedMicros: 0,
    blockedEpisodes: 0,
    terminationRounds: 0,
    backupDecisions: 0,
    committed: 0,
    aborted: 0,
  };
  const rules = ruleSet(state, ctx);
  for (const key of ctx.storage.keys('tx/')) {
    const record = ctx.storage.get<ParticipantLogRecord>(key)!;
    if (record.status === 'committed' || record.status === 'aborted') {
      const decision = record.status === 'committed' ? 'commit' : 'abort';
      state.decisions[txKey(record.tx)] = decision;
      state.decisionLog.push({
        tx: record.tx,
        decision,
        how: record.how ?? 'coordinator',
        participants: [...record.participants],
        vote: record.vote,
      });
      if (decision === 'commit') state.committed++;
      else state.aborted++;
      continue;
    }
    for (const write of record.writes) state.locks[write.account] = record.tx;
    state.txs[txKey(record.tx)] = {
      tx: record.tx,
      coordinator: record.coordinator,
      participants: [...record.participants],
      writes: record.writes.map((write) => ({ ...write })),
      phase: record.status === 'committable' ? 'committable' : 'uncertain',
      recovered: true,
      blockedSince: null,
      round: null,
      roundsRun: 0,
      backupAwaiting: null,
    };
    ctx.annotate(
      `${ctx.self} recovered in doubt on tx=${record.tx} (${record.status}), locks ${record.writes.map((write) => write.account).join(' ')} held again`,
    );
    ctx.setTimer(`decide:${txKey(record.tx)}`, rules === 'simplified' ? config.decisionTimeoutMicros : 0);
  }
  return state;
}
