import { always, defineMemory, type Invariant, type NodeId } from '@dsim/core';
import type { RaftConfig } from './config.ts';
import type { RaftState } from './state.ts';

/**
 * CheckQuorum's vote lease, for the leader (etcd Step: `inLease` holds for a leader, whose lead
 * is itself). With CheckQuorum on, a leader ignores every RequestVote of a higher term unless it
 * is a leadership transfer's, so no single step of a leader ends with it following a higher term
 * and having voted there for another node: it leaves leadership only when CheckQuorum finds it
 * without a quorum, or when a message from a newer leader (or a follower's higher term) arrives,
 * and none of those casts a vote. The one exception is a transfer's campaign: once the leader
 * sent TimeoutNow in its term, the target campaigns past every lease, even after the leader gave
 * the transfer up.
 */

export const LEADER_IGNORES_VOTES = 'leader-ignores-votes';

/** What the node's state held at the last observation (copied: the mutable state mode changes states in place). */
interface NodeMirror {
  upSince: number | undefined;
  leader: boolean;
  term: number;
  transferee: NodeId | null;
  /** It sent TimeoutNow in this term (leaseFloor is then MAX_SAFE_INTEGER): a delayed transfer campaign may come after it gave up. */
  sentTimeoutNow: boolean;
}

interface VoteLeaseMemory {
  readonly nodes: Map<NodeId, NodeMirror>;
  found: string | undefined;
}

const voteLeaseMemory = defineMemory<RaftState, VoteLeaseMemory>({
  name: 'raft-vote-lease',
  create: () => ({ nodes: new Map(), found: undefined }),
  observe(memory, world, change) {
    const checkQuorum = (world.config as RaftConfig | undefined)?.checkQuorum === true;
    const observe = (node: NodeId, stepped: boolean) => {
      const state = world.state(node);
      if (state === undefined) return;
      const upSince = world.upSince(node);
      const before = memory.nodes.get(node);
      // Only one step of this node lies between the two states it compares: a leader's.
      if (
        checkQuorum &&
        stepped &&
        before !== undefined &&
        before.upSince === upSince &&
        before.leader &&
        state.term > before.term &&
        state.vote !== null &&
        state.vote !== node &&
        state.vote !== before.transferee &&
        !before.sentTimeoutNow
      ) {
        memory.found = `${node}, leader of term ${before.term}, voted for ${state.vote} in term ${state.term}: a leader under CheckQuorum ignores votes`;
      }
      const leader = state.role === 'leader';
      const sentTimeoutNow = state.leaseFloor === Number.MAX_SAFE_INTEGER;
      if (before === undefined)
        memory.nodes.set(node, { upSince, leader, term: state.term, transferee: state.transferee, sentTimeoutNow });
      else {
        before.upSince = upSince;
        before.leader = leader;
        before.term = state.term;
        before.transferee = state.transferee;
        before.sentTimeoutNow = sentTimeoutNow;
      }
    };
    if (change.node !== undefined) observe(change.node, true);
    else for (const node of world.nodes) observe(node, false);
    return memory.found === undefined;
  },
});

export const leaderIgnoresVotes: Invariant<RaftState, VoteLeaseMemory> = always<RaftState, VoteLeaseMemory>(
  LEADER_IGNORES_VOTES,
  (_world, memory) => {
    const message = memory.found;
    if (message === undefined) return true;
    memory.found = undefined;
    return message;
  },
  {
    description:
      'With CheckQuorum, a leader never votes for another node in a higher term in one step (etcd inLease: the leader ignores RequestVote), except for the transfer target it chose.',
    memory: voteLeaseMemory,
  },
);
