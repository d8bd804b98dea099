/**
 * Quorums (etcd raft's quorum package): which value a majority of a configuration's voters has
 * reached, and whether an election is won. A configuration is one majority (`MajorityConfig`) or,
 * during a joint-consensus change, two (`JointConfig`, dissertation §4.3): a decision then needs a
 * majority of each.
 *
 * The leader's hot path (the commit index after every acknowledgement) allocates nothing: members
 * carry a bit mask of the configurations they vote in, and the quorum value is found by counting,
 * which for the cluster sizes Raft runs (3-7 voters) beats sorting a fresh array.
 */

/** Bit of a member that votes in the incoming (or only) configuration. */
export const VOTES_INCOMING = 1;
/** Bit of a member that votes in the outgoing configuration of a joint configuration. */
export const VOTES_OUTGOING = 2;

/** A member as the quorum functions see it: which configurations it votes in. */
export interface QuorumMember {
  readonly votes: number;
}

/** The smallest majority of `voters`. */
export function majoritySize(voters: number): number {
  return Math.floor(voters / 2) + 1;
}

/**
 * etcd MajorityConfig.CommittedIndex, for any per-member value: the largest `v` such that a
 * majority of the voters of `config` (a VOTES_* bit) have a value of at least `v`. The node
 * asking is not in `members`: its own value and mask are passed apart. A configuration without
 * voters returns +Infinity, so that the joint minimum ignores an empty outgoing half.
 */
export function majorityValue<M extends QuorumMember>(
  members: readonly M[],
  valueOf: (member: M) => number,
  selfValue: number,
  selfMask: number,
  config: number,
): number {
  const selfVotes = (selfMask & config) !== 0;
  let voters = selfVotes ? 1 : 0;
  for (let i = 0; i < members.length; i++) if ((members[i]!.votes & config) !== 0) voters++;
  if (voters === 0) return Infinity;
  const needed = majoritySize(voters);
  let best = -Infinity;
  // Each voter's value is a candidate; the answer is the largest candidate that `needed` voters reach.
  for (let i = -1; i < members.length; i++) {
    let candidate: number;
    if (i < 0) {
      if (!selfVotes) continue;
      candidate = selfValue;
    } else {
      const member = members[i]!;
      if ((member.votes & config) === 0) continue;
      candidate = valueOf(member);
    }
    if (candidate <= best) continue;
    let reached = selfVotes && selfValue >= candidate ? 1 : 0;
    for (let j = 0; j < members.length && reached < needed; j++) {
      const other = members[j]!;
      if ((other.votes & config) !== 0 && valueOf(other) >= candidate) reached++;
    }
    if (reached >= needed) best = candidate;
  }
  return best;
}

/** etcd JointConfig.CommittedIndex: the smaller of the two majorities' values (one majority when not joint). */
export function jointValue<M extends QuorumMember>(
  members: readonly M[],
  valueOf: (member: M) => number,
  selfValue: number,
  selfMask: number,
): number {
  const incoming = majorityValue(members, valueOf, selfValue, selfMask, VOTES_INCOMING);
  const outgoing = majorityValue(members, valueOf, selfValue, selfMask, VOTES_OUTGOING);
  return incoming < outgoing ? incoming : outgoing;
}

export type VoteResult = 'won' | 'lost' | 'pending';

/**
 * etcd MajorityConfig.VoteResult: won once a majority of `voters` granted, lost once so many
 * rejected that no majority can grant, pending otherwise. An empty configuration wins (etcd: it
 * lets a joint configuration with an empty half decide by the other half).
 */
export function majorityVoteResult(
  voters: readonly string[],
  granted: readonly string[],
  rejected: readonly string[],
): VoteResult {
  if (voters.length === 0) return 'won';
  let yes = 0;
  let no = 0;
  for (const voter of voters) {
    if (granted.includes(voter)) yes++;
    else if (rejected.includes(voter)) no++;
  }
  const needed = majoritySize(voters.length);
  if (yes >= needed) return 'won';
  if (voters.length - no < needed) return 'lost';
  return 'pending';
}

/** etcd JointConfig.VoteResult: won if both halves won, lost if either lost. */
export function jointVoteResult(
  incoming: readonly string[],
  outgoing: readonly string[],
  granted: readonly string[],
  rejected: readonly string[],
): VoteResult {
  const first = majorityVoteResult(incoming, granted, rejected);
  const second = majorityVoteResult(outgoing, granted, rejected);
  if (first === second) return first;
  if (first === 'lost' || second === 'lost') return 'lost';
  return 'pending';
}
