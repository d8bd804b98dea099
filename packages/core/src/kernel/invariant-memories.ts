import type { Invariant, InvariantFailure, InvariantMemory, InvariantResult, WorldView } from '../author/invariant.ts';
import type { NodeId } from '../author/protocol.ts';

/** One memory of one run, as the table keeps it. */
export interface MemorySlot {
  readonly memory: InvariantMemory<any, any>;
  created: boolean;
  value: unknown;
  /** The change count when it last observed (-1: never). */
  seen: number;
  /** What its last observation said: none of its `always` invariants can be violated now. */
  quiet: boolean;
  /** What creating or observing it threw, reported by each invariant that reads it. */
  error: string | undefined;
}

/** An invariant of one run, bound to its run memory's slot (resolved once, not per check). */
export interface MonitoredInvariant {
  readonly invariant: Invariant<any, any>;
  readonly slot: MemorySlot | undefined;
}

/**
 * The run memories of one run's invariants (see InvariantMemory): created on first use, brought up
 * to date once per change of the world, before the first check that reads them. The owner counts
 * the changes of node states: `stepped(node)` after a node's handler ran, `changed()` after
 * anything else that may change states (the start, a fault).
 */
export class InvariantMemories {
  private readonly slots = new Map<InvariantMemory<any, any>, MemorySlot>();
  private changes = 0;
  /** The node of the latest change and its position in the world's nodes, when the latest change was one node's step. */
  private lastNode: NodeId | undefined = undefined;
  private lastPosition: number | undefined = undefined;
  /**
   * What a memory is told changed, filled in before each observation: one object for the run
   * rather than one per step (a memory reads it during `observe` and keeps nothing of it).
   */
  private readonly change: { node: NodeId | undefined; position: number | undefined } = {
    node: undefined,
    position: undefined,
  };

  /** A node's handler ran; `position` is the node's position in the world's nodes. */
  stepped(node: NodeId, position: number): void {
    this.changes++;
    this.lastNode = node;
    this.lastPosition = position;
  }

  /**
   * A node's handler ran, and `slot`'s memory observes the step at once: `stepped` and then
   * `quiet(slot)`, without the steps between them. Only for a memory that observed the previous
   * change without error (so it learns which node stepped, as `observe` would tell it); otherwise
   * the plain `quiet` brings it up to date. Written out rather than as `stepped` then `quiet`: it
   * runs after every step, and going through `quiet` and `observe` made the Raft hour 4–7% slower.
   */
  steppedQuiet(slot: MemorySlot, world: WorldView<any>, node: NodeId, position: number): boolean {
    const changes = ++this.changes;
    this.lastNode = node;
    this.lastPosition = position;
    if (slot.seen !== changes - 1 || slot.error !== undefined) return this.quiet(slot, world);
    const change = this.change;
    change.node = node;
    change.position = position;
    slot.seen = changes;
    try {
      return (slot.quiet = slot.memory.observe(slot.value, world, change) === true);
    } catch (error) {
      slot.quiet = false;
      slot.error = `the memory '${slot.memory.name}' threw: ${messageOf(error)}`;
      return false;
    }
  }

  changed(): void {
    this.changes++;
    this.lastNode = undefined;
    this.lastPosition = undefined;
  }

  /** Binds an invariant to its memory's slot for this run. */
  monitor(invariant: Invariant<any, any>): MonitoredInvariant {
    const memory = invariant.memory;
    if (memory === undefined) return { invariant, slot: undefined };
    let slot = this.slots.get(memory);
    if (slot === undefined) {
      slot = { memory, created: false, value: undefined, seen: -1, quiet: false, error: undefined };
      this.slots.set(memory, slot);
    }
    return { invariant, slot };
  }

  /**
   * Checks a monitored invariant against the world: true, or what is wrong. A check that throws
   * says so. A memory that answered quiet stands in for the checks of its `always` invariants
   * (`eventually` and `sometimes` ones are asked whether they hold, which quiet does not say).
   */
  check(monitored: MonitoredInvariant, world: WorldView<any>): true | string {
    const result = this.report(monitored, world);
    return result === true ? true : result.message;
  }

  /** As `check`, with the nodes the invariant names when it fails (see InvariantFailure). */
  report(monitored: MonitoredInvariant, world: WorldView<any>): true | InvariantFailure {
    const invariant = monitored.invariant;
    const slot = monitored.slot;
    let memoryValue: unknown = undefined;
    if (slot !== undefined) {
      if (slot.seen !== this.changes && slot.error === undefined) this.observe(slot, world);
      if (slot.error !== undefined) return { message: slot.error };
      if (slot.quiet && invariant.kind === 'always') return true;
      memoryValue = slot.value;
    }
    let result: InvariantResult;
    try {
      result = invariant.check(world, memoryValue);
    } catch (error) {
      return { message: `the check threw: ${messageOf(error)}` };
    }
    if (result === true) return true;
    if (typeof result === 'string') return { message: result };
    if (typeof result === 'object' && result !== null && typeof result.message === 'string') {
      const nodes = result.nodes;
      if (nodes === undefined || nodes.length === 0) return { message: result.message };
      // Each node once, in the order given; anything but a node id is a bug in the invariant, said so.
      const unique = [...new Set(nodes)];
      const stray = unique.find((node) => !world.nodes.includes(node));
      if (stray !== undefined)
        return { message: `${result.message} (the check named '${String(stray)}', which is not a node)` };
      return { message: result.message, nodes: unique };
    }
    return { message: `'${invariant.name}' does not hold` };
  }

  /**
   * Brings a memory up to date with the world (as the first check that reads it would) and says
   * whether it answers quiet for its `always` invariants: observed without error, and quiet.
   */
  quiet(slot: MemorySlot, world: WorldView<any>): boolean {
    if (slot.seen !== this.changes && slot.error === undefined) this.observe(slot, world);
    return slot.quiet && slot.error === undefined;
  }

  private observe(slot: MemorySlot, world: WorldView<any>): void {
    const memory = slot.memory;
    if (!slot.created) {
      slot.created = true;
      try {
        slot.value = memory.create(world);
      } catch (error) {
        slot.error = `the memory '${memory.name}' could not be created: ${messageOf(error)}`;
        return;
      }
    }
    // A memory one change behind learns which node stepped; further behind, it rescans.
    const change = this.change;
    const oneStep = slot.seen === this.changes - 1;
    change.node = oneStep ? this.lastNode : undefined;
    change.position = oneStep ? this.lastPosition : undefined;
    slot.seen = this.changes;
    try {
      slot.quiet = memory.observe(slot.value, world, change) === true;
    } catch (error) {
      slot.quiet = false;
      slot.error = `the memory '${memory.name}' threw: ${messageOf(error)}`;
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
