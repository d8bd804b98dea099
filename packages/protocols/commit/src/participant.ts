import type { Draft, NodeId } from '@dsim/core';
import { coordinatorOf } from './config.ts';
import { ruleSet, type CommitContext } from './context.ts';
import type { CommitMessage, Decision, Vote, Write } from './messages.ts';
import { applyWrites, releaseLocks, storeBalances, tryLock } from './resources.ts';
import {
  logKey,
  txKey,
  type DecisionSource,
  type ParticipantLogRecord,
  type ParticipantState,
  type ParticipantTx,
  type TxKey,
} from './state.ts';
import { startRound } from './termination.ts';

type State = Draft<ParticipantState>;
type Tx = Draft<ParticipantTx>;

/**
 * A participant (resource manager). 2PC: INIT → READY (voted YES, uncertain) | ABORT → COMMIT | ABORT.
 * 3PC adds COMMITTABLE between UNCERTAIN and COMMIT (Skeen 1981).
 */
export function handlePrepare(
  state: State,
  from: NodeId,
  msg: Extract<CommitMessage, { type: 'Prepare' }>,
  ctx: CommitContext,
): void {
  const key = txKey(msg.tx);
  const decided = state.decisions[key];
  if (decided !== undefined) {
    // A duplicate or late VOTE-REQ. After a unilateral abort the answer is NO, whatever comes later.
    ctx.send(
      from,
      decided === 'commit'
        ? { type: 'Vote', tx: msg.tx, vote: 'yes' }
        : { type: 'Vote', tx: msg.tx, vote: 'no', reason: 'already aborted' },
    );
    return;
  }
  if (state.txs[key]) {
    ctx.send(from, { type: 'Vote', tx: msg.tx, vote: 'yes' });
    return;
  }
  const locked = tryLock(state, msg.tx, msg.writes);
  if (!locked.ok) {
    // Voting NO is a unilateral abort: this site may decide alone because nobody can commit without its YES.
    recordUnilateralAbort(state, ctx, msg.tx, from, msg.participants, msg.writes, 'no');
    ctx.send(from, { type: 'Vote', tx: msg.tx, vote: 'no', reason: locked.reason });
    return;
  }
  // Force-log PREPARED before the YES leaves (Gray; BHG §7.3): once it has promised, this site must be
  // able to commit even after a crash, so the promise and the work must be on disk first.
  ctx.storage.put(logKey(msg.tx), {
    tx: msg.tx,
    coordinator: from,
    participants: [...msg.participants],
    writes: [...msg.writes],
    status: 'prepared',
    vote: 'yes',
  } satisfies ParticipantLogRecord);
  ctx.storage.sync();
  state.txs[key] = {
    tx: msg.tx,
    coordinator: from,
    participants: [...msg.participants],
    writes: [...msg.writes],
    phase: 'uncertain',
    recovered: false,
    blockedSince: null,
    round: null,
    roundsRun: 0,
    backupAwaiting: null,
  };
  ctx.send(from, { type: 'Vote', tx: msg.tx, vote: 'yes' });
  ctx.setTimer(`decide:${key}`, ctx.config.decisionTimeoutMicros);
}

/** PRE-COMMIT from the coordinator, or from a backup under TR4: become COMMITTABLE and ACK. */
export function handlePreCommit(state: State, from: NodeId, tx: number, ctx: CommitContext): void {
  const key = txKey(tx);
  const entry = state.txs[key];
  if (!entry) {
    if (state.decisions[key] === 'commit') ctx.send(from, { type: 'PreCommitAck', tx });
    return;
  }
  if (entry.phase === 'uncertain') {
    entry.phase = 'committable';
    // Forced, so a site that recovers remembers that everyone voted YES: the complete-information rule below reads it.
    ctx.storage.put(logKey(tx), { ...participantRecord(entry), status: 'committable', vote: 'yes' });
    ctx.storage.sync();
  }
  ctx.send(from, { type: 'PreCommitAck', tx });
  // The COMMITTABLE timeout counts from entering the state; a round in progress keeps its own timer.
  if (entry.round === null && entry.backupAwaiting === null)
    ctx.setTimer(`decide:${key}`, ctx.config.decisionTimeoutMicros);
}

/** COMMIT or ABORT, from the coordinator or a backup. Always acknowledged, so the sender can stop resending. */
export function handleDecision(
  state: State,
  from: NodeId,
  msg: Extract<CommitMessage, { type: 'Decision' }>,
  ctx: CommitContext,
): void {
  const key = txKey(msg.tx);
  const entry = state.txs[key];
  if (entry) finish(state, entry, msg.decision, from === entry.coordinator ? 'coordinator' : 'peer', ctx);
  else if (state.decisions[key] === undefined) {
    if (msg.decision === 'abort') recordUnilateralAbort(state, ctx, msg.tx, coordinatorOf(ctx.nodes), [], [], 'none');
    else {
      // Never happens in a correct run: nobody commits without this site's YES. Record it anyway so
      // the validity invariant reports it, instead of silently dropping a commit.
      ctx.annotate(`${ctx.self} told to commit tx=${msg.tx}, which it never voted YES on`);
      recordDecision(state, { tx: msg.tx, decision: 'commit', how: 'coordinator', participants: [], vote: 'none' });
    }
  } else if (state.decisions[key] !== msg.decision) {
    ctx.annotate(`${from} says tx=${msg.tx} ${msg.decision}, but ${ctx.self} already decided ${state.decisions[key]}`);
  }
  ctx.send(from, { type: 'DecisionAck', tx: msg.tx, decision: state.decisions[key] ?? msg.decision });
}

/**
 * No decision within the timeout after voting YES (or after PRE-COMMIT).
 * - 2PC: the participant must not decide alone (READY is adjacent to both COMMIT and ABORT): run
 *   the cooperative termination protocol.
 * - 3PC (Skeen): run the termination protocol.
 * - 3PC (simplified): the default action: abort in UNCERTAIN, commit in COMMITTABLE.
 */
export function onDecisionTimeout(state: State, key: TxKey, ctx: CommitContext): void {
  const entry = state.txs[key];
  if (!entry || entry.round !== null || entry.backupAwaiting !== null) return;
  const rules = ruleSet(state, ctx);
  if (rules === '2pc' && ctx.bugs.has('participantCommitsOnTimeout')) {
    // Bug: a READY participant guesses COMMIT. The coordinator may have aborted (a NO vote, a vote
    // timeout, or presumed abort after a crash), and then this site disagrees with everyone else.
    return finish(state, entry, 'commit', 'bug', ctx);
  }
  if (rules === 'simplified')
    return finish(state, entry, entry.phase === 'committable' ? 'commit' : 'abort', 'default-action', ctx);
  startRound(state, entry, ctx);
}

/** Applies a decision to an undecided transaction: install or discard the writes, release the locks, log. */
export function finish(state: State, entry: Tx, decision: Decision, how: DecisionSource, ctx: CommitContext): void {
  const key = txKey(entry.tx);
  if (decision === 'commit') {
    applyWrites(state, entry.writes);
    storeBalances(ctx.storage, state.balances);
  }
  releaseLocks(state, entry.tx, entry.writes);
  // The decision record and the new balances reach the disk together, before any ACK leaves.
  ctx.storage.put(logKey(entry.tx), {
    ...participantRecord(entry),
    status: decision === 'commit' ? 'committed' : 'aborted',
    vote: 'yes',
    how,
  });
  ctx.storage.sync();
  if (entry.blockedSince !== null) {
    const blockedMicros = ctx.now() - entry.blockedSince;
    state.blockedMicros += blockedMicros;
    state.blockedEpisodes++;
    ctx.annotate(
      `${ctx.self} unblocked tx=${entry.tx} after ${(blockedMicros / 1000).toFixed(1)}ms: ${decision} (${how})`,
      {
        kind: 'unblocked',
        tx: entry.tx,
        participant: ctx.self,
        decision,
        blockedMicros,
      },
    );
  }
  ctx.cancelTimer(`decide:${key}`);
  ctx.cancelTimer(`poll:${key}`);
  ctx.cancelTimer(`backup:${key}`);
  recordDecision(state, { tx: entry.tx, decision, how, participants: [...entry.participants], vote: 'yes' });
  delete state.txs[key];
}

/**
 * Aborts a transaction this site has not voted YES on: a NO vote, or a poll or ABORT about a
 * transaction it never prepared. Forced to disk, because another site may act on it at once
 * (a 2PC peer copies the abort; a later PREPARE must get NO even after a crash).
 */
export function recordUnilateralAbort(
  state: State,
  ctx: CommitContext,
  tx: number,
  coordinator: NodeId,
  participants: readonly NodeId[],
  writes: readonly Write[],
  vote: Vote | 'none',
): void {
  ctx.storage.put(logKey(tx), {
    tx,
    coordinator,
    participants: [...participants],
    writes: [...writes],
    status: 'aborted',
    vote,
    how: 'unilateral',
  } satisfies ParticipantLogRecord);
  ctx.storage.sync();
  recordDecision(state, { tx, decision: 'abort', how: 'unilateral', participants: [...participants], vote });
}

function recordDecision(
  state: State,
  record: { tx: number; decision: Decision; how: DecisionSource; participants: NodeId[]; vote: Vote | 'none' },
): void {
  state.decisions[txKey(record.tx)] = record.decision;
  state.decisionLog.push(record);
  if (record.decision === 'commit') state.committed++;
  else state.aborted++;
}

function participantRecord(entry: Tx): Omit<ParticipantLogRecord, 'status' | 'vote'> {
  return {
    tx: entry.tx,
    coordinator: entry.coordinator,
    participants: [...entry.participants],
    writes: entry.writes.map((write) => ({ ...write })),
  };
}
