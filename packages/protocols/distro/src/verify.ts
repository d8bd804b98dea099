import type { Ctx, S } from './context.ts';
import { otherMembers, responsibleFor } from './members.ts';
import { renewCopy } from './copies.ts';
import { addTask } from './sync.ts';

/**
 * DistroVerifyTimedTask: every 5 s the owner sends {client, revision} for every client it is
 * responsible for to every other member (one message per member here, where Nacos sends one RPC
 * per client; the counts in measurements are of these batched messages). Skipped until the load.
 */
export function sendVerify(state: S, ctx: Ctx): void {
  ctx.setTimer('verify', ctx.config.verifyIntervalMicros);
  if (!state.ready || ctx.bugs.has('noVerify')) return;
  const entries: Array<readonly [string, number]> = [];
  for (const id of Object.keys(state.clients).sort()) {
    if (responsibleFor(state, id, ctx.self)) entries.push([id, state.clients[id]!.revision]);
  }
  if (entries.length === 0) return;
  state.stats.verifyRounds += 1;
  for (const target of otherMembers(state)) ctx.send(target, { type: 'Verify', entries });
}

/**
 * The receiver passes an entry iff it holds the client at the same revision (or the revision is
 * 0), and then renews its copy's liveness; otherwise it answers FAIL for it.
 */
export function handleVerify(state: S, from: string, entries: readonly (readonly [string, number])[], ctx: Ctx): void {
  const failed: string[] = [];
  const now = ctx.now();
  for (const [client, revision] of entries) {
    const copy = state.clients[client];
    if (copy && (copy.revision === revision || revision === 0)) renewCopy(state, copy, now);
    else failed.push(client);
  }
  if (failed.length > 0) ctx.send(from, { type: 'VerifyFailed', clients: failed });
}

/** ClientVerifyFailedEvent: the owner pushes the full client to that one server at once (delay 0). */
export function handleVerifyFailed(state: S, from: string, clients: readonly string[], ctx: Ctx): void {
  for (const client of clients) {
    if (!state.clients[client]) continue;
    state.stats.verifyRepairs += 1;
    addTask(state, client, from, 'change', 0, ctx);
  }
}
