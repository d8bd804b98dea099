import type { NodeContext, NodeId } from '../author/protocol.ts';
import type { NodeView } from '../author/view.ts';
import type { Random } from '../random/random.ts';
import type { Micros } from '../time/time.ts';
import type { NodeClock } from './clock.ts';
import type { NodeDisk } from './disk.ts';
import { NodeTimers } from './node-timers.ts';
import type { NodeStorage } from './storage.ts';

/** One node as the kernel runs it: its state, whether it is up or paused, its clock, disk and timers. */
export class NodeRuntime {
  state: unknown = undefined;
  up = true;
  paused = false;
  upSince: Micros = 0;
  downSince: Micros = 0;
  /** How many times the node crashed: messages held for a sync belong to one life of the node. */
  crashes = 0;
  /** Set when the scenario gives this node a sync latency. */
  disk: NodeDisk | undefined = undefined;
  /** Event slots that arrived while paused, replayed in order on resume. */
  deferred: number[] = [];
  /** Pending timers by name, in the order they were set. */
  readonly timers = new NodeTimers();
  /** The summary last traced, as its JSON bytes. */
  lastSummary: Uint8Array | undefined = undefined;
  /** The state object last summarized (immutable mode), to skip unchanged steps. */
  summarizedState: unknown = undefined;
  /** The view last traced (a JSON copy, so a protocol's in-place changes in the mutable mode cannot alter it). */
  lastView: NodeView | undefined = undefined;
  context!: NodeContext;
  constructor(
    readonly id: NodeId,
    readonly index: number,
    readonly clock: NodeClock,
    readonly storage: NodeStorage,
    readonly random: Random,
  ) {}
}

/**
 * A node's position in `ids`, or -1. A small cluster's few ids are compared directly, cheaper than
 * hashing an id per message or per invariant: the scenario's ids are the engine's unique copies
 * (see intern.ts), so each comparison is one of addresses when a protocol hands back the ids it
 * was given.
 */
export function positionOf(ids: readonly NodeId[], index: ReadonlyMap<NodeId, number>, id: NodeId): number {
  if (ids.length <= 16) {
    for (let i = 0; i < ids.length; i++) if (ids[i] === id) return i;
    return -1;
  }
  return index.get(id) ?? -1;
}
