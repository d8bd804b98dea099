import type { NodeId } from '@dsim/core';
import type { Acks } from './config.ts';
import type { Entry, PartitionState } from './messages.ts';

/** What a leader knows of one follower (KAFKA.md §1.1, leader-only state). */
export interface FollowerProgress {
  /** Last fetch offset; -1 = unknown (reset on election, `Replica.resetReplicaState`). */
  leo: number;
  lastFetchTime: number;
  lastCaughtUpTime: number;
  /** The leader's LEO at this follower's previous fetch (for the lastCaughtUpTime rule, §2.2 step 4). */
  leaderLeoAtLastFetch: number;
  /** Fetched in the current leader epoch (an ISR-expand condition, §2.6). */
  fetchedInEpoch: boolean;
}

export interface ParkedProduce {
  readonly from: NodeId;
  readonly connection: number;
  readonly requestId: number;
  /** The HW that completes it: last offset + 1. */
  readonly requiredHw: number;
  readonly offset: number;
}

export interface ParkedFetch {
  readonly fetchId: number;
  readonly fetchOffset: number;
}

export interface ProducerBatches {
  /** Producer epoch (always 0 here: a producer restart is a new PID). */
  lastSeq: number;
  /** The last 5 batches: seq → offset (`ProducerStateEntry.NUM_BATCHES_TO_RETAIN`). */
  recent: Array<{ seq: number; offset: number }>;
}

/** One broker's replica of one partition. */
export interface Replica {
  readonly partition: number;
  /** The controller's view as last learned (KAFKA.md §1.1: last-learned metadata). */
  meta: PartitionState | null;
  role: 'leader' | 'follower' | 'offline';
  /** Leader epoch this replica acts in (-1 before it learned one). */
  leaderEpoch: number;
  log: Entry[];
  hw: number;
  /** Log end offset that has reached the disk (for the view: the flushed mark). */
  flushed: number;
  /** epoch → start offset, both strictly increasing (`LeaderEpochFileCache`). */
  epochCache: Array<[epoch: number, start: number]>;
  /** Producer dedupe state, rebuilt from the log (§1.3). */
  producers: Record<string, ProducerBatches>;
  // leader-only
  /** Leader-epoch start offset: the LEO when it became leader in this epoch. */
  leso: number;
  followers: Record<NodeId, FollowerProgress>;
  /** A pending AlterPartition's proposed ISR: HW and acks use ISR ∪ this (the maximal ISR, §2.5). */
  pendingIsr: NodeId[] | null;
  parkedProduces: ParkedProduce[];
  parkedFetches: Record<NodeId, ParkedFetch>;
  // follower-only
  /** The request id a follower expects an answer to (stale answers are ignored). */
  fetchId: number;
  /** 'truncating': waiting for OffsetsForLeaderEpoch; 'fetching': a fetch is out; 'backoff': waiting to fetch again. */
  fetchState: 'idle' | 'truncating' | 'fetching' | 'backoff';
  /**
   * A follower has applied a fetch response in its current leader epoch, so its truncation is
   * done and its HW came from this leader (until then a restarted replica's HW is a stale
   * checkpoint over a log that may still be cut).
   */
  syncedInEpoch: boolean;
  // counters named after Kafka's metrics
  isrShrinks: number;
  isrExpands: number;
  notEnoughReplicas: number;
  truncatedEntries: number;
}

export interface BrokerState {
  readonly kind: 'broker';
  incarnation: number;
  brokerEpoch: number;
  controllerEpoch: number;
  registered: boolean;
  replicas: Record<number, Replica>;
}

export interface ControllerBroker {
  brokerEpoch: number;
  incarnation: number;
  registered: boolean;
  fenced: boolean;
  /** Local time of the last heartbeat (volatile: a new controller grants a fresh session). */
  lastHeartbeat: number;
}

export interface ControllerState {
  readonly kind: 'controller';
  controllerEpoch: number;
  nextBrokerEpoch: number;
  brokers: Record<NodeId, ControllerBroker>;
  partitions: PartitionState[];
  /** Counters: `UncleanLeaderElectionsPerSec` and elections in all. */
  uncleanElections: number;
  elections: number;
}

export interface PendingBatch {
  readonly id: string;
  readonly partition: number;
  /**
   * Producer id and sequence; a batch never sent yet gets new ones when an idempotent producer
   * bumps its epoch (a new id here) after a batch expired. A batch once sent keeps its own, so
   * no record is ever written under two ids.
   */
  pid: number;
  seq: number;
  readonly createdAt: number;
  attempts: number;
  status: 'queued' | 'inflight';
  requestId: number;
  retryAt: number;
}

export interface AckedRecord {
  readonly id: string;
  readonly partition: number;
  readonly offset: number;
  readonly acks: Acks;
}

export interface ProducerState {
  readonly kind: 'producer';
  readonly incarnation: number;
  /** Producer id; a new one after an idempotent batch expires (the epoch bump of KIP-360). */
  pid: number;
  nextRecord: number;
  nextRequestId: number;
  nextSeq: Record<number, number>;
  queue: PendingBatch[];
  leaders: Record<number, NodeId | null>;
  metadataPending: boolean;
  acked: AckedRecord[];
  /** acks=0 records sent without any answer. */
  sentUnacknowledged: string[];
  failed: string[];
  errors: Record<string, number>;
}

export interface ConsumedRecord {
  readonly partition: number;
  readonly offset: number;
  readonly id: string;
  /** The serving replica and its HW when it answered (I-2). */
  readonly from: NodeId;
  readonly servedHw: number;
}

export interface ConsumerState {
  readonly kind: 'consumer';
  positions: Record<number, number>;
  fetchIds: Record<number, number>;
  leaders: Record<number, PartitionState | null>;
  reads: ConsumedRecord[];
}

export type KafkaState = BrokerState | ControllerState | ProducerState | ConsumerState;

export function leo(replica: { readonly log: readonly unknown[] }): number {
  return replica.log.length;
}
