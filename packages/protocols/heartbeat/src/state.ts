import type { Micros, NodeId } from '@dsim/core';

export type PeerStatus = 'healthy' | 'unhealthy' | 'removed';

/** The detector's timers: `beat` sends a beat to every peer, `check` times out silent peers. */
export const timers = ['beat', 'check'] as const;
export type HeartbeatTimer = (typeof timers)[number];

/** What one node believes about one peer. */
export interface PeerView {
  readonly id: NodeId;
  /** This node's local clock when the last beat arrived (or when this node started: a grace period). */
  lastBeatLocal: Micros;
  /** The peer's incarnation in its last beat: it grows on every restart. */
  incarnation: number;
  status: PeerStatus;
}

export interface HeartbeatState {
  /** Read from durable storage and incremented on every start, so peers can tell a restart from a delay. */
  readonly incarnation: number;
  /** One view per peer, in peer order (an array, not an object keyed by id, so order never depends on the ids). */
  peers: PeerView[];
  /** Peers currently unhealthy or removed, kept up to date on every transition so summaries cost O(1), not O(peers). */
  unhealthy: NodeId[];
  removed: NodeId[];
}

export type HeartbeatMessage = { readonly type: 'Beat'; readonly incarnation: number; readonly sentAtLocal: Micros };

/** Clients ask a node what it thinks of a peer. */
export type HeartbeatOp = { readonly f: 'status'; readonly key: NodeId };
