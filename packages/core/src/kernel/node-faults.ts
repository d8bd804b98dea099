import type { NodeId } from '../author/protocol.ts';
import type { Fault } from '../faults/faults.ts';
import type { TraceRecorder } from '../trace/recorder.ts';
import type { Micros } from '../time/time.ts';
import type { KernelEvents } from './kernel-events.ts';
import { positionOf, type NodeRuntime } from './node-runtime.ts';
import type { Timers } from './timers.ts';

/** The faults that strike one node: crash and restart, pause and resume, clock jumps and drift. */
export class NodeFaults {
  constructor(
    private readonly nodes: readonly NodeRuntime[],
    private readonly ids: readonly NodeId[],
    private readonly nodeIndex: ReadonlyMap<NodeId, number>,
    /** Nodes that are down, in the order they crashed (the invariants' world view reads it). */
    private readonly crashedNodes: NodeId[],
    private readonly events: KernelEvents,
    private readonly timers: Timers,
    private readonly trace: TraceRecorder,
  ) {}

  /**
   * Applies a crash, restart, pause, resume or clock fault to its node. Returns the node to start
   * again after a restart: its protocol's init is the caller's to run.
   */
  apply(fault: Fault, now: Micros): NodeRuntime | undefined {
    switch (fault.type) {
      case 'crash': {
        const node = this.node(fault.node);
        node.up = false;
        node.downSince = now;
        this.crashedNodes.push(node.id);
        node.paused = false;
        // What waited for the node is lost with it.
        for (const slot of node.deferred) this.events.release(slot);
        node.deferred = [];
        node.state = undefined;
        node.timers.clear();
        node.crashes++;
        node.disk?.crash();
        const lost = node.storage.crash(fault.loseUnsyncedWrites === true, now);
        if (lost > 0 && this.trace.enabled)
          this.trace.write({
            t: now,
            k: 'note',
            node: node.id,
            text: `crash lost ${lost} unsynced storage writes`,
          });
        return undefined;
      }
      case 'restart': {
        const node = this.node(fault.node);
        node.up = true;
        node.upSince = now;
        this.crashedNodes.splice(this.crashedNodes.indexOf(node.id), 1);
        return node;
      }
      case 'pause':
        this.node(fault.node).paused = true;
        return undefined;
      case 'resume': {
        const node = this.node(fault.node);
        node.paused = false;
        // Everything that waited runs now, in the order it arrived: the post-GC burst.
        const deferred = node.deferred;
        node.deferred = [];
        for (const slot of deferred) {
          this.events.time[slot] = now;
          this.events.schedule(slot);
        }
        return undefined;
      }
      case 'clockJump':
      case 'clockDrift': {
        const node = this.node(fault.node);
        if (fault.type === 'clockJump') node.clock.jump(now, fault.delta as Micros);
        else node.clock.setDrift(now, fault.ppm);
        if (this.trace.enabled)
          this.trace.write({
            t: now,
            k: 'clock',
            node: node.id,
            offset: node.clock.offsetAt(now),
            driftPpm: node.clock.driftPpm,
          });
        this.timers.clockChanged(node, now);
        return undefined;
      }
      default:
        throw new Error(`unhandled fault ${JSON.stringify(fault)}`);
    }
  }

  private node(id: NodeId): NodeRuntime {
    const index = positionOf(this.ids, this.nodeIndex, id);
    if (index < 0) throw new Error(`unknown node '${id}'`);
    return this.nodes[index]!;
  }
}
