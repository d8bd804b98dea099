import type { ClientRequest, Draft, NodeId, Outcome } from '@dsim/core';
import { participantsOf } from './config.ts';
import { backoff, fanOut, ruleSet, type CommitContext } from './context.ts';
import type { CommitMessage, Decision, SiteState } from './messages.ts';
import { planTransfer } from './resources.ts';
import {
  logKey,
  txKey,
  type CoordinatorLogRecord,
  type CoordinatorState,
  type CoordinatorTx,
  type DecisionSource,
  type TransferOp,
  type TransferResult,
  type TxKey,
} from './state.ts';

type State = Draft<CoordinatorState>;
type Tx = Draft<CoordinatorTx>;

/**
 * The coordinator (transaction manager). 2PC: INIT → WAIT → COMMIT | ABORT (Gray 1978; BHG §7.3).
 * 3PC: INIT → WAIT → PRECOMMIT → COMMIT, WAIT → ABORT (Skeen 1981; BHG §7.5).
 */
export function handleTransferRequest(state: State, request: ClientRequest<TransferOp>, ctx: CommitContext): void {
  if (request.op.f !== 'transfer') {
    ctx.respond(request.id, {
      type: 'fail',
      error: `unknown operation '${String(request.op.f)}' (the coordinator takes 'transfer')`,
    });
    return;
  }
  const plan = planTransfer(request.op.value, participantsOf(ctx.nodes));
  if (typeof plan === 'string') {
    ctx.respond(request.id, { type: 'fail', error: plan });
    return;
  }
  const tx = state.nextTx++;
  // Force a begin record before any PREPARE leaves. Textbook presumed abort skips it, but it keeps
  // transaction ids unique across coordinator restarts, and it lets a recovering coordinator abort
  // its in-flight transactions at once instead of waiting for participants to ask.
  ctx.storage.put('nextTx', state.nextTx);
  const record: CoordinatorLogRecord = { tx, participants: plan.participants, status: 'wait' };
  ctx.storage.put(logKey(tx), record);
  ctx.storage.sync();
  state.txs[txKey(tx)] = {
    tx,
    participants: plan.participants,
    phase: 'wait',
    decision: null,
    votes: [],
    acks: [],
    request: request.id,
    recovered: false,
    round: 0,
    resends: 0,
  };
  fanOut(
    state,
    ctx,
    plan.writes.map(({ participant, writes }) => ({
      to: participant,
      msg: { type: 'Prepare', tx, participants: plan.participants, writes },
    })),
  );
  ctx.setTimer(`vote:${txKey(tx)}`, ctx.config.voteTimeoutMicros);
}

export function handleVote(
  state: State,
  from: NodeId,
  msg: Extract<CommitMessage, { type: 'Vote' }>,
  ctx: CommitContext,
): void {
  const tx = state.txs[txKey(msg.tx)];
  // A vote after the decision (late, or duplicated by the network) changes nothing: decisions are final.
  if (!tx || tx.phase !== 'wait' || !tx.participants.includes(from) || tx.votes.some((vote) => vote.from === from))
    return;
  tx.votes.push({ from, vote: msg.vote });
  if (msg.vote === 'no') return decide(state, tx, 'abort', 'vote-no', ctx);
  if (tx.votes.length < tx.participants.length) return;
  ctx.cancelTimer(`vote:${txKey(tx.tx)}`);
  if (ruleSet(state, ctx) === '2pc') return decide(state, tx, 'commit', 'votes', ctx);
  if (ctx.bugs.has('skipPreCommit')) {
    // Bug: 3PC without its buffer state. UNCERTAIN becomes adjacent to COMMIT, breaking Skeen's
    // condition, and a backup that finds everyone UNCERTAIN aborts by TR3 while someone committed.
    return decide(state, tx, 'commit', 'bug', ctx);
  }
  // Everyone voted YES. Force PRECOMMIT before the first PRE-COMMIT leaves: a coordinator that
  // recovers in PRECOMMIT may have made a participant committable, so it must not presume abort.
  tx.phase = 'precommit';
  tx.acks = [];
  ctx.storage.put(logKey(tx.tx), {
    tx: tx.tx,
    participants: [...tx.participants],
    status: 'precommit',
  } satisfies CoordinatorLogRecord);
  ctx.storage.sync();
  fanOut(
    state,
    ctx,
    tx.participants.map((to) => ({ to, msg: { type: 'PreCommit', tx: tx.tx } })),
  );
  ctx.setTimer(`ack:${txKey(tx.tx)}`, ctx.config.ackTimeoutMicros);
}

export function handlePreCommitAck(state: State, from: NodeId, tx: number, ctx: CommitContext): void {
  const entry = state.txs[txKey(tx)];
  if (!entry || entry.phase !== 'precommit' || entry.recovered || entry.acks.includes(from)) return;
  entry.acks.push(from);
  if (entry.acks.length === entry.participants.length) decide(state, entry, 'commit', 'votes', ctx);
}

/** WAIT timed out: some participant never voted, so abort (Gray; SPECS §3.1). */
export function onVoteTimeout(state: State, key: TxKey, ctx: CommitContext): void {
  const tx = state.txs[key];
  if (tx?.phase === 'wait') decide(state, tx, 'abort', 'vote-timeout', ctx);
}

/**
 * PRECOMMIT timed out on some ACK. Skeen/BHG: everyone voted YES, so the silent participants
 * are taken for crashed and the coordinator commits; they learn the outcome when they recover.
 * The simplified variant aborts instead (SPECS §3.2), which is how schedule B splits the outcome.
 */
export function onAckTimeout(state: State, key: TxKey, ctx: CommitContext): void {
  const tx = state.txs[key];
  if (tx?.phase !== 'precommit' || tx.recovered) return;
  decide(state, tx, ruleSet(state, ctx) === 'simplified' ? 'abort' : 'commit', 'ack-timeout', ctx);
}

/**
 * Makes the decision: force-log it (Gray: the commit point is the moment the decision record is on
 * disk), answer the client, tell the participants, and resend until each acknowledges.
 */
export function decide(state: State, tx: Tx, decision: Decision, how: DecisionSource, ctx: CommitContext): void {
  if (tx.phase === 'decided')
    throw new Error(`coordinator: tx=${tx.tx} is already decided (${tx.decision}); a decision is never made twice`);
  const key = txKey(tx.tx);
  tx.phase = 'decided';
  tx.decision = decision;
  tx.acks = [];
  tx.resends = 0;
  ctx.cancelTimer(`vote:${key}`);
  ctx.cancelTimer(`ack:${key}`);
  ctx.cancelTimer(`ask:${key}`);
  if (!ctx.bugs.has('coordinatorForgetsDecision')) {
    ctx.storage.put(logKey(tx.tx), {
      tx: tx.tx,
      participants: [...tx.participants],
      status: decision === 'commit' ? 'committed' : 'aborted',
      how,
    } satisfies CoordinatorLogRecord);
    ctx.storage.sync();
  }
  state.decisions[key] = decision;
  state.decisionLog.push({ tx: tx.tx, decision, how, participants: [...tx.participants] });
  if (decision === 'commit') state.committed++;
  else state.aborted++;
  ctx.annotate(`${ctx.self} decides ${decision} tx=${tx.tx} (${how})`, { kind: 'decision', tx: tx.tx, decision, how });
  if (tx.request !== null) {
    // A decision can come long after the client gave up; the kernel ignores such late answers.
    ctx.respond(
      tx.request,
      decision === 'commit'
        ? { type: 'ok', value: { tx: tx.tx } }
        : { type: 'fail', error: `tx=${tx.tx} aborted (${how})` },
    );
    tx.request = null;
  }
  fanOut(
    state,
    ctx,
    decisionTargets(tx).map((to) => ({ to, msg: { type: 'Decision', tx: tx.tx, decision } })),
  );
  ctx.setTimer(`resend:${key}`, backoff(ctx, 0));
}

/** Who must hear the decision: everyone for COMMIT; for ABORT, everyone but the NO voters, who aborted on their own (SPECS §3.1). */
function decisionTargets(tx: Tx): NodeId[] {
  if (tx.decision === 'commit') return [...tx.participants];
  return tx.participants.filter(
    (participant) => !tx.votes.some((vote) => vote.from === participant && vote.vote === 'no'),
  );
}

export function handleDecisionAck(
  state: State,
  from: NodeId,
  msg: Extract<CommitMessage, { type: 'DecisionAck' }>,
  ctx: CommitContext,
): void {
  const tx = state.txs[txKey(msg.tx)];
  if (!tx || tx.phase !== 'decided' || tx.acks.includes(from)) return;
  if (msg.decision !== tx.decision)
    ctx.annotate(`${from} acknowledged tx=${msg.tx} as ${msg.decision}, but ${ctx.self} decided ${tx.decision}`);
  tx.acks.push(from);
  if (decisionTargets(tx).every((participant) => tx.acks.includes(participant))) end(state, tx, ctx);
}

/** Everyone knows: write END and forget the transaction (Gray). The decision stays in `decisions` for the invariants. */
function end(state: State, tx: Tx, ctx: CommitContext): void {
  const key = txKey(tx.tx);
  ctx.cancelTimer(`resend:${key}`);
  const status = tx.decision === 'commit' ? 'committed' : 'aborted';
  ctx.storage.put(logKey(tx.tx), {
    tx: tx.tx,
    participants: [...tx.participants],
    status,
    ended: true,
  } satisfies CoordinatorLogRecord);
  // With the bug the decision reaches the disk only here, lazily, after everyone has acted on it.
  if (ctx.bugs.has('coordinatorForgetsDecision')) ctx.storage.sync();
  delete state.txs[key];
}

/** No ACK from some participant yet: resend the decision, backing off. Never change it (SPECS §3.1). */
export function onResend(state: State, key: TxKey, ctx: CommitContext): void {
  const tx = state.txs[key];
  if (!tx || tx.phase !== 'decided' || tx.decision === null) return;
  tx.resends++;
  const decision = tx.decision;
  for (const to of decisionTargets(tx))
    if (!tx.acks.includes(to)) ctx.send(to, { type: 'Decision', tx: tx.tx, decision });
  ctx.setTimer(`resend:${key}`, backoff(ctx, tx.resends));
}

/**
 * What the coordinator tells a site that asks. No record at all means the transaction never
 * reached a commit decision here: presumed abort (BHG §7.4).
 */
export function coordinatorReport(
  state: CoordinatorState | State,
  tx: number,
): { state: SiteState; recovered: boolean } {
  const key = txKey(tx);
  const decision = state.decisions[key];
  if (decision !== undefined) return { state: decision === 'commit' ? 'committed' : 'aborted', recovered: false };
  const entry = state.txs[key];
  if (!entry) return { state: 'aborted', recovered: false };
  return entry.phase === 'precommit'
    ? { state: 'committable', recovered: entry.recovered }
    : { state: 'uncertain', recovered: entry.recovered };
}

export function handleStateRequestAtCoordinator(
  state: State,
  from: NodeId,
  msg: Extract<CommitMessage, { type: 'StateRequest' }>,
  ctx: CommitContext,
): void {
  const report = coordinatorReport(state, msg.tx);
  ctx.send(from, {
    type: 'StateReport',
    tx: msg.tx,
    round: msg.round,
    state: report.state,
    recovered: report.recovered,
  });
}

/**
 * A site reports a decision (a recovered 3PC coordinator asked), or a backup coordinator announces
 * one: adopt it if still undecided here. A recovered coordinator in PRECOMMIT never decides alone.
 */
export function learnDecision(state: State, from: NodeId, tx: number, decision: Decision, ctx: CommitContext): void {
  const entry = state.txs[txKey(tx)];
  if (!entry) return;
  if (entry.phase === 'decided') {
    if (entry.decision !== decision)
      ctx.annotate(`${from} says tx=${tx} ${decision}, but ${ctx.self} decided ${entry.decision}`);
    return;
  }
  decide(state, entry, decision, 'peer', ctx);
}

/** A coordinator recovered in PRECOMMIT (Skeen) asks the participants until one of them knows the outcome. */
export function onAsk(state: State, key: TxKey, ctx: CommitContext): void {
  const tx = state.txs[key];
  if (!tx || tx.phase !== 'precommit' || !tx.recovered) return;
  tx.round++;
  for (const to of tx.participants) ctx.send(to, { type: 'StateRequest', tx: tx.tx, round: tx.round });
  ctx.setTimer(`ask:${key}`, backoff(ctx, tx.round - 1));
}
