import { afterConfigCommitted } from './conf-changes.ts';
import type { MutableState, RaftContext } from './context.ts';
import { serveReads, startReadsOnceCommittedInTerm } from './reads.ts';
import { maybeCompact } from './snapshot.ts';
import { applyCommitted } from './state-machine.ts';

/**
 * What follows every handler, for a message, a timer or a client request (etcd's Ready loop: the
 * step only moves the commit index, and the application then applies what committed). Applies
 * the newly committed entries and answers their clients; on the leader, gives reads queued until
 * its first commit in the term their read index and serves the reads whose index is applied;
 * compacts; acts on a committed configuration (leave a joint one, or a removed leader steps down);
 * and finally makes whatever the step wrote durable before its messages leave.
 */
export function ready(state: MutableState, ctx: RaftContext): void {
  for (;;) {
    if (state.appliedIndex < state.commitIndex) {
      applyCommitted(state, ctx);
      if (state.role === 'leader') {
        serveReads(state, ctx);
        startReadsOnceCommittedInTerm(state, ctx);
      }
      maybeCompact(state, ctx);
    }
    if (state.membershipIndex > 0) afterConfigCommitted(state, ctx);
    // A leader alone in its configuration commits what afterConfigCommitted proposed at once.
    if (state.appliedIndex >= state.commitIndex) break;
  }
  if (ctx.storage.unsyncedWrites > 0) ctx.storage.sync();
}
