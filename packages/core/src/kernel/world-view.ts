import type { HistoryEntry } from '../author/history.ts';
import type { WorldView } from '../author/invariant.ts';
import type { AnyProtocol, NodeId, NodeSummary } from '../author/protocol.ts';
import type { ResolvedScenario } from '../scenario/schema.ts';
import type { Micros } from '../time/time.ts';
import type { HistoryLog } from './history-log.ts';
import { positionOf, type NodeRuntime } from './node-runtime.ts';

/**
 * The invariants' view of a run. The kernel sets its time, and the runtime of the node that just
 * stepped, which invariants ask for first.
 */
export class KernelWorldView implements WorldView {
  time: Micros = 0;
  /** The stepped node's runtime: invariants ask for the stepped node's state first, and find it here. */
  steppedRuntime: NodeRuntime | undefined = undefined;
  readonly nodes: readonly NodeId[];
  readonly faultsEndAt: Micros;
  readonly config: unknown;

  constructor(
    private readonly runtimes: readonly NodeRuntime[],
    private readonly nodeIndex: ReadonlyMap<NodeId, number>,
    private readonly protocol: AnyProtocol,
    scenario: ResolvedScenario,
    readonly crashed: readonly NodeId[],
    private readonly log: HistoryLog,
  ) {
    this.nodes = scenario.nodes;
    this.faultsEndAt = scenario.faultsEndAt;
    this.config = scenario.config;
  }

  /** The history so far, built into objects as far as it has grown (see HistoryLog). */
  get history(): readonly HistoryEntry[] {
    return this.log.entries();
  }

  /** Invariants ask for every node after every step, the stepped one most of all. */
  private runtimeOf(id: NodeId): NodeRuntime | undefined {
    const stepped = this.steppedRuntime;
    if (stepped !== undefined && stepped.id === id) return stepped;
    return this.runtimes[positionOf(this.nodes, this.nodeIndex, id)];
  }

  state(id: NodeId): unknown {
    const node = this.runtimeOf(id);
    return node?.up ? node.state : undefined;
  }

  summary(id: NodeId): NodeSummary | undefined {
    const node = this.runtimeOf(id);
    return node?.up ? this.protocol.summarize(node.state) : undefined;
  }

  isUp(id: NodeId): boolean {
    return this.runtimeOf(id)?.up === true;
  }

  isPaused(id: NodeId): boolean {
    return this.runtimeOf(id)?.paused === true;
  }

  upSince(id: NodeId): Micros | undefined {
    const node = this.runtimeOf(id);
    return node?.up ? node.upSince : undefined;
  }

  durableAt(id: NodeId): Micros | undefined {
    const node = this.runtimeOf(id);
    if (!node?.up) return undefined;
    return node.disk === undefined ? this.time : node.storage.durableAt(this.time);
  }

  downSince(id: NodeId): Micros | undefined {
    const node = this.runtimeOf(id);
    return node && !node.up ? node.downSince : undefined;
  }
}
