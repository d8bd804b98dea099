import type { ClientView, Outcome, WorkloadFactory } from '@dsim/core';
import type { KvOp } from './state.ts';
import { kv } from './workloads.ts';

/**
 * The kv workload with clients that retry, as Raft's clients do (dissertation §6.3): every
 * operation carries the client's session sequence number, and after a timeout, a redirect or an
 * answer that says the request was not taken up (no leader, leadership lost or in transfer), the
 * client sends the SAME operation with the SAME sequence number again, up to `retries` times,
 * before it moves on. The servers' sessions must then apply it once: the history checker treats
 * the attempts as one operation (see mergeRetries).
 *
 * Options: those of `kv`, plus
 * - retries (default 3): attempts after the first, per operation;
 * - retryForMicros: instead of a count, retry for this long after the operation's first attempt,
 *   as etcd's clients retry until the request's context deadline. A client then gives up after
 *   the same time whatever its timeout, so a short timeout (near a round trip, where retried
 *   writes that reached the log are common) does not leave an operation of unknown outcome per
 *   election.
 */
export const kvRetrying: WorkloadFactory<KvOp> = (options, context) => {
  const inner = kv(options, context);
  const retries = Math.max(0, Number(options.retries ?? 3));
  const retryForMicros = options.retryForMicros === undefined ? undefined : Math.max(0, Number(options.retryForMicros));
  // Per client, per run: its session's last sequence number, the operation in progress, when it
  // was first sent, and how many times it was sent again.
  const sessions = new Map<string, { seq: number; op: KvOp | undefined; firstSentAt: number; retried: number }>();
  const patient = (session: { firstSentAt: number; retried: number }, now: number) =>
    retryForMicros === undefined ? session.retried < retries : now - session.firstSentAt < retryForMicros;
  return {
    chooseNode: inner.chooseNode,
    nextOp(client: ClientView): KvOp | null {
      let session = sessions.get(client.client);
      if (session === undefined) {
        session = { seq: 0, op: undefined, firstSentAt: 0, retried: 0 };
        sessions.set(client.client, session);
      }
      if (session.op !== undefined && patient(session, client.now) && worthRetrying(client.lastOutcome)) {
        session.retried++;
        return session.op;
      }
      const op = inner.nextOp(client);
      if (op === null) return null;
      session.seq++;
      session.retried = 0;
      session.firstSentAt = client.now;
      session.op = { ...op, seq: session.seq };
      return session.op;
    },
  };
};

/**
 * Whether the last answer leaves the operation worth sending again: it timed out or its outcome
 * is unknown, or a server said it did not take it up (a follower's redirect, no leader, a
 * transfer in progress, leadership lost before a read was confirmed). A cas that found another
 * value is an answer, not a refusal.
 */
function worthRetrying(outcome: Outcome | undefined): boolean {
  if (outcome === undefined || outcome.type === 'ok') return false;
  if (outcome.type === 'unknown') return true;
  return !(outcome.error ?? '').startsWith('cas:');
}
