import { defineProtocol } from '@dsim/core';
import { coverage } from './coverage.ts';
import { bugs, type RaftBug } from './bugs.ts';
import { timers, type RaftTimer } from './context.ts';
import { view } from './view.ts';
import { defaults, validateConfig, type RaftConfig, type ReadMode } from './config.ts';
import {
  invariants as coreInvariants,
  linearizableKv,
  raftInvariants as coreRaftInvariants,
  reachInvariants,
} from './invariants.ts';
import { membershipInvariants, membershipReach } from './invariants-membership.ts';
import { describeMessage, type RaftMessage } from './messages.ts';
import { init, onTimer, step } from './node.ts';
import { ready } from './ready.ts';
import { handleRequest } from './requests.ts';
import { lastIndex, type Entry, type KvOp, type KvResult, type RaftState, type Role } from './state.ts';
import { workloads as baseWorkloads } from './workloads.ts';
import { kvRetrying } from './workload-retries.ts';

/** Every Raft run's invariants: the paper's, durability, timing rules, and the configuration-change rules. */
const invariants = [...coreInvariants, ...membershipInvariants];

/** Every invariant including the reach checks. */
function raftInvariants() {
  return [...coreRaftInvariants(), ...membershipInvariants];
}

/** The workloads scenarios name: kv, writes, and kv-retry (kv with clients that retry with their session's sequence number). */
const workloads = { ...baseWorkloads, 'kv-retry': kvRetrying };

/**
 * Raft (Ongaro & Ousterhout 2014) in the etcd-raft style: randomized elections with PreVote and
 * CheckQuorum, replication with fast backtracking and the current-term commit rule, persistence
 * synced before acknowledgements, a key-value state machine with client sessions, ReadIndex and
 * lease reads, leadership transfer, and snapshots with InstallSnapshot.
 */
export const raft = defineProtocol<RaftState, RaftMessage, KvOp, KvResult, RaftConfig, RaftTimer, RaftBug>({
  name: 'raft',
  description:
    'Raft with etcd PreVote, CheckQuorum, ReadIndex/lease reads, leadership transfer and snapshots; a replicated key-value store',
  defaults,
  timers,
  init,
  onMessage(state, from, msg, ctx) {
    step(state, ctx, from, msg);
    ready(state, ctx);
  },
  onTimer(state, timer, ctx) {
    onTimer(state, ctx, timer);
    ready(state, ctx);
  },
  onRequest(state, request, ctx) {
    handleRequest(state, ctx, request);
    ready(state, ctx);
  },
  summarize: (state) => ({
    role: state.role,
    term: state.term,
    vote: state.vote,
    leader: state.leader,
    commit: state.commitIndex,
    applied: state.appliedIndex,
    last: lastIndex(state),
    snapshot: state.snapshotIndex,
  }),
  view,
  describeMessage,
  validateConfig,
  invariants,
  workloads,
  bugs,
  coverage,
});

export {
  defaults,
  invariants,
  raftInvariants,
  reachInvariants,
  membershipReach,
  linearizableKv,
  workloads,
  bugs,
  describeMessage,
};
export * from './invariants.ts';
export * from './invariants-membership.ts';
export * from './invariants-reference.ts';
export * from './invariants-durability.ts';
export * from './invariants-vote-lease.ts';
export * from './invariants-timing-rules.ts';
export { mergeRetries } from './history-retries.ts';
export { kvRetrying } from './workload-retries.ts';
export type { RaftConfig, ReadMode, RaftState, RaftMessage, KvOp, KvResult, Entry, Role, RaftTimer, RaftBug };
export type { ConfChange, ConfChangeStep, Membership } from './membership.ts';
export default raft;
export { families } from './families.ts';
export { bugHunts } from './hunts.ts';
