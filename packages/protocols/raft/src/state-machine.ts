import type { Outcome } from '@dsim/core';
import { executeKv } from '@dsim/services';
import type { MutableState, RaftContext } from './context.ts';
import { describeMembership } from './membership.ts';
import { answer } from './respond.ts';
import { entryAt, lastIndex, type Entry, type KvOp, type KvResult } from './state.ts';

/**
 * The replicated key-value state machine (paper §7's example, dissertation §6.3 for sessions).
 * Applies committed entries in order; the leader that proposed an entry answers its client. Runs
 * after each handler (ready.ts), never inside one.
 */
export function applyCommitted(state: MutableState, ctx: RaftContext): void {
  while (state.appliedIndex < state.commitIndex) {
    const index = state.appliedIndex + 1;
    const entry = entryAt(state, index);
    if (!entry)
      throw new Error(
        `cannot apply index ${index}: not in the log (snapshot ${state.snapshotIndex}, last ${lastIndex(state)}, commit ${state.commitIndex})`,
      );
    const outcome =
      entry.kind === 'op'
        ? applyEntry(state, ctx, entry)
        : entry.kind === 'config' && entry.membership
          ? ({ type: 'ok', value: describeMembership(entry.membership) } as const)
          : undefined;
    state.appliedIndex = index;
    if (state.role === 'leader') answerWrites(state, ctx, index, entry, outcome);
  }
}

/** Answers the clients of entries up to `index` that this leader proposed. */
function answerWrites(
  state: MutableState,
  ctx: RaftContext,
  index: number,
  entry: Entry,
  outcome: Outcome<KvResult> | undefined,
): void {
  while (state.pendingWrites.length > 0 && state.pendingWrites[0]!.index <= index) {
    const pending = state.pendingWrites.shift()!;
    if (pending.index === index && pending.term === entry.term && entry.request === pending.request && outcome)
      answer(ctx, pending.request, outcome);
    // A leader's own entries are never replaced while it leads (Leader Append-Only), so this
    // branch means a broken rule; the client hears "unknown", the invariants say why.
    else answer(ctx, pending.request, { type: 'unknown', error: `entry ${pending.index} was not the one proposed` });
  }
}

/**
 * Applies one entry with client-session deduplication: a request whose (client, seq) was already
 * applied returns the remembered outcome instead of applying twice (dissertation §6.3).
 */
function applyEntry(state: MutableState, ctx: RaftContext, entry: Entry): Outcome<KvResult> {
  const client = entry.client;
  const seq = entry.seq;
  const session = client !== undefined ? state.sessions[client] : undefined;
  if (session && seq !== undefined && seq <= session.seq && !ctx.bugs.has('applyDuplicateTwice')) {
    return seq === session.seq
      ? session.outcome
      : { type: 'unknown', error: `request ${seq} of ${client} is older than its session's last (${session.seq})` };
  }
  const outcome = execute(state.kv, entry.op!);
  if (client !== undefined && seq !== undefined) {
    // A session record belongs to this state alone (snapshots and restores copy them), so it is
    // updated in place rather than replaced by a new object on every write. Only a record has a
    // numeric seq: what a client id naming a prototype member (constructor, toString) finds has none.
    if (session !== undefined && typeof session.seq === 'number') {
      const record = session as { seq: number; outcome: Outcome<KvResult> };
      record.seq = seq;
      record.outcome = outcome;
    } else state.sessions[client] = { seq, outcome };
  }
  return outcome;
}

/** The key-value semantics shared with Multi-Paxos and @dsim/check's kvModel; a transfer is not one. */
function execute(kv: Record<string, string>, op: KvOp): Outcome<KvResult> {
  return op.f === 'transfer' || op.f === 'conf'
    ? { type: 'fail', error: `${op.f} is not a state machine operation` }
    : executeKv(kv, op);
}
