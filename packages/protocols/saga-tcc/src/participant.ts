import type { Draft, NodeId } from '@dsim/core';
import { storeAmounts } from './accounts.ts';
import { barrierCall, rowOf, strictBarrier, type BarrierOp, type BarrierRules } from './barrier.ts';
import type { TxnContext } from './context.ts';
import type { BranchReason, TxnMessage, Write } from './messages.ts';
import { gidKey, type Branch, type BranchEffect, type BranchStatus, type ParticipantState } from './state.ts';

type State = Draft<ParticipantState>;

/**
 * A resource participant (Seata's RM / a DTM branch service) over a shard of accounts. Every call
 * goes through the barrier (barrier.ts) unless a bug switch removes it; the business code is the
 * classic TCC account: Try freezes the debit and checks the balance, Confirm consumes the freeze,
 * Cancel releases it. Saga steps apply directly (a local transaction committed at once: no
 * isolation, SPECS §2.5) and compensate by applying the opposite change.
 */

/** Which barrier rules are in force under this run's bug switches. */
function rulesFor(op: BarrierOp, ctx: TxnContext): BarrierRules {
  return {
    checkOwnRow: !(op === 'confirm' && ctx.bugs.has('confirmNotIdempotent')),
    detectEmptyRollback: !(op === 'cancel' && ctx.bugs.has('cancelWithoutTryCheck')),
    blockLateTry: !ctx.bugs.has('tryAfterCancelAllowed'),
  };
}

/** Debits of `writes` summed per account, as positive amounts. */
function debits(writes: readonly Write[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const write of writes) if (write.delta < 0) out.set(write.account, (out.get(write.account) ?? 0) - write.delta);
  return out;
}

function persistAmounts(state: State, ctx: TxnContext): void {
  storeAmounts(ctx.storage, 'balances', state.balances);
  storeAmounts(ctx.storage, 'frozen', state.frozen);
}

function insertRows(state: State, rows: readonly string[], ctx: TxnContext): void {
  for (const row of rows) {
    state.barrier[row] = true;
    ctx.storage.put(`barrier/${row}`, true);
  }
}

function setBranch(
  state: State,
  key: string,
  gid: number,
  step: number | undefined,
  writes: readonly Write[],
  status: BranchStatus,
  ctx: TxnContext,
): void {
  const branch: Branch = {
    gid,
    ...(step === undefined ? {} : { step }),
    writes: [...writes],
    status,
    since: ctx.now(),
  };
  state.branches[key] = branch as Draft<Branch>;
  ctx.storage.put(`branch/${key}`, branch);
}

function record(state: State, effect: BranchEffect): void {
  state.effects.push(effect);
}

/** A branch that reached an end state keeps its rows for the clean-up period (Seata's fence cleanPeriod). */
function scheduleCleanup(state: State, key: string, ctx: TxnContext): void {
  if (state.protocol !== 'tcc') return;
  if (ctx.bugs.has('fenceCleanedEarly')) return cleanFence(state, key, ctx);
  ctx.setTimer(`clean:${key}`, ctx.config.fenceCleanupMicros);
}

/** Deletes a finished branch's barrier rows and record. */
export function cleanFence(state: State, key: string, ctx: TxnContext): void {
  const branch = state.branches[key];
  if (branch === undefined || branch.status === 'tried') return;
  for (const op of ['try', 'confirm', 'cancel'] as const) {
    const row = rowOf(key, op);
    if (state.barrier[row] === undefined) continue;
    delete state.barrier[row];
    ctx.storage.delete(`barrier/${row}`);
  }
  delete state.branches[key];
  ctx.storage.delete(`branch/${key}`);
  state.fencesCleaned++;
  ctx.storage.sync();
}

// ------------------------------------------------------------------ TCC

/** Try: freeze every debit if the available balance (balance − frozen) covers it. */
export function handleTry(
  state: State,
  from: NodeId,
  msg: Extract<TxnMessage, { type: 'Try' }>,
  ctx: TxnContext,
): void {
  const key = gidKey(msg.gid);
  const reply = (ok: boolean, reason: BranchReason) => ctx.send(from, { type: 'TryResult', gid: msg.gid, ok, reason });
  const verdict = ctx.bugs.has('noBarrier')
    ? ({ kind: 'run', rows: [] } as const)
    : barrierCall(state.barrier, key, 'try', rulesFor('try', ctx));
  if (verdict.kind === 'skip') {
    if (verdict.suspended) {
      state.suspendedTries++;
      record(state, { gid: msg.gid, action: 'try', outcome: 'fail', changed: false, reason: 'suspended' });
      ctx.annotate(`${ctx.self} refuses the late Try of g=${msg.gid}: its Cancel already ran (suspension)`, {
        kind: 'suspended',
        gid: msg.gid,
      });
      if (state.branches[key]?.status === 'empty-rolled-back') state.branches[key].status = 'suspended';
      return reply(false, 'suspended');
    }
    state.duplicates++;
    return reply(true, 'duplicate');
  }
  const wanted = debits(msg.writes);
  for (const [account, amount] of wanted) {
    const balance = state.balances[account];
    if (balance === undefined || balance - state.frozen[account]! < amount) {
      record(state, { gid: msg.gid, action: 'try', outcome: 'fail', changed: false, reason: 'insufficient' });
      return reply(false, 'insufficient');
    }
  }
  for (const [account, amount] of wanted) state.frozen[account]! += amount;
  insertRows(state, verdict.rows, ctx);
  setBranch(state, key, msg.gid, undefined, msg.writes, 'tried', ctx);
  persistAmounts(state, ctx);
  ctx.storage.sync();
  record(state, { gid: msg.gid, action: 'try', outcome: 'ok', changed: true, reason: 'done' });
  reply(true, 'done');
}

/** Confirm: consume the freeze and apply the credits. */
export function handleConfirm(
  state: State,
  from: NodeId,
  msg: Extract<TxnMessage, { type: 'Confirm' }>,
  ctx: TxnContext,
): void {
  const key = gidKey(msg.gid);
  const reply = (reason: BranchReason) => ctx.send(from, { type: 'PhaseTwoAck', gid: msg.gid, op: 'confirm', reason });
  const verdict = ctx.bugs.has('noBarrier')
    ? ({ kind: 'run', rows: [] } as const)
    : barrierCall(state.barrier, key, 'confirm', rulesFor('confirm', ctx));
  if (verdict.kind === 'skip') {
    state.duplicates++;
    return reply('duplicate');
  }
  if (verdict.kind === 'run' && !ctx.bugs.has('noBarrier') && state.barrier[rowOf(key, 'try')] === undefined) {
    // No Try row: the fence was cleaned up (Seata's commitFence: RecordNotExists). Apply nothing.
    return reply('unknown-branch');
  }
  for (const write of msg.writes) {
    state.balances[write.account]! += write.delta;
    if (write.delta < 0) state.frozen[write.account]! += write.delta;
  }
  insertRows(state, verdict.rows, ctx);
  setBranch(state, key, msg.gid, undefined, msg.writes, 'confirmed', ctx);
  persistAmounts(state, ctx);
  ctx.storage.sync();
  record(state, { gid: msg.gid, action: 'confirm', outcome: 'ok', changed: true, reason: 'done' });
  scheduleCleanup(state, key, ctx);
  reply('done');
}

/** Cancel: release the freeze; with no Try before it, an empty rollback that changes nothing. */
export function handleCancel(
  state: State,
  from: NodeId,
  msg: Extract<TxnMessage, { type: 'Cancel' }>,
  ctx: TxnContext,
): void {
  const key = gidKey(msg.gid);
  const reply = (reason: BranchReason) => ctx.send(from, { type: 'PhaseTwoAck', gid: msg.gid, op: 'cancel', reason });
  const verdict = ctx.bugs.has('noBarrier')
    ? ({ kind: 'run', rows: [] } as const)
    : barrierCall(state.barrier, key, 'cancel', rulesFor('cancel', ctx));
  if (verdict.kind === 'skip') {
    state.duplicates++;
    return reply('duplicate');
  }
  if (verdict.kind === 'empty-rollback') {
    insertRows(state, verdict.rows, ctx);
    setBranch(state, key, msg.gid, undefined, msg.writes, 'empty-rolled-back', ctx);
    ctx.storage.sync();
    state.emptyRollbacks++;
    record(state, { gid: msg.gid, action: 'cancel', outcome: 'ok', changed: false, reason: 'empty-rollback' });
    ctx.annotate(`${ctx.self} empty rollback of g=${msg.gid}: no Try arrived, nothing to release`, {
      kind: 'empty-rollback',
      gid: msg.gid,
    });
    scheduleCleanup(state, key, ctx);
    return reply('empty-rollback');
  }
  const released = debits(msg.writes);
  for (const [account, amount] of released) state.frozen[account]! -= amount;
  insertRows(state, verdict.rows, ctx);
  setBranch(state, key, msg.gid, undefined, msg.writes, 'cancelled', ctx);
  persistAmounts(state, ctx);
  ctx.storage.sync();
  record(state, { gid: msg.gid, action: 'cancel', outcome: 'ok', changed: released.size > 0, reason: 'done' });
  scheduleCleanup(state, key, ctx);
  reply('done');
}

// ------------------------------------------------------------------ Saga

/**
 * A saga step: apply the write at once; a debit that would overdraw fails (DTM: FAILURE starts the
 * rollback). A `read` returns the balance; a `set` writes back the value read earlier plus its delta,
 * overwriting whatever changed in between (a lost update) unless `commutative-updates` turns it into
 * an increment. Under `semantic-lock` a step on an account another running saga wrote fails, and
 * under `reread-value` a read that no longer sees the value read before fails.
 */
export function handleAction(
  state: State,
  from: NodeId,
  msg: Extract<TxnMessage, { type: 'Action' }>,
  ctx: TxnContext,
): void {
  applyAction(state, msg, ctx, (ok, reason, value) =>
    ctx.send(from, {
      type: 'ActionResult',
      gid: msg.gid,
      step: msg.step,
      ok,
      reason,
      ...(value === undefined ? {} : { value }),
    }),
  );
}

/** A saga step's action through the barrier; `reply` gets the outcome (orchestrated: to the coordinator; choreographed: to the next hop). */
export function applyAction(
  state: State,
  msg: { readonly gid: number; readonly step: number; readonly write: Write },
  ctx: TxnContext,
  reply: (ok: boolean, reason: BranchReason, value?: number) => void,
): void {
  const key = `${gidKey(msg.gid)}.${msg.step}`;
  const write = msg.write;
  const verdict = ctx.bugs.has('noBarrier')
    ? ({ kind: 'run', rows: [] } as const)
    : barrierCall(state.barrier, key, 'action', strictBarrier);
  const fail = (reason: BranchReason) => {
    record(state, { gid: msg.gid, step: msg.step, action: 'execute', outcome: 'fail', changed: false, reason });
    return reply(false, reason);
  };
  if (verdict.kind === 'skip') {
    if (verdict.suspended) {
      state.suspendedTries++;
      return fail('suspended');
    }
    state.duplicates++;
    // A repeat reports the first call's answer: only a successful action leaves a row.
    return reply(true, 'duplicate', write.op === 'read' ? state.balances[write.account] : undefined);
  }
  const balance = state.balances[write.account];
  if (balance === undefined) return fail('insufficient');
  const countermeasures = ctx.config.countermeasures;
  const holder = state.semanticLocks[write.account];
  if (countermeasures.includes('semantic-lock') && holder !== undefined && holder !== msg.gid) return fail('locked');
  if (write.op === 'read') {
    if (countermeasures.includes('reread-value') && write.expected !== undefined && write.expected !== balance)
      return fail('changed');
    insertRows(state, verdict.rows, ctx);
    setBranch(state, key, msg.gid, msg.step, [write], 'executed', ctx);
    ctx.storage.sync();
    record(state, {
      gid: msg.gid,
      step: msg.step,
      action: 'execute',
      outcome: 'ok',
      changed: false,
      reason: 'done',
      access: { account: write.account, kind: 'read', value: balance },
    });
    return reply(true, 'done', balance);
  }
  const commutative = write.op !== 'set' || countermeasures.includes('commutative-updates');
  const base = commutative ? balance : (write.expected ?? balance);
  const next = base + write.delta;
  if (next < 0) {
    setBranch(state, key, msg.gid, msg.step, [write], 'failed', ctx);
    ctx.storage.sync();
    return fail('insufficient');
  }
  state.balances[write.account] = next;
  if (countermeasures.includes('semantic-lock')) {
    state.semanticLocks[write.account] = msg.gid;
    ctx.storage.put('semanticLocks', state.semanticLocks);
  }
  insertRows(state, verdict.rows, ctx);
  setBranch(state, key, msg.gid, msg.step, [write], 'executed', ctx);
  persistAmounts(state, ctx);
  ctx.storage.sync();
  record(state, {
    gid: msg.gid,
    step: msg.step,
    action: 'execute',
    outcome: 'ok',
    changed: true,
    reason: 'done',
    access: {
      account: write.account,
      kind: 'write',
      value: next,
      ...(commutative || balance === base ? {} : { overwritten: balance - base }),
    },
  });
  reply(true, 'done');
}

/** The saga ended: drop its semantic locks. */
export function handleRelease(state: State, gid: number, ctx: TxnContext): void {
  let released = false;
  for (const account in state.semanticLocks)
    if (state.semanticLocks[account] === gid) {
      delete state.semanticLocks[account];
      released = true;
    }
  if (!released) return;
  ctx.storage.put('semanticLocks', state.semanticLocks);
  ctx.storage.sync();
}

/** A compensation: apply the opposite change; with no action before it, an empty compensation. */
export function handleCompensate(
  state: State,
  from: NodeId,
  msg: Extract<TxnMessage, { type: 'Compensate' }>,
  ctx: TxnContext,
): void {
  applyCompensation(state, msg, ctx, (reason) =>
    ctx.send(from, { type: 'CompensateAck', gid: msg.gid, step: msg.step, reason }),
  );
}

/** A saga step's compensation through the barrier; `reply` gets the reason. */
export function applyCompensation(
  state: State,
  msg: { readonly gid: number; readonly step: number; readonly write: Write },
  ctx: TxnContext,
  reply: (reason: BranchReason) => void,
): void {
  const key = `${gidKey(msg.gid)}.${msg.step}`;
  const verdict = ctx.bugs.has('noBarrier')
    ? ({ kind: 'run', rows: [] } as const)
    : barrierCall(state.barrier, key, 'compensate', strictBarrier);
  if (verdict.kind === 'skip') {
    state.duplicates++;
    return reply('duplicate');
  }
  if (verdict.kind === 'empty-rollback') {
    insertRows(state, verdict.rows, ctx);
    setBranch(state, key, msg.gid, msg.step, [msg.write], 'empty-rolled-back', ctx);
    ctx.storage.sync();
    state.emptyRollbacks++;
    record(state, {
      gid: msg.gid,
      step: msg.step,
      action: 'compensate',
      outcome: 'ok',
      changed: false,
      reason: 'empty-rollback',
    });
    return reply('empty-rollback');
  }
  // A read changed nothing, so its compensation changes nothing either.
  const changed = msg.write.op !== 'read';
  if (changed) state.balances[msg.write.account]! -= msg.write.delta;
  insertRows(state, verdict.rows, ctx);
  setBranch(state, key, msg.gid, msg.step, [msg.write], 'compensated', ctx);
  persistAmounts(state, ctx);
  ctx.storage.sync();
  record(state, {
    gid: msg.gid,
    step: msg.step,
    action: 'compensate',
    outcome: 'ok',
    changed,
    reason: 'done',
    ...(changed
      ? { access: { account: msg.write.account, kind: 'write' as const, value: state.balances[msg.write.account]! } }
      : {}),
  });
  reply('done');
}
