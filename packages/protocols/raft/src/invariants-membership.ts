import { always, defineMemory, sometimes, type Invariant, type NodeId, type WorldView } from '@dsim/core';
import type { RaftConfig } from './config.ts';
import { entryAt, lastIndex, termAt } from './log.ts';
import { isJoint, isVoter, type Membership } from './membership.ts';
import { jointVoteResult } from './quorum.ts';
import { foundRule } from './found-rule.ts';
import type { RaftState } from './state.ts';

/**
 * Configuration changes (dissertation chapter 4), checked at every step of a leader:
 * - a leader proposes a configuration change only when the previous one has committed (§4.1: at
 *   most one change is uncommitted; a joint configuration is left by one more entry only after it
 *   committed);
 * - a leader's own configuration entry waits for an entry of its term to commit (the fix of 2015);
 * - every decision is taken by a quorum of the configuration in force, a majority of each half of
 *   a joint one: each commit index a leader reaches is held by such a quorum, and each election is
 *   won by one.
 * And the proofs of reach that membership scenarios name.
 */

export const ONE_UNCOMMITTED_CONF_CHANGE = 'one-uncommitted-conf-change';
export const CONF_CHANGE_AFTER_OWN_TERM_COMMIT = 'conf-change-after-own-term-commit';
export const DECIDED_BY_CONFIG_QUORUM = 'decided-by-config-quorum';

interface NodeMirror {
  upSince: number | undefined;
  leader: boolean;
  term: number;
  commit: number;
  membershipIndex: number;
}

interface MembershipMemory {
  readonly nodes: Map<NodeId, NodeMirror>;
  /** The first violation of each rule since its check last read it. */
  readonly found: Map<string, string>;
  readonly learnersSeen: Set<NodeId>;
  readonly reached: Set<string>;
  readonly reported: Set<string>;
}

/** Whether a quorum of every half of `membership` holds index `index` by the leader's own records. */
function heldByQuorum(state: RaftState, self: NodeId, membership: Membership, index: number): boolean {
  const holds = (node: NodeId): boolean => {
    if (node === self) return lastIndex(state) >= index;
    for (const progress of state.progress) if (progress.id === node) return progress.match >= index;
    return false;
  };
  const half = (voters: readonly NodeId[]) => voters.length === 0 || voters.filter(holds).length * 2 > voters.length;
  return half(membership.voters) && half(membership.outgoing);
}

function initialVoters(world: WorldView<RaftState>): readonly NodeId[] {
  return (world.config as RaftConfig | undefined)?.initialVoters ?? world.nodes;
}

/**
 * Whether `node`'s newest configuration entry is above its commit index and the configuration
 * before it, read from the log (or the initial one), names `node` a voter. When a snapshot holds
 * that earlier configuration, the uncommitted entry alone is checked.
 */
function votedBeforeUncommittedChange(world: WorldView<RaftState>, state: RaftState, node: NodeId): boolean {
  if (state.membershipIndex <= state.commitIndex) return false;
  for (let index = state.membershipIndex - 1; index > state.snapshotIndex; index--) {
    const entry = entryAt(state, index);
    if (entry?.kind === 'config' && entry.membership) return isVoter(entry.membership, node);
  }
  return state.snapshotIndex > 0 || initialVoters(world).includes(node);
}

function observeNode(memory: MembershipMemory, world: WorldView<RaftState>, node: NodeId, stepped: boolean): void {
  const state = world.state(node);
  if (state === undefined) return;
  const upSince = world.upSince(node);
  const before = memory.nodes.get(node);
  const leader = state.role === 'leader';
  const membership = state.membership;
  const sameLife = before !== undefined && before.upSince === upSince;
  if (leader && stepped) {
    // Each wrong state is reported once, not again at every later step that still shows it.
    const report = (rule: string, message: string) => {
      if (memory.reported.has(message)) return;
      memory.reported.add(message);
      if (!memory.found.has(rule)) memory.found.set(rule, message);
    };
    // Checked in the step that proposed the change: the verdict cannot change later in the term.
    if (state.membershipIndex > state.commitIndex && state.membershipIndex !== before?.membershipIndex) {
      // The leader's own change must not have been proposed over another one still uncommitted.
      // (Older terms' configuration entries above a new leader's commit index are not its doing:
      // its no-op commits them before it may propose.)
      const own = entryAt(state, state.membershipIndex);
      const lowest = Math.max(state.commitIndex + 1, state.snapshotIndex + 1);
      if (own?.term === state.term) {
        for (let index = state.membershipIndex - 1; index >= lowest; index--) {
          if (entryAt(state, index)?.kind !== 'config') continue;
          report(
            ONE_UNCOMMITTED_CONF_CHANGE,
            `${node}, leader of term ${state.term}, proposed the configuration at ${state.membershipIndex} while the one at ${index} was uncommitted (commit ${state.commitIndex})`,
          );
          break;
        }
      }
      if (own?.term === state.term && termAt(state, state.commitIndex) !== state.term)
        report(
          CONF_CHANGE_AFTER_OWN_TERM_COMMIT,
          `${node}, leader of term ${state.term}, proposed a configuration change at ${state.membershipIndex} before committing an entry of its term (commit ${state.commitIndex})`,
        );
    }
    if (sameLife && before.leader && before.term === state.term && state.commitIndex > before.commit) {
      if (!heldByQuorum(state, node, membership, state.commitIndex))
        report(
          DECIDED_BY_CONFIG_QUORUM,
          `${node} committed ${state.commitIndex} in term ${state.term} without a quorum of ${membership.voters.join(',')}${isJoint(membership) ? ` and of ${membership.outgoing.join(',')}` : ''} holding it`,
        );
    }
    if (!(sameLife && before.leader && before.term === state.term)) {
      const result = jointVoteResult(membership.voters, membership.outgoing, state.votesGranted, []);
      // A learner or a node outside the configuration never campaigns (etcd raft.promotable), except
      // a voter of the previous configuration while the newest is uncommitted (dissertation §4.2.2).
      if (!isVoter(membership, node) && !votedBeforeUncommittedChange(world, state, node))
        report(
          DECIDED_BY_CONFIG_QUORUM,
          `${node} became leader of term ${state.term} without being a voter of ${membership.voters.join(',')}`,
        );
      else if (result !== 'won')
        report(
          DECIDED_BY_CONFIG_QUORUM,
          `${node} leads term ${state.term} with votes of ${state.votesGranted.join(',')}: not a quorum of ${membership.voters.join(',')}${isJoint(membership) ? ` and of ${membership.outgoing.join(',')}` : ''}`,
        );
    }
  }
  // Proofs of reach.
  for (const learner of membership.learners) memory.learnersSeen.add(learner);
  if (isJoint(membership)) memory.reached.add('joint');
  const committed = state.membershipIndex > 0 && state.membershipIndex <= state.commitIndex;
  if (committed) {
    memory.reached.add('committed');
    const initial = initialVoters(world);
    if (membership.voters.some((voter) => !initial.includes(voter))) memory.reached.add('added');
    if (initial.some((voter) => !isVoter(membership, voter))) memory.reached.add('removed');
    if (membership.voters.some((voter) => memory.learnersSeen.has(voter))) memory.reached.add('promoted');
    if (stepped && sameLife && before.leader && !leader && !isVoter(membership, node))
      memory.reached.add('removed-leader-stepped-down');
  }
  if (before === undefined)
    memory.nodes.set(node, {
      upSince,
      leader,
      term: state.term,
      commit: state.commitIndex,
      membershipIndex: state.membershipIndex,
    });
  else {
    before.membershipIndex = state.membershipIndex;
    before.upSince = upSince;
    before.leader = leader;
    before.term = state.term;
    before.commit = state.commitIndex;
  }
}

const membershipMemory = defineMemory<RaftState, MembershipMemory>({
  name: 'raft-membership',
  create: () => ({
    nodes: new Map(),
    found: new Map(),
    learnersSeen: new Set(),
    reached: new Set(),
    reported: new Set(),
  }),
  observe(memory, world, change) {
    if (change.node !== undefined) observeNode(memory, world, change.node, true);
    else for (const node of world.nodes) observeNode(memory, world, node, false);
    return memory.found.size === 0;
  },
});

function rule(name: string, description: string): Invariant<RaftState, MembershipMemory> {
  return foundRule(name, description, membershipMemory);
}

export const oneUncommittedConfChange = rule(
  ONE_UNCOMMITTED_CONF_CHANGE,
  'A leader proposes a configuration change only when the previous one has committed (dissertation §4.1: one change at a time).',
);
export const confChangeAfterOwnTermCommit = rule(
  CONF_CHANGE_AFTER_OWN_TERM_COMMIT,
  'A leader proposes a configuration change only after it committed an entry of its own term (Ongaro, raft-dev 2015).',
);
export const decidedByConfigQuorum = rule(
  DECIDED_BY_CONFIG_QUORUM,
  "Every commit and every election is decided by a quorum of the leader's configuration in force: a majority of each half when joint (dissertation §4.1, §4.3).",
);

function reach(name: string, flag: string, description: string): Invariant<RaftState, MembershipMemory> {
  return sometimes<RaftState, MembershipMemory>(name, (_world, memory) => memory.reached.has(flag), {
    description,
    memory: membershipMemory,
  });
}

/** Proofs of reach for membership scenarios. */
export const membershipReach = {
  confChangeCommitted: reach('conf-change-committed', 'committed', 'A configuration change committed.'),
  voterAdded: reach('voter-added', 'added', 'A committed configuration has a voter the initial one lacked.'),
  voterRemoved: reach('voter-removed', 'removed', 'A committed configuration lacks a voter of the initial one.'),
  jointEntered: reach('joint-config-entered', 'joint', 'A node used a joint configuration C_old,new (§4.3).'),
  learnerPromoted: reach('learner-promoted', 'promoted', 'A learner became a voter by a committed change.'),
  removedLeaderSteppedDown: reach(
    'removed-leader-stepped-down',
    'removed-leader-stepped-down',
    'A leader stepped down once the configuration that removed it committed (§4.2.2).',
  ),
} as const;

/** The membership rules every Raft run checks. */
export const membershipInvariants: readonly Invariant<RaftState>[] = [
  oneUncommittedConfChange,
  confChangeAfterOwnTermCommit,
  decidedByConfigQuorum,
];
