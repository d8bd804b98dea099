import type { NodeId } from '@dsim/core';
import type { Acks } from './config.ts';

/** The controller's record of one partition (KAFKA.md §1.2), as it sends it to brokers. */
export interface PartitionState {
  readonly partition: number;
  readonly replicas: readonly NodeId[];
  readonly leader: NodeId | null;
  readonly leaderEpoch: number;
  readonly partitionEpoch: number;
  readonly isr: readonly NodeId[];
  /** Eligible leader replicas (KIP-966). */
  readonly elr: readonly NodeId[];
}

/** One log entry (one record per batch, KAFKA.md §7). */
export interface Entry {
  readonly epoch: number;
  /** The record's payload id: `<producer>.<incarnation>.<n>`. */
  readonly id: string;
  /** Producer id and sequence; pid -1 without idempotence. */
  readonly pid: number;
  readonly seq: number;
}

export type ProduceError =
  | 'NOT_LEADER_OR_FOLLOWER'
  | 'NOT_ENOUGH_REPLICAS'
  | 'NOT_ENOUGH_REPLICAS_AFTER_APPEND'
  | 'REQUEST_TIMED_OUT'
  | 'OUT_OF_ORDER_SEQUENCE_NUMBER';

export type FetchError =
  'NOT_LEADER_OR_FOLLOWER' | 'FENCED_LEADER_EPOCH' | 'UNKNOWN_LEADER_EPOCH' | 'OFFSET_OUT_OF_RANGE';

export type KafkaMessage =
  // broker <-> controller
  | { readonly type: 'Register'; readonly incarnation: number }
  | {
      readonly type: 'Registered';
      readonly brokerEpoch: number;
      readonly controllerEpoch: number;
      readonly partitions: readonly PartitionState[];
    }
  | { readonly type: 'Heartbeat'; readonly brokerEpoch: number }
  | {
      readonly type: 'HeartbeatReply';
      readonly controllerEpoch: number;
      readonly reregister: boolean;
      readonly partitions: readonly PartitionState[];
    }
  | { readonly type: 'LeaderAndIsr'; readonly controllerEpoch: number; readonly state: PartitionState }
  | {
      readonly type: 'AlterPartition';
      readonly partition: number;
      readonly leaderEpoch: number;
      readonly partitionEpoch: number;
      readonly isr: readonly NodeId[];
      readonly brokerEpoch: number;
    }
  | {
      readonly type: 'AlterPartitionReply';
      readonly controllerEpoch: number;
      readonly accepted: boolean;
      readonly state: PartitionState;
    }
  // clients <-> controller (metadata, abstracted: any broker answers it in Kafka)
  | { readonly type: 'MetadataRequest' }
  | { readonly type: 'MetadataReply'; readonly partitions: readonly PartitionState[] }
  // follower <-> leader
  | {
      readonly type: 'Fetch';
      readonly partition: number;
      readonly fetchId: number;
      readonly fetchOffset: number;
      readonly leaderEpoch: number;
      /** Epoch of the follower's last entry (-1 when empty); read with truncation 'onFetch'. */
      readonly lastFetchedEpoch: number;
    }
  | {
      readonly type: 'FetchReply';
      readonly partition: number;
      readonly fetchId: number;
      readonly leaderEpoch: number;
      readonly error?: FetchError;
      readonly startOffset: number;
      readonly entries: readonly Entry[];
      /** The leader's HW as of the read (KAFKA.md §2.4: one fetch late). */
      readonly hw: number;
      /** The leader's LEO, for OFFSET_OUT_OF_RANGE. */
      readonly leo: number;
      readonly diverging?: { readonly epoch: number; readonly endOffset: number };
    }
  | {
      readonly type: 'OffsetsForLeaderEpoch';
      readonly partition: number;
      readonly fetchId: number;
      readonly leaderEpoch: number;
      readonly epoch: number;
    }
  | {
      readonly type: 'OffsetsForLeaderEpochReply';
      readonly partition: number;
      readonly fetchId: number;
      readonly error?: FetchError;
      /** -1 when undefined (before 2.0: the follower then falls back to its HW). */
      readonly epoch: number;
      readonly endOffset: number;
    }
  // producer <-> leader
  | {
      readonly type: 'Produce';
      readonly partition: number;
      /**
       * The producer's incarnation: a correlation id is unique only within one connection, and a
       * restarted producer opens new connections, so a reply sent on an old one never reaches it.
       */
      readonly connection: number;
      readonly requestId: number;
      readonly acks: Acks;
      readonly id: string;
      readonly pid: number;
      readonly seq: number;
    }
  | {
      readonly type: 'ProduceReply';
      readonly partition: number;
      readonly connection: number;
      readonly requestId: number;
      readonly error?: ProduceError;
      readonly offset: number;
    }
  // consumer <-> serving replica
  | { readonly type: 'ConsumerFetch'; readonly partition: number; readonly fetchId: number; readonly offset: number }
  | {
      readonly type: 'ConsumerFetchReply';
      readonly partition: number;
      readonly fetchId: number;
      readonly error?: FetchError;
      readonly offset: number;
      readonly ids: readonly string[];
      readonly hw: number;
    };

export function describeMessage(msg: KafkaMessage): string {
  switch (msg.type) {
    case 'Register':
      return `Register inc=${msg.incarnation}`;
    case 'Registered':
      return `Registered be=${msg.brokerEpoch} ce=${msg.controllerEpoch}`;
    case 'Heartbeat':
      return `Heartbeat be=${msg.brokerEpoch}`;
    case 'HeartbeatReply':
      return `HeartbeatReply${msg.reregister ? ' reregister' : ''}`;
    case 'LeaderAndIsr':
      return `LeaderAndIsr p${msg.state.partition} leader=${msg.state.leader ?? 'none'} e=${msg.state.leaderEpoch} isr=${msg.state.isr.join(',')}`;
    case 'AlterPartition':
      return `AlterPartition p${msg.partition} isr=${msg.isr.join(',')} pe=${msg.partitionEpoch}`;
    case 'AlterPartitionReply':
      return `AlterPartitionReply p${msg.state.partition} ${msg.accepted ? 'ok' : 'rejected'} isr=${msg.state.isr.join(',')}`;
    case 'MetadataRequest':
      return 'Metadata';
    case 'MetadataReply':
      return `MetadataReply ${msg.partitions.map((p) => `p${p.partition}:${p.leader ?? 'none'}`).join(' ')}`;
    case 'Fetch':
      return `Fetch p${msg.partition} off=${msg.fetchOffset} e=${msg.leaderEpoch}`;
    case 'FetchReply':
      return msg.error
        ? `FetchReply p${msg.partition} ${msg.error}`
        : msg.diverging
          ? `FetchReply p${msg.partition} diverging=${msg.diverging.epoch}/${msg.diverging.endOffset}`
          : `FetchReply p${msg.partition} off=${msg.startOffset} n=${msg.entries.length} hw=${msg.hw}`;
    case 'OffsetsForLeaderEpoch':
      return `OffsetsForLeaderEpoch p${msg.partition} epoch=${msg.epoch}`;
    case 'OffsetsForLeaderEpochReply':
      return `OffsetsForLeaderEpochReply p${msg.partition} ${msg.error ?? `${msg.epoch}/${msg.endOffset}`}`;
    case 'Produce':
      return `Produce p${msg.partition} ${msg.id} acks=${msg.acks}${msg.pid >= 0 ? ` pid=${msg.pid} seq=${msg.seq}` : ''}`;
    case 'ProduceReply':
      return `ProduceReply p${msg.partition} #${msg.requestId} ${msg.error ?? `offset=${msg.offset}`}`;
    case 'ConsumerFetch':
      return `ConsumerFetch p${msg.partition} off=${msg.offset}`;
    case 'ConsumerFetchReply':
      return `ConsumerFetchReply p${msg.partition} ${msg.error ?? `off=${msg.offset} n=${msg.ids.length} hw=${msg.hw}`}`;
  }
}
