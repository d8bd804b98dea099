import type { WorldView } from '../author/invariant.ts';
import type { NodeId } from '../author/protocol.ts';
import type { InvariantMemories, MemorySlot, MonitoredInvariant } from './invariant-memories.ts';

/**
 * The `always` invariants a run checks after every step, and which of them need their own check
 * this time.
 *
 * Plain: `all` of them, in the scenario's order, each checked through InvariantMemories.check.
 *
 * Fast (`toCheck`): a memory that observed the change without error and answered quiet stands in
 * for its `always` invariants (InvariantMemory.observe), and InvariantMemories.check returns true
 * for each of them without calling it. So when every memory the step invariants read is quiet,
 * the only checks left are those of the invariants without a memory, in the same order; when one
 * memory is not quiet, all of them are checked as in the plain way. A Raft hour asks this after
 * every one of its four million steps, where its five safety invariants share one memory that is
 * nearly always quiet: one question instead of five checks.
 *
 * The verdicts are the plain way's: the memories are brought up to date here, before the checks
 * of the invariants without a memory rather than between them, and a memory only reads the world
 * (step-invariants.test.ts holds the two ways equal).
 */
export class StepInvariants {
  /** The distinct memories the invariants read, in the order of their first reader. */
  private readonly slots: MemorySlot[] = [];
  /** The invariants without a memory, in order: what is left to check when every memory is quiet. */
  private readonly withoutMemory: MonitoredInvariant[] = [];
  /**
   * The one memory every step invariant reads, when there is one and no invariant goes without a
   * memory (the Raft hour's five safety invariants): after a step, that memory answering quiet is
   * the whole answer, which `steppedQuiet` gets without going through `toCheck`.
   */
  readonly sole: MemorySlot | undefined;

  constructor(
    readonly all: readonly MonitoredInvariant[],
    private readonly memories: InvariantMemories,
  ) {
    for (const monitored of all) {
      const slot = monitored.slot;
      if (slot === undefined) this.withoutMemory.push(monitored);
      else if (!this.slots.includes(slot)) this.slots.push(slot);
    }
    this.sole = this.slots.length === 1 && this.withoutMemory.length === 0 ? this.slots[0] : undefined;
  }

  /**
   * A node's handler ran (`InvariantMemories.stepped`); when every step invariant reads the `sole`
   * memory, it observes the step here and its answer is returned: true means no step invariant can
   * fail now, the plain way's empty `toCheck`. False means `toCheck` gives the answer (`all`, or
   * the plain way's answer when there is no sole memory): the memory is up to date, so it does not
   * observe the step twice.
   */
  steppedQuiet(world: WorldView<any>, node: NodeId, position: number): boolean {
    const sole = this.sole;
    if (sole === undefined) {
      this.memories.stepped(node, position);
      return false;
    }
    return this.memories.steppedQuiet(sole, world, node, position);
  }

  /** The invariants to check after this change (see the class comment); the plain way's answer is `all`. */
  toCheck(world: WorldView<any>): readonly MonitoredInvariant[] {
    const slots = this.slots;
    const memories = this.memories;
    for (let i = 0; i < slots.length; i++) if (!memories.quiet(slots[i]!, world)) return this.all;
    return this.withoutMemory;
  }
}
