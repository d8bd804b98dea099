import { always, defineMemory, type Invariant, type NodeId, type WorldView } from '@dsim/core';
import type { RaftConfig } from './config.ts';
import { foundRule } from './found-rule.ts';
import type { RaftState } from './state.ts';

/**
 * Two timing rules stated as checks, so that a change of timing shows up as a broken rule rather
 * than only as a changed golden trace. Both compare times read from one node's own clock, so they
 * hold under clock drift and jumps too (timers fire by the local clock).
 *
 * - A granted vote restarts the election timer (paper Figure 2, Followers): a node that voted for
 *   another at local time v does not start a (pre-)campaign of its own before v + its shortest
 *   election timeout, unless a leadership transfer asked it to (TimeoutNow campaigns at once). A
 *   campaign opened by a won pre-vote starts when that pre-vote did: a pre-vote round under way
 *   when the node votes may still end in a campaign (etcd's Step keeps a pre-candidate that grants
 *   a vote in its current term a pre-candidate).
 * - The lease is timed from the heartbeat's send (dissertation §6.4.1): every acknowledgement the
 *   leader's lease counts is dated by the send time of a heartbeat it sent in its term, so never
 *   after its latest heartbeat round.
 */

export const VOTE_RESTARTS_ELECTION_TIMER = 'vote-restarts-election-timer';
export const LEASE_TIMED_FROM_SEND = 'lease-timed-from-send';

interface TimingMemory {
  readonly found: Map<string, string>;
  /** By node: the campaign start already reported, so one early campaign is one violation. */
  readonly reported: Map<NodeId, number>;
}

/** The shortest election timeout the node can draw: its pinned one, or E (draws are from [E, 2E)). */
function shortestElectionTimeout(config: RaftConfig, node: NodeId): number {
  const pinned = config.nodeElectionTimeoutMicros;
  return pinned && Object.hasOwn(pinned, node) ? pinned[node]! : config.electionTimeoutMicros;
}

function checkNode(world: WorldView<RaftState>, memory: TimingMemory, node: NodeId): void {
  const state = world.state(node);
  if (state === undefined) return;
  const config = world.config as RaftConfig;
  const { votedAt, campaignStartedAt } = state;
  if (votedAt !== null && campaignStartedAt !== null && !state.campaignByTransfer && campaignStartedAt > votedAt) {
    const wait = shortestElectionTimeout(config, node);
    if (campaignStartedAt - votedAt < wait && memory.reported.get(node) !== campaignStartedAt) {
      memory.reported.set(node, campaignStartedAt);
      memory.found.set(
        VOTE_RESTARTS_ELECTION_TIMER,
        `${node} started a campaign (now term ${state.term}) ${campaignStartedAt - votedAt} µs after granting its vote, sooner than its shortest election timeout (${wait} µs)`,
      );
    }
  }
  if (state.role === 'leader') {
    const latest = state.heartbeatSentAt;
    for (const progress of state.progress) {
      const acked = progress.ackedSentAt;
      if (acked !== null && (latest === null || acked > latest)) {
        memory.found.set(
          LEASE_TIMED_FROM_SEND,
          `${node}'s lease counts ${progress.id}'s acknowledgement as of ${acked}, after its latest heartbeat (${latest ?? 'none'}) in term ${state.term}`,
        );
        break;
      }
    }
  }
}

const timingMemory = defineMemory<RaftState, TimingMemory>({
  name: 'raft-timing-rules',
  create: () => ({ found: new Map(), reported: new Map() }),
  observe(memory, world, change) {
    if (change.node !== undefined) checkNode(world, memory, change.node);
    else for (const node of world.nodes) checkNode(world, memory, node);
    return memory.found.size === 0;
  },
});

function rule(name: string, description: string): Invariant<RaftState, TimingMemory> {
  return foundRule(name, description, timingMemory);
}

export const voteRestartsElectionTimer = rule(
  VOTE_RESTARTS_ELECTION_TIMER,
  'A node that granted its vote starts no campaign of its own within its shortest election timeout, by its own clock, unless a leadership transfer asks it to (Raft Figure 2).',
);
export const leaseTimedFromSend = rule(
  LEASE_TIMED_FROM_SEND,
  "A leader's lease counts each acknowledgement from the send of the heartbeat it answers, never later than the leader's latest heartbeat (Raft dissertation §6.4.1).",
);
