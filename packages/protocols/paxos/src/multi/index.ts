import { defineProtocol } from '@dsim/core';
import { coverage } from './coverage.ts';
import { formatBallot } from '../ballot.ts';
import { multiPaxosBugs, type MultiPaxosBug } from '../bugs.ts';
import type { KvOp, KvResult } from '@dsim/services';
import { defaults, validateConfig, type MultiPaxosConfig } from './config.ts';
import { invariants } from './invariants.ts';
import { describeMessage, type MultiPaxosMessage } from './messages.ts';
import { dispatch, init, onRequest, onTimer } from './node.ts';
import { timers, type MultiPaxosState, type MultiPaxosTimer } from './state.ts';
import { view } from './view.ts';
import { workloads } from './workloads.ts';

/**
 * Multi-Paxos ("Paxos Made Simple" §3) serving a replicated key-value store: a distinguished
 * leader elected by ballot with a failure detector runs phase 1 once for all future slots and
 * phase 2 per slot; a new leader recovers in-flight slots (re-proposing the highest accepted value,
 * filling gaps with no-ops); the commit index rides on Accept and Heartbeat; lagging replicas catch
 * up from the leader. No log compaction: every slot stays in memory and on storage.
 */
export const multiPaxos = defineProtocol<
  MultiPaxosState,
  MultiPaxosMessage,
  KvOp,
  KvResult,
  MultiPaxosConfig,
  MultiPaxosTimer,
  MultiPaxosBug
>({
  name: 'multipaxos',
  description:
    'Multi-Paxos with a distinguished leader, slot recovery, no-op fills and catch-up; a replicated key-value store',
  defaults,
  timers,
  init,
  onMessage(state, from, msg, ctx) {
    if (state.learnedThisStep.length > 0) state.learnedThisStep = [];
    dispatch(state, ctx, from, msg);
    if (ctx.storage.unsyncedWrites > 0) ctx.storage.sync();
  },
  onTimer(state, timer, ctx) {
    if (state.learnedThisStep.length > 0) state.learnedThisStep = [];
    onTimer(state, ctx, timer);
    if (ctx.storage.unsyncedWrites > 0) ctx.storage.sync();
  },
  onRequest(state, request, ctx) {
    if (state.learnedThisStep.length > 0) state.learnedThisStep = [];
    onRequest(state, ctx, request);
    if (ctx.storage.unsyncedWrites > 0) ctx.storage.sync();
  },
  summarize: (state) => ({
    role: state.role,
    ballot: formatBallot(state.ballot),
    promised: formatBallot(state.promised),
    leader: state.leader,
    commit: state.commitIndex,
    applied: state.appliedIndex,
  }),
  view,
  describeMessage,
  validateConfig,
  invariants,
  workloads,
  bugs: multiPaxosBugs,
  coverage,
});
