import type { MutableState, RaftContext } from './context.ts';
import { lastIndex, lastStableIndex, termAt } from './log.ts';
import { selfVotes } from './membership-state.ts';
import { jointValue, jointValueAbove } from './quorum.ts';
import type { Progress } from './tracker.ts';

/**
 * The commit index. Only the index moves here (etcd raftLog.commitTo); what a commit sets off
 * (applying, answering clients, serving reads, compacting) happens once the handler is done, in
 * the step that follows every handler (ready.ts), as etcd's Ready hands committed entries to the
 * application after the step.
 */

/** Advances the commit index, never backwards. */
export function commitTo(state: MutableState, index: number): void {
  if (index > state.commitIndex) state.commitIndex = index;
}

/**
 * The commit rule (paper §5.3, §5.4.2, Figure 8; etcd raftLog.maybeCommit): the highest index
 * stored on a quorum is committed only if its entry is from the leader's current term. Earlier
 * entries then commit indirectly, by Log Matching.
 */
export function maybeCommit(state: MutableState, ctx: RaftContext): boolean {
  // The leader's own value is what its disk holds (etcd: its MsgStorageAppendResp), not what it
  // appended; the bug counts what it appended.
  let own = lastStableIndex(state);
  if (own < lastIndex(state) && ctx.bugs.has('countLeaderBeforeDurable')) own = lastIndex(state);
  const votes = selfVotes(state, ctx);
  // Nothing commits unless a quorum holds an entry past the commit index: one pass over the
  // followers answers that, and most acknowledgements commit nothing.
  if (!jointValueAbove(state.progress, matchOf, own, votes, state.commitIndex)) return false;
  const quorumIndex = jointValue(state.progress, matchOf, own, votes);
  if (quorumIndex <= state.commitIndex) return false;
  const term = termAt(state, quorumIndex);
  const countPriorTerms = ctx.bugs.has('commitPriorTermByCount');
  if (term !== state.term && !(countPriorTerms && term !== undefined)) return false;
  commitTo(state, quorumIndex);
  return true;
}

/** A follower's match index, as the quorum functions read it (a shared function: no closure per call). */
const matchOf = (progress: Progress): number => progress.match;
