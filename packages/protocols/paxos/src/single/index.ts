import { defineProtocol } from '@dsim/core';
import { coverage } from './coverage.ts';
import { singleDecreeBugs, type SingleDecreeBug } from '../bugs.ts';
import { defaults, validateConfig, type PaxosConfig } from './config.ts';
import { invariants } from './invariants.ts';
import { describeMessage, type PaxosMessage } from './messages.ts';
import { dispatch, init, onRequest, onTimer, type ProposeOp } from './node.ts';
import { timers, type PaxosState, type PaxosTimer } from './state.ts';
import { roleOf, view } from './view.ts';
import { formatBallot } from '../ballot.ts';
import { workloads } from './workloads.ts';

/**
 * Single-decree Paxos (Lamport, "Paxos Made Simple", 2001): every node is acceptor and learner,
 * some are proposers; proposal numbers (round, proposer id); promises and acceptances synced to
 * stable storage before replies; NACKs carrying the higher promise; randomized back-off.
 */
export const paxos = defineProtocol<
  PaxosState,
  PaxosMessage,
  ProposeOp,
  string,
  PaxosConfig,
  PaxosTimer,
  SingleDecreeBug
>({
  name: 'paxos',
  description: 'Single-decree Paxos (Paxos Made Simple): proposers, acceptors, learners; NACKs and randomized back-off',
  defaults,
  timers,
  init,
  onMessage: (state, from, msg, ctx) => dispatch(state, ctx, from, msg),
  onTimer: (state, timer, ctx) => onTimer(state, ctx, timer),
  onRequest: (state, request, ctx) => onRequest(state, ctx, request),
  summarize: (state) => ({
    role: roleOf(state),
    ballot: formatBallot(state.ballot),
    promised: formatBallot(state.promised),
    accepted: state.accepted ? `${formatBallot(state.accepted.ballot)}:${state.accepted.value}` : '-',
    learned: state.learned,
  }),
  view,
  describeMessage,
  validateConfig,
  invariants,
  workloads,
  bugs: singleDecreeBugs,
  coverage,
});
