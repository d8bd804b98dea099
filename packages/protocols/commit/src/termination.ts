import type { Draft, NodeId } from '@dsim/core';
import { coordinatorOf } from './config.ts';
import { backoff, fanOut, ruleSet, type CommitContext } from './context.ts';
import type { CommitMessage, Decision, SiteState } from './messages.ts';
import { finish, recordUnilateralAbort } from './participant.ts';
import {
  logKey,
  txKey,
  type ParticipantLogRecord,
  type ParticipantState,
  type ParticipantTx,
  type TxKey,
} from './state.ts';

type State = Draft<ParticipantState>;
type Tx = Draft<ParticipantTx>;

/**
 * Termination protocols: what an undecided participant does when the decision does not come.
 *
 * Every round polls all other sites of the transaction (the coordinator and the other
 * participants) with a StateRequest and collects StateReports for `pollWindowMicros`.
 *
 * 2PC, cooperative termination (BHG §7.3; SPECS §3.1): copy any decision a site reports (a site
 * that had not voted aborts unilaterally and reports it). If every reachable site is READY, block,
 * holding the locks, and ask again later.
 *
 * 3PC, Skeen's termination protocol (Skeen 1981; BHG §7.5; SPECS §3.2): the operational sites
 * elect a backup coordinator, the lowest id among those that answered. A coordinator that answers
 * undecided has not failed; it is the lowest id, so it stays in charge and the others wait for it.
 * The backup applies, in order: TR1 any aborted → abort; TR2 any committed → commit; TR3 all
 * uncertain → abort; TR4 some committable → PRE-COMMIT the uncertain ones, wait for their ACKs
 * (ignoring the silent), commit. TR1 and TR2 are safe for anyone, so any site applies them to any report.
 *
 * A site that failed after voting and restarted undecided is *recovered*: it never acts as backup
 * and never decides alone (BHG: it must ask). If all sites failed, it waits until every site has
 * answered: with complete information the TR rules are safe again, and the lowest participant applies them.
 */
export function startRound(state: State, entry: Tx, ctx: CommitContext): void {
  const key = txKey(entry.tx);
  entry.roundsRun++;
  entry.round = { number: entry.roundsRun, reports: [] };
  state.terminationRounds++;
  ctx.cancelTimer(`decide:${key}`);
  for (const site of otherSites(entry, ctx.self))
    ctx.send(site, { type: 'StateRequest', tx: entry.tx, round: entry.roundsRun });
  ctx.setTimer(`poll:${key}`, ctx.config.pollWindowMicros);
}

/** The coordinator first, then the other participants in scenario order. */
export function otherSites(entry: Tx | ParticipantTx, self: NodeId): NodeId[] {
  return [entry.coordinator, ...entry.participants.filter((participant) => participant !== self)];
}

/** Answers a poll. A site asked about a transaction it never voted on aborts it first, and says so. */
export function handleStateRequest(
  state: State,
  from: NodeId,
  msg: Extract<CommitMessage, { type: 'StateRequest' }>,
  ctx: CommitContext,
): void {
  const key = txKey(msg.tx);
  const entry = state.txs[key];
  let report: SiteState;
  if (entry) report = entry.phase;
  else {
    if (state.decisions[key] === undefined)
      recordUnilateralAbort(state, ctx, msg.tx, coordinatorOf(ctx.nodes), [], [], 'none');
    report = state.decisions[key] === 'commit' ? 'committed' : 'aborted';
  }
  ctx.send(from, {
    type: 'StateReport',
    tx: msg.tx,
    round: msg.round,
    state: report,
    recovered: entry?.recovered ?? false,
  });
}

export function handleStateReport(
  state: State,
  from: NodeId,
  msg: Extract<CommitMessage, { type: 'StateReport' }>,
  ctx: CommitContext,
): void {
  const entry = state.txs[txKey(msg.tx)];
  if (!entry) return;
  // TR1 / TR2, and 2PC's "copy any decision": a decided site's answer settles it, whatever the round.
  if (msg.state === 'aborted') return finish(state, entry, 'abort', 'peer', ctx);
  if (msg.state === 'committed') return finish(state, entry, 'commit', 'peer', ctx);
  const round = entry.round;
  if (round === null || msg.round !== round.number || round.reports.some((report) => report.from === from)) return;
  round.reports.push({ from, state: msg.state, recovered: msg.recovered });
  if (round.reports.length === otherSites(entry, ctx.self).length) endRound(state, entry, ctx);
}

/** The poll window closed, or every site answered. */
export function endRound(state: State, entry: Tx, ctx: CommitContext): void {
  const round = entry.round;
  if (round === null) return;
  const key = txKey(entry.tx);
  ctx.cancelTimer(`poll:${key}`);
  entry.round = null;
  const reports = round.reports;
  const coordinator = reports.find((report) => report.from === entry.coordinator);
  // The coordinator answered and has not failed: it will decide by its own timeouts. Wait for it.
  if (coordinator && !coordinator.recovered) return waitFor(entry, 'the coordinator', ctx);
  if (ruleSet(state, ctx) === '2pc') return block(state, entry, ctx);
  const operationalPeers = reports
    .filter((report) => report.from !== entry.coordinator && !report.recovered)
    .map((report) => report.from);
  if (!entry.recovered) {
    const backup = entry.participants.find(
      (participant) => participant === ctx.self || operationalPeers.includes(participant),
    )!;
    if (backup !== ctx.self) return waitFor(entry, `backup ${backup}`, ctx);
    return actAsBackup(state, entry, reports, ctx);
  }
  if (operationalPeers.length > 0) return waitFor(entry, `operational ${operationalPeers.join(' ')}`, ctx);
  const complete = reports.length === otherSites(entry, ctx.self).length;
  if (complete && entry.participants[0] === ctx.self) {
    ctx.annotate(
      `${ctx.self}: every site of tx=${entry.tx} failed and is back; with complete information the TR rules are safe again`,
    );
    return actAsBackup(state, entry, reports, ctx);
  }
  if (complete) return waitFor(entry, `recovered backup ${entry.participants[0]}`, ctx);
  block(state, entry, ctx);
}

function waitFor(entry: Tx, whom: string, ctx: CommitContext): void {
  ctx.setTimer(`decide:${txKey(entry.tx)}`, backoff(ctx, entry.roundsRun - 1));
  if (entry.roundsRun === 1) ctx.annotate(`${ctx.self} waits for ${whom} on tx=${entry.tx}`);
}

/**
 * Nobody reachable can decide: block, holding the locks, and ask again later. This is 2PC's
 * blocking window (SPECS §3.1): READY is adjacent to both COMMIT and ABORT, so guessing either is unsafe.
 */
function block(state: State, entry: Tx, ctx: CommitContext): void {
  if (entry.blockedSince === null) {
    entry.blockedSince = ctx.now();
    const locks = entry.writes.map((write) => write.account);
    ctx.annotate(`${ctx.self} blocked on tx=${entry.tx}, holding locks ${locks.join(' ')}`, {
      kind: 'blocked',
      tx: entry.tx,
      participant: ctx.self,
      locks,
    });
  }
  ctx.setTimer(`decide:${txKey(entry.tx)}`, backoff(ctx, entry.roundsRun - 1));
}

/** Backup coordinator: apply TR3 or TR4 (TR1 and TR2 were applied as the reports came in). */
function actAsBackup(
  state: State,
  entry: Tx,
  reports: ReadonlyArray<{ from: NodeId; state: SiteState }>,
  ctx: CommitContext,
): void {
  // Bug terminationIgnoresCommittable: TR4 is dropped and COMMITTABLE counts as UNCERTAIN.
  const committable =
    !ctx.bugs.has('terminationIgnoresCommittable') &&
    (entry.phase === 'committable' || reports.some((report) => report.state === 'committable'));
  if (!committable) {
    ctx.annotate(`${ctx.self} is backup for tx=${entry.tx}: everyone reachable is uncertain, TR3 → abort`);
    return decideAsBackup(state, entry, 'abort', ctx);
  }
  const uncertain = reports
    .filter((report) => report.state === 'uncertain' && report.from !== entry.coordinator)
    .map((report) => report.from);
  ctx.annotate(
    `${ctx.self} is backup for tx=${entry.tx}: someone is committable, TR4 → pre-commit ${uncertain.join(' ') || 'nobody'}, then commit`,
  );
  if (entry.phase === 'uncertain') {
    entry.phase = 'committable';
    const { tx, coordinator, participants, writes } = entry;
    ctx.storage.put(logKey(tx), {
      tx,
      coordinator,
      participants: [...participants],
      writes: writes.map((write) => ({ ...write })),
      status: 'committable',
      vote: 'yes',
    } satisfies ParticipantLogRecord);
    ctx.storage.sync();
  }
  if (uncertain.length === 0) return decideAsBackup(state, entry, 'commit', ctx);
  entry.backupAwaiting = uncertain;
  fanOut(
    state,
    ctx,
    uncertain.map((to) => ({ to, msg: { type: 'PreCommit', tx: entry.tx } })),
  );
  ctx.setTimer(`backup:${txKey(entry.tx)}`, ctx.config.pollWindowMicros);
}

/** TR4: an uncertain site acknowledged the backup's PRE-COMMIT. */
export function handleBackupAck(state: State, from: NodeId, tx: number, ctx: CommitContext): void {
  const entry = state.txs[txKey(tx)];
  if (!entry || entry.backupAwaiting === null) return;
  entry.backupAwaiting = entry.backupAwaiting.filter((site) => site !== from);
  if (entry.backupAwaiting.length === 0) decideAsBackup(state, entry, 'commit', ctx);
}

/** TR4: stop waiting for ACKs; the silent sites are taken for crashed and learn the outcome when they recover. */
export function onBackupTimeout(state: State, key: TxKey, ctx: CommitContext): void {
  const entry = state.txs[key];
  if (entry?.backupAwaiting) decideAsBackup(state, entry, 'commit', ctx);
}

function decideAsBackup(state: State, entry: Tx, decision: Decision, ctx: CommitContext): void {
  const sites = otherSites(entry, ctx.self);
  const tx = entry.tx;
  entry.backupAwaiting = null;
  state.backupDecisions++;
  finish(state, entry, decision, decision === 'commit' ? 'TR4' : 'TR3', ctx);
  fanOut(
    state,
    ctx,
    sites.map((to) => ({ to, msg: { type: 'Decision', tx, decision } })),
  );
}
