import { defineProtocol, type Draft, type NodeId, type Operation, type TimerName } from '@dsim/core';
import { coverage } from './coverage.ts';
import { bugs, type KafkaBug } from './bugs.ts';
import { initBroker, handleBrokerMessage, onFlush, onHeartbeatTimer, onHwCheckpoint } from './broker.ts';
import { defaults, roleOf, validateConfig, type KafkaConfig } from './config.ts';
import { handleConsumerMessage, initConsumer, onConsumerMetadataTimer, onPoll } from './consumer.ts';
import { timers, type KafkaContext, type KafkaTimer } from './context.ts';
import { handleControllerMessage, initController, onSessionCheck } from './controller.ts';
import { onFetchTimer } from './follower.ts';
import { invariants } from './invariants.ts';
import { onIsrCheck, onParkExpired, onProduceTimeout } from './leader.ts';
import { describeMessage, type KafkaMessage } from './messages.ts';
import {
  handleProducerMessage,
  initProducer,
  onMetadataTimer,
  onProduceTimer,
  onRequestTimeout,
  pump,
} from './producer.ts';
import type { KafkaState } from './state.ts';
import { summarize, view } from './view.ts';

function init(ctx: KafkaContext): KafkaState {
  switch (roleOf(ctx.self)) {
    case 'controller':
      return initController(ctx);
    case 'producer':
      return initProducer(ctx);
    case 'consumer':
      return initConsumer(ctx);
    default:
      return initBroker(ctx);
  }
}

function onMessage(state: Draft<KafkaState>, from: NodeId, msg: KafkaMessage, ctx: KafkaContext): void {
  switch (state.kind) {
    case 'broker':
      return handleBrokerMessage(state, from, msg, ctx);
    case 'controller':
      return handleControllerMessage(state, from, msg, ctx);
    case 'producer':
      return handleProducerMessage(state, msg, ctx);
    case 'consumer':
      return handleConsumerMessage(state, from, msg, ctx);
  }
}

function onTimer(state: Draft<KafkaState>, timer: TimerName<KafkaTimer>, ctx: KafkaContext): void {
  const colon = timer.indexOf(':');
  const name = colon < 0 ? timer : timer.slice(0, colon);
  const key = colon < 0 ? '' : timer.slice(colon + 1);
  switch (state.kind) {
    case 'broker':
      if (name === 'heartbeat') return onHeartbeatTimer(state, ctx);
      if (name === 'isrCheck') return onIsrCheck(state, ctx);
      if (name === 'flush') return onFlush(state, ctx);
      if (name === 'hwCheckpoint') return onHwCheckpoint(state, ctx);
      if (name === 'fetch') return onFetchTimer(state, Number(key), ctx);
      if (name === 'park') return onParkExpired(state, key, ctx);
      if (name === 'produce') return onProduceTimeout(state, key, ctx);
      return;
    case 'controller':
      if (name === 'session') onSessionCheck(state, ctx);
      return;
    case 'producer':
      if (name === 'produce') return onProduceTimer(state, ctx);
      if (name === 'retry') return pump(state, ctx);
      if (name === 'request') return onRequestTimeout(state, Number(key), ctx);
      if (name === 'metadata') return onMetadataTimer(state, ctx);
      return;
    case 'consumer':
      if (name === 'poll') return onPoll(state, ctx);
      if (name === 'metadata') return onConsumerMetadataTimer(state, ctx);
      return;
  }
}

/**
 * Kafka partition replication (KAFKA.md §1–§3): brokers b1.. hosting replicas of the partitions
 * of topic `t`, a controller `c` (abstracted, with its own failure and controller epoch),
 * producers p1.. and consumers r1... Configuration selects the protocol generation.
 */
export const kafka = defineProtocol<KafkaState, KafkaMessage, Operation, never, KafkaConfig, KafkaTimer, KafkaBug>({
  name: 'kafka',
  description: 'Kafka partition replication: ISR, acks, high watermark, leader epochs, truncation generations',
  defaults,
  timers,
  init: (ctx) => init(ctx as KafkaContext),
  onMessage: (state, from, msg, ctx) => onMessage(state, from, msg, ctx as KafkaContext),
  onTimer: (state, timer, ctx) => onTimer(state, timer, ctx as KafkaContext),
  summarize,
  view,
  describeMessage,
  validateConfig,
  invariants,
  bugs,
  coverage,
});

export default kafka;
export { bugs, defaults, describeMessage, invariants, summarize, view };
export type { KafkaBug, KafkaConfig, KafkaMessage, KafkaState, KafkaTimer };
export {
  assignment,
  brokersOf,
  describeConfig,
  effectiveMinIsr,
  generations,
  roleOf,
  sessionTimeoutMs,
  validateConfig,
  type Acks,
  type NodeRole,
  type Truncation,
} from './config.ts';
export * from './invariants.ts';
export * from './log.ts';
export { describeRows } from './view.ts';
export type * from './state.ts';
export type { Entry, PartitionState } from './messages.ts';
export { families } from './families.ts';
export * from './scenario-kit.ts';
export * from './hunts.ts';
