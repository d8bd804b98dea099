import { connectivity, type Fault } from '../faults/faults.ts';
import { MAX_LATENCY_MICROS, sampleLatency, type LatencyDistribution } from './latency.ts';
import type { NodeId } from '../author/protocol.ts';
import type { Random } from '../random/random.ts';
import type { Micros } from '../time/time.ts';

/** Behaviour of one directed link. */
export interface LinkBehaviour {
  readonly latency: LatencyDistribution;
  /** Probability a message is lost. */
  readonly loss: number;
  /** Probability a message is delivered twice. */
  readonly duplicate: number;
}

/** The network as a scenario resolves it (durations in microseconds). */
export interface ResolvedNetwork extends LinkBehaviour {
  /** Deliver messages on each link in the order they were sent (TCP-like). */
  readonly fifo: boolean;
  /** Per-link overrides, applied in order (a later override wins). */
  readonly links: readonly ResolvedLinkOverride[];
  /** Latency between clients and nodes. */
  readonly clientLatency: LatencyDistribution;
  /** Latency by message kind (a message's `type`), replacing the link's; absent when none is set. */
  readonly messageLatency?: Readonly<Record<string, LatencyDistribution>>;
}

export interface ResolvedLinkOverride {
  readonly from: NodeId | '*';
  readonly to: NodeId | '*';
  readonly latency?: LatencyDistribution;
  readonly loss?: number;
  readonly duplicate?: number;
}

export type DropReason = 'partition' | 'loss' | 'crashed';

/** What the network decided for one message: dropped with a reason, or delivered at one or two times. */
export type Transmission =
  | { readonly dropped: DropReason }
  | { readonly dropped?: undefined; readonly deliverAt: Micros; readonly duplicateAt?: Micros };

/**
 * Decides the fate of each message: partitions, loss, duplication, latency and FIFO ordering.
 * Node indexes (positions in the scenario's node list) keep the hot path free of string maps.
 */
export class Network {
  private readonly size: number;
  private readonly index: ReadonlyMap<NodeId, number>;
  /** blocked[from * n + to] = 1 when a partition cuts the link. */
  private readonly blocked: Uint8Array;
  private partitioned = false;
  /** Per-link behaviour where an override applies; undefined means the base. */
  private readonly linkBehaviour: Array<LinkBehaviour | undefined>;
  private readonly base: LinkBehaviour;
  /** Network-wide fault overrides, cleared by heal. */
  private faultLoss: number | undefined;
  private faultDuplicate: number | undefined;
  private faultLatency: LatencyDistribution | undefined;
  /** Latency by message kind, or undefined when the scenario sets none (the kernel then never asks a message's kind). */
  readonly kindLatency: ReadonlyMap<string, LatencyDistribution> | undefined;
  /** Last scheduled delivery per directed link, for FIFO links. */
  private readonly lastDelivery: Float64Array | undefined;
  /**
   * The common network, decided once here and again after each fault: every link alike, no loss,
   * no duplicates, no per-kind latency, not FIFO, and a uniform or constant latency. Then a
   * message's fate is a partition check and one draw (`route`), with the same draws and results
   * as `routeAnyNetwork` gives; otherwise -1.
   */
  private uniformMin: Micros = -1;
  /** `max - min + 1` of that uniform latency, 0 for a constant one. */
  private uniformSpan = 0;

  constructor(
    readonly nodes: readonly NodeId[],
    readonly config: ResolvedNetwork,
    private readonly random: Random,
  ) {
    this.size = nodes.length;
    this.index = new Map(nodes.map((node, i) => [node, i]));
    this.blocked = new Uint8Array(this.size * this.size);
    this.base = { latency: config.latency, loss: config.loss, duplicate: config.duplicate };
    this.linkBehaviour = config.links.length > 0 ? this.resolveOverrides(config.links) : [];
    this.lastDelivery = config.fifo ? new Float64Array(this.size * this.size) : undefined;
    this.kindLatency = config.messageLatency ? new Map(Object.entries(config.messageLatency)) : undefined;
    this.decideCommonCase();
  }

  private decideCommonCase(): void {
    this.uniformMin = -1;
    this.uniformSpan = 0;
    const base = this.base;
    if (this.linkBehaviour.length > 0 || this.kindLatency !== undefined || this.lastDelivery !== undefined) return;
    if ((this.faultLoss ?? base.loss) > 0 || (this.faultDuplicate ?? base.duplicate) > 0) return;
    const latency = this.faultLatency ?? base.latency;
    if (latency.dist === 'uniform') {
      // random.int's arguments as it checks them: a range it would refuse stays on the general path.
      if (!(latency.min <= latency.max) || latency.max > MAX_LATENCY_MICROS) return;
      if (!Number.isSafeInteger(latency.min) || latency.min < 0 || !Number.isSafeInteger(latency.max)) return;
      this.uniformMin = latency.min;
      this.uniformSpan = latency.max - latency.min + 1;
    } else if (latency.dist === 'constant') {
      if (!(latency.micros >= 0 && latency.micros <= MAX_LATENCY_MICROS)) return;
      this.uniformMin = latency.micros;
    }
  }

  private resolveOverrides(overrides: readonly ResolvedLinkOverride[]): Array<LinkBehaviour | undefined> {
    const behaviour: Array<LinkBehaviour | undefined> = new Array(this.size * this.size);
    for (const override of overrides) {
      for (let from = 0; from < this.size; from++) {
        if (override.from !== '*' && this.nodes[from] !== override.from) continue;
        for (let to = 0; to < this.size; to++) {
          if (from === to || (override.to !== '*' && this.nodes[to] !== override.to)) continue;
          const current = behaviour[from * this.size + to] ?? this.base;
          behaviour[from * this.size + to] = {
            latency: override.latency ?? current.latency,
            loss: override.loss ?? current.loss,
            duplicate: override.duplicate ?? current.duplicate,
          };
        }
      }
    }
    return behaviour;
  }

  indexOf(node: NodeId): number | undefined {
    return this.index.get(node);
  }

  isBlocked(from: number, to: number): boolean {
    return this.partitioned && this.blocked[from * this.size + to] === 1;
  }

  get hasPartition(): boolean {
    return this.partitioned;
  }

  /** Why `route` dropped the last message it returned -1 for. */
  dropReason: DropReason = 'loss';
  /** When `route`'s last message is delivered a second time, or -1 when it is not duplicated. */
  duplicateAt: Micros = -1;

  /** Decides a message's fate at send time. */
  transmit(from: number, to: number, now: Micros): Transmission {
    const deliverAt = this.route(from, to, now);
    if (deliverAt < 0) return { dropped: this.dropReason };
    return this.duplicateAt < 0 ? { deliverAt } : { deliverAt, duplicateAt: this.duplicateAt };
  }

  /**
   * `transmit` without an object per message, for the kernel's hot path: the delivery time, or -1
   * when the message is dropped (why: `dropReason`); a duplicate's time is left in `duplicateAt`.
   */
  route(from: number, to: number, now: Micros, kind?: string): Micros {
    const min = this.uniformMin;
    if (min < 0) return this.routeAnyNetwork(from, to, now, kind);
    this.duplicateAt = -1;
    if (this.partitioned && this.blocked[from * this.size + to] === 1) {
      this.dropReason = 'partition';
      return -1;
    }
    // sampleLatency's draw for a uniform latency (Random.int), or none for a constant one.
    const span = this.uniformSpan;
    return span === 0 ? now + min : now + (min + Math.floor(this.random.next() * span));
  }

  /** `route` for any network: overrides, faults, per-kind latency, loss, duplicates and FIFO. */
  routeAnyNetwork(from: number, to: number, now: Micros, kind?: string): Micros {
    const link = from * this.size + to;
    this.duplicateAt = -1;
    if (this.partitioned && this.blocked[link] === 1) {
      this.dropReason = 'partition';
      return -1;
    }
    // Without overrides the per-link table is empty: reading past its end would cost more than the check.
    const behaviour = this.linkBehaviour.length > 0 ? (this.linkBehaviour[link] ?? this.base) : this.base;
    const loss = this.faultLoss ?? behaviour.loss;
    if (loss > 0 && this.random.chance(loss)) {
      this.dropReason = 'loss';
      return -1;
    }
    const latency =
      this.faultLatency ?? (kind !== undefined ? this.kindLatency?.get(kind) : undefined) ?? behaviour.latency;
    let deliverAt = now + sampleLatency(latency, this.random);
    if (this.lastDelivery) {
      // FIFO: never overtake an earlier message on the same link.
      const last = this.lastDelivery[link]!;
      if (deliverAt < last) deliverAt = last;
      this.lastDelivery[link] = deliverAt;
    }
    const duplicate = this.faultDuplicate ?? behaviour.duplicate;
    if (duplicate > 0 && this.random.chance(duplicate)) {
      let duplicateAt = now + sampleLatency(latency, this.random);
      if (this.lastDelivery) {
        if (duplicateAt < deliverAt) duplicateAt = deliverAt;
        this.lastDelivery[link] = duplicateAt;
      }
      this.duplicateAt = duplicateAt;
    }
    return deliverAt;
  }

  clientLatency(): Micros {
    return sampleLatency(this.config.clientLatency, this.random);
  }

  /** Applies a network fault. Returns false if the fault is not a network fault. */
  apply(fault: Fault): boolean {
    const applied = this.applyFault(fault);
    if (applied) this.decideCommonCase();
    return applied;
  }

  private applyFault(fault: Fault): boolean {
    switch (fault.type) {
      case 'heal':
        this.blocked.fill(0);
        this.partitioned = false;
        this.faultLoss = undefined;
        this.faultDuplicate = undefined;
        this.faultLatency = undefined;
        return true;
      case 'loss':
        this.faultLoss = fault.probability;
        return true;
      case 'duplicate':
        this.faultDuplicate = fault.probability;
        return true;
      case 'slow':
        this.faultLatency = fault.latency;
        return true;
      default: {
        const canTalk = connectivity(fault, this.nodes);
        if (!canTalk) return false;
        this.blocked.fill(0);
        this.partitioned = false;
        for (let from = 0; from < this.size; from++) {
          for (let to = 0; to < this.size; to++) {
            if (from !== to && !canTalk(this.nodes[from]!, this.nodes[to]!)) {
              this.blocked[from * this.size + to] = 1;
              this.partitioned = true;
            }
          }
        }
        return true;
      }
    }
  }
}
