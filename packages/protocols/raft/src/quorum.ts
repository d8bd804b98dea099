/**
 * Quorums (etcd raft's quorum package): which value a majority of a configuration's voters has
 * reached, and whether an election is won. A configuration is one majority (`MajorityConfig`) or,
 * during a joint-consensus change, two (`JointConfig`, dissertation §4.3): a decision then needs a
 * majority of each.
 *
 * The leader's hot path (the commit index after every acknowledgement) allocates nothing: members
 * carry a bit mask of the configurations they vote in, and the quorum value is found by passes
 * over the members (see majorityValue), which for the cluster sizes Raft runs (3-7 voters) beats
 * sorting a fresh array.
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
 *
 * The answer is the `needed`-th largest voter value. It is found by walking the distinct values
 * downwards, one pass over the members per distinct value, each pass finding the largest value
 * below the previous one and how many voters hold it, until `needed` voters are counted. Each
 * pass reads every member's value once and nothing is stored, so a leader whose followers are
 * at one or two indexes reads them two or three times, and no array is built.
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
  let counted = 0;
  // The value the previous pass found; the first pass looks at every value, +Infinity included.
  let above = Infinity;
  let first = true;
  for (;;) {
    // The largest voter value below `above`, and how many voters hold it.
    let value = -Infinity;
    let holders = 0;
    if (selfVotes && (first || selfValue < above)) {
      value = selfValue;
      holders = 1;
    }
    for (let i = 0; i < members.length; i++) {
      const member = members[i]!;
      if ((member.votes & config) === 0) continue;
      const candidate = valueOf(member);
      if ((!first && candidate >= above) || candidate < value) continue;
      if (candidate === value) holders++;
      else {
        value = candidate;
        holders = 1;
      }
    }
    counted += holders;
    // Every voter was counted by the last pass at the latest, and needed <= voters.
    if (counted >= needed || holders === 0) return value;
    above = value;
    first = false;
  }
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

/**
 * Whether `jointValue` would exceed `floor`: in each configuration with voters, at least a
 * majority of them hold a value above it (the majority's value is the `needed`-th largest, which
 * exceeds `floor` exactly when `needed` values do). One pass over the members: a leader asks this
 * after each acknowledgement, and most acknowledgements commit nothing (the quorum was reached by
 * an earlier one, or is not reached yet).
 */
export function jointValueAbove<M extends QuorumMember>(
  members: readonly M[],
  valueOf: (member: M) => number,
  selfValue: number,
  selfMask: number,
  floor: number,
): boolean {
  let incomingVoters = 0;
  let incomingAbove = 0;
  let outgoingVoters = 0;
  let outgoingAbove = 0;
  if ((selfMask & VOTES_INCOMING) !== 0) {
    incomingVoters++;
    if (selfValue > floor) incomingAbove++;
  }
  if ((selfMask & VOTES_OUTGOING) !== 0) {
    outgoingVoters++;
    if (selfValue > floor) outgoingAbove++;
  }
  for (let i = 0; i < members.length; i++) {
    const member = members[i]!;
    const votes = member.votes;
    if (votes === 0) continue;
    const above = valueOf(member) > floor;
    if ((votes & VOTES_INCOMING) !== 0) {
      incomingVoters++;
      if (above) incomingAbove++;
    }
    if ((votes & VOTES_OUTGOING) !== 0) {
      outgoingVoters++;
      if (above) outgoingAbove++;
    }
  }
  // A configuration without voters has the value +Infinity (see majorityValue).
  const incomingReached = incomingVoters === 0 ? Infinity > floor : incomingAbove >= majoritySize(incomingVoters);
  const outgoingReached = outgoingVoters === 0 ? Infinity > floor : outgoingAbove >= majoritySize(outgoingVoters);
  return incomingReached && outgoingReached;
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
