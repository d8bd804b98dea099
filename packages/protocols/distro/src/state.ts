import type { Micros, NodeId } from '@dsim/core';

/** The timers of a Distro node; keyed ones carry an id after the colon. */
export const timers = [
  'load',
  'loadTimeout',
  'engine',
  'syncTimeout',
  'verify',
  'report',
  'unhealthyReport',
  'reportTimeout',
  'forwardTimeout',
  'beatCheck',
] as const;
export type DistroTimer = (typeof timers)[number];

/** ServerMemberManager's member states (NodeState). */
export type MemberState = 'UP' | 'SUSPICIOUS' | 'DOWN';

/** The one instance a client publishes. */
export interface InstanceData {
  readonly service: string;
  /** Ephemeral instances are deleted on silence; persistent ones are only marked unhealthy. */
  readonly ephemeral: boolean;
  healthy: boolean;
}

/**
 * A replicated Client (Nacos 2.x IpPortBasedClient): keyed by its id, which is also the tag the
 * responsible node is hashed from. `revision` grows with every change the owner makes.
 */
export interface ClientCopy {
  readonly id: string;
  revision: number;
  instance: InstanceData;
  /** Local time of the last beat (owner) or verify pass (replica). */
  lastBeatLocal: Micros;
}

export interface MemberView {
  readonly id: NodeId;
  state: MemberState;
  failAccessCount: number;
}

/** A pending DistroDelayTask, merged by (client, target): the newer action wins, the first due time stays. */
export interface SyncTask {
  readonly client: string;
  readonly target: NodeId;
  action: 'change' | 'delete';
  dueLocal: Micros;
}

export interface InflightSync {
  readonly client: string;
  readonly target: NodeId;
  readonly action: 'change' | 'delete';
}

export interface PendingForward {
  readonly requestId: string;
  readonly target: NodeId;
}

export interface DistroState {
  readonly incarnation: number;
  /** Until the snapshot load finishes, the server status is STARTING: it answers no request and sends no verify. */
  ready: boolean;
  /** The index into the peers of the current snapshot request, -1 when none is out. */
  loadCursor: number;
  loadedFrom: NodeId | null;
  /**
   * The snapshot came from a member that had not finished its own load. Nacos answers snapshot
   * requests whatever its load state (DistroProtocol.onSnapshot), so two members restarting
   * together can load each other's empty registries.
   */
  loadedFromLoadingPeer: boolean;
  members: MemberView[];
  /** Round-robin cursor of MemberInfoReportTask. */
  reportCursor: number;
  /** DistroMapper's sorted healthy list (UP ∪ SUSPICIOUS, self included). */
  healthyList: NodeId[];
  /** Clients by id, the full local copy every read is answered from. */
  clients: Record<string, ClientCopy>;
  /**
   * The ids of the clients holding a healthy instance of each service, sorted: an index of
   * `clients` kept by copies.ts, so a read costs its answer and not a scan of every client.
   */
  healthyByService: Record<string, string[]>;
  /** Counts over `clients` kept by copies.ts (and recounted when the healthy list changes), for the view. */
  tally: ClientTally;
  /** Pending delay tasks, keyed `client|target`. */
  tasks: Record<string, SyncTask>;
  inflight: Record<string, InflightSync>;
  forwards: Record<string, PendingForward>;
  nextId: number;
  stats: DistroStats;
}

export interface ClientTally {
  /** Clients this node is responsible for by its own healthy list. */
  responsible: number;
  healthy: number;
  persistent: number;
}

export interface DistroStats {
  /** Pushes sent (change and delete), and how many failed and were retried. */
  pushes: number;
  pushRetries: number;
  verifyRounds: number;
  /** Verify entries a replica answered FAIL to, each repaired by an immediate push from the owner. */
  verifyRepairs: number;
  /** Times the healthy list changed, moving responsibility. */
  rehashes: number;
  expiries: number;
  /** Expiries of clients this node was not responsible for (only possible with a bug switch). */
  expiriesNotOwned: number;
  /**
   * Copies created (a registration or re-registering beat of a client this node did not hold, a push
   * or snapshot entry of one) and removed (deregistration, expiry, collection, a pushed delete).
   */
  clientsAdded: number;
  clientsRemoved: number;
  /** Writes to a held copy's revision or renewal time (copies.ts), so an observer can tell that none changed. */
  copyWrites: number;
  /** Copies collected because no owner renewed them for the client-expiry time. */
  collected: number;
  /** Pushes received by source node, for the view's sync edges. */
  pushesFrom: Record<NodeId, number>;
}

export type DistroMessage =
  | { readonly type: 'Report' }
  | { readonly type: 'ReportAck' }
  | { readonly type: 'SnapshotRequest' }
  | { readonly type: 'Snapshot'; readonly clients: readonly SyncData[]; readonly senderReady: boolean }
  | { readonly type: 'Sync'; readonly id: string; readonly action: 'change'; readonly data: SyncData }
  | { readonly type: 'Sync'; readonly id: string; readonly action: 'delete'; readonly client: string }
  | { readonly type: 'SyncAck'; readonly id: string }
  | { readonly type: 'Verify'; readonly entries: readonly (readonly [string, number])[] }
  | { readonly type: 'VerifyFailed'; readonly clients: readonly string[] }
  | { readonly type: 'Forward'; readonly id: string; readonly op: DistroOp }
  | { readonly type: 'ForwardReply'; readonly id: string; readonly ok: boolean; readonly error?: string };

/** ClientSyncData: the client's full state at send time. */
export interface SyncData {
  readonly client: string;
  readonly revision: number;
  readonly instance: InstanceData;
}

/** What a Nacos client does: register its instance, beat, deregister; any client reads a service. */
export type DistroOp =
  | {
      readonly f: 'register' | 'beat';
      readonly key: string;
      readonly value: { readonly service: string; readonly ephemeral: boolean };
    }
  | { readonly f: 'deregister'; readonly key: string }
  | { readonly f: 'read'; readonly key: string };

/** A read answers the healthy instances of the service (their client ids, sorted). */
export type DistroResult = readonly string[];
