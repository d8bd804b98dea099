import type { ClientRequest, NodeId } from '@dsim/core';
import type { Ballot } from '../ballot.ts';
import { ACCEPTED_KEY, PROMISED_KEY, handleAccept, handlePrepare } from './acceptor.ts';
import { LEARNED_KEY, handleAccepted, handleWhatIsChosen, learn, onLearnTimer } from './learner.ts';
import type { PaxosMessage, Proposal } from './messages.ts';
import { ROUND_KEY, adoptInput, handleNack, handlePromise, onPhaseTimeout, startRound } from './proposer.ts';
import type { MutablePaxosState, PaxosContext, PaxosState, PaxosTimer } from './state.ts';
import type { TimerName } from '@dsim/core';

/** The value a node proposes on its own: unique per node, so validity can name who proposed it. */
export function ownValue(node: NodeId): string {
  return `v.${node}`;
}

/**
 * Starts or restarts a node from stable storage: the acceptor's promise and accepted proposal, the
 * proposer's last round, the learned value. A proposer that has not learned starts a round after
 * `proposeAfterMicros` (plus jitter); everyone who has not learned asks peers now and then.
 */
export function init(ctx: PaxosContext): PaxosState {
  const storage = ctx.storage;
  const promised = ctx.bugs.has('acceptorForgetsPromiseOnRestart') ? null : (storage.get<Ballot>(PROMISED_KEY) ?? null);
  const accepted = storage.get<Proposal>(ACCEPTED_KEY) ?? null;
  const learned = storage.get<string>(LEARNED_KEY) ?? null;
  const proposes = ctx.indexOf(ctx.self) < ctx.config.proposers;
  const state: PaxosState = {
    promised,
    accepted,
    input: proposes ? ownValue(ctx.self) : null,
    round: storage.get<number>(ROUND_KEY) ?? 0,
    highestRoundSeen: 0,
    phase: learned !== null ? 'done' : 'idle',
    ballot: null,
    promises: [],
    highestReported: null,
    value: null,
    attempts: 0,
    nacks: 0,
    learned,
    tallies: {},
    waiting: [],
  };
  if (learned === null) {
    if (proposes) {
      const jitter = ctx.config.proposeJitterMicros > 0 ? ctx.random.int(0, ctx.config.proposeJitterMicros) : 0;
      const byNode = ctx.config.proposeAfterMicrosByNode;
      const after = Object.hasOwn(byNode, ctx.self) ? byNode[ctx.self]! : ctx.config.proposeAfterMicros;
      ctx.setTimer('propose', after + jitter);
    }
    ctx.setTimer('learn', ctx.config.learnRetryMicros);
  }
  return state;
}

export function dispatch(state: MutablePaxosState, ctx: PaxosContext, from: NodeId, msg: PaxosMessage): void {
  switch (msg.type) {
    case 'Prepare':
      return handlePrepare(state, ctx, from, msg.ballot);
    case 'Promise':
      state.highestRoundSeen = Math.max(state.highestRoundSeen, msg.ballot.round);
      return handlePromise(state, ctx, from, msg.ballot, msg.accepted);
    case 'Accept':
      return handleAccept(state, ctx, from, msg.ballot, msg.value);
    case 'Accepted':
      return handleAccepted(state, ctx, from, msg.ballot, msg.value);
    case 'Nack':
      return handleNack(state, ctx, msg.ballot, msg.promised);
    case 'WhatIsChosen':
      return handleWhatIsChosen(state, ctx, from);
    case 'Chosen':
      return learn(state, ctx, msg.value);
  }
}

export function onTimer(state: MutablePaxosState, ctx: PaxosContext, timer: TimerName<PaxosTimer>): void {
  if (timer === 'propose') startRound(state, ctx);
  else if (timer === 'phaseTimeout') onPhaseTimeout(state, ctx);
  else if (timer === 'learn') onLearnTimer(state, ctx);
}

/**
 * A client's `propose` request: answered with the chosen value once this node learns it (which
 * may be another proposer's value: Paxos chooses one value, not the client's).
 */
export function onRequest(state: MutablePaxosState, ctx: PaxosContext, request: ClientRequest<ProposeOp>): void {
  const op = request.op;
  if (op?.f !== 'propose' || typeof op.value !== 'string')
    return ctx.respond(request.id, { type: 'fail', error: "a request must be { f: 'propose', value: string }" });
  if (state.learned !== null) return ctx.respond(request.id, { type: 'ok', value: state.learned });
  state.waiting.push(request.id);
  adoptInput(state, ctx, op.value);
}

/** What a single-decree client asks: propose this value, and tell me which value was chosen. */
export interface ProposeOp {
  readonly f: 'propose';
  readonly value: string;
  readonly key?: undefined;
}
