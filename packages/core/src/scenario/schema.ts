import type { Fault, ScheduledFault } from '../faults/faults.ts';
import type { Invariant } from '../author/invariant.ts';
import type { AnyProtocol, NodeId } from '../author/protocol.ts';
import type { NemesisSpec } from '../faults/nemesis.ts';
import type { LatencyDistribution } from '../kernel/latency.ts';
import type { ResolvedNetwork } from '../kernel/network.ts';
import type { Duration, Micros } from '../time/time.ts';
import type { WorkloadSpec } from '../author/workload.ts';

/** A latency distribution as a user writes it: durations may carry units, a bare duration means constant. */
export type LatencySpec =
  | Duration
  | { readonly dist: 'constant'; readonly micros: Duration }
  | { readonly dist: 'uniform'; readonly min: Duration; readonly max: Duration }
  | { readonly dist: 'exponential'; readonly mean: Duration; readonly min?: Duration }
  | { readonly dist: 'normal'; readonly mean: Duration; readonly stddev: Duration; readonly min?: Duration }
  | { readonly dist: 'lognormal'; readonly median: Duration; readonly sigma: number; readonly min?: Duration };

export interface LinkSpec {
  /** A node id, or '*' for every node. */
  readonly from: NodeId | '*';
  readonly to: NodeId | '*';
  readonly latency?: LatencySpec;
  readonly loss?: number;
  readonly duplicate?: number;
  /** Also apply to the reverse direction. Default true. */
  readonly bothWays?: boolean;
}

export interface NetworkSpec {
  /** Default: uniform 1ms..5ms. */
  readonly latency?: LatencySpec;
  /** Probability each message is lost. Default 0. */
  readonly loss?: number;
  /** Probability each message is delivered twice. Default 0. */
  readonly duplicate?: number;
  /** Deliver in send order on each link, as TCP does. Default false (latency variance reorders). */
  readonly fifo?: boolean;
  readonly links?: readonly LinkSpec[];
  /** Latency between clients and nodes. Default: the network latency. */
  readonly clientLatency?: LatencySpec;
  /**
   * Latency by message kind, replacing the link's latency for messages whose `type` field names
   * the kind: `{ InstallSnapshot: '40ms' }` makes snapshots slow and leaves heartbeats fast.
   * A network fault's latency (`slow`) still applies to every message.
   */
  readonly messageLatency?: Readonly<Record<string, LatencySpec>>;
}

/**
 * How long a node's disk takes to make writes durable. With a sync latency, a step whose
 * `storage.sync()` found unsynced writes sends its messages only when the sync completes, and
 * a crash before then loses those writes too (with `loseUnsyncedWrites`). Syncs on one node
 * complete in order, one after the other. Default: none (a sync is instant).
 */
export interface StorageSpec {
  /** Every node's sync latency. */
  readonly syncLatency?: LatencySpec;
  /** Per-node overrides: `{ n3: '20ms' }` (a slow disk). */
  readonly nodes?: Readonly<Record<NodeId, LatencySpec>>;
}

/** Each node's sync latency, in node order; null where syncs are instant. */
export interface ResolvedStorage {
  readonly syncLatency: ReadonlyArray<LatencyDistribution | null>;
}

export interface ClockSpec {
  /** Initial offset of the local clock from global time. */
  readonly offset?: Duration;
  /** Drift in parts per million (positive runs fast). */
  readonly driftPpm?: number;
}

/**
 * A scenario: which protocol, which nodes, what network, what faults, what clients do, and
 * what must hold. Plain data (JSON works as well as TypeScript), except that a TypeScript
 * scenario may pass a protocol object and extra invariants.
 */
export interface Scenario {
  readonly name: string;
  readonly description?: string;
  /** A protocol name from the registry ('raft'), or a protocol object. */
  readonly protocol: string | AnyProtocol;
  /** A count (nodes n1..nN) or explicit ids. */
  readonly nodes: number | readonly NodeId[];
  /** Default seed when none is given on the command line. */
  readonly seed?: number;
  /** The run stops at this global time. */
  readonly until: Duration;
  /** Overrides of the protocol's defaults (deep-merged). */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Bug switches to turn on (names from the protocol's `bugs`). */
  readonly bugs?: readonly string[];
  readonly network?: NetworkSpec;
  readonly storage?: StorageSpec;
  /** Initial clock state per node. */
  readonly clocks?: Readonly<Record<NodeId, ClockSpec>>;
  /** An explicit fault schedule. */
  readonly faults?: readonly ScheduledFault[];
  /** Faults generated from the seed, added to the explicit ones. */
  readonly nemesis?: NemesisSpec;
  readonly workload?: WorkloadSpec;
  /**
   * Which invariants to check: names of the protocol's invariants and/or invariant objects.
   * Default: all of the protocol's.
   */
  readonly invariants?: ReadonlyArray<string | Invariant>;
  /** Stop at the first violation. Default true. */
  readonly stopOnViolation?: boolean;
  /** Record each node's full state in the trace whenever it changes (large). Default false. */
  readonly traceFullState?: boolean;
  /**
   * The most events and message sends the run may use; a run that needs more ends with a
   * `livelock` verdict. Default for each: 100,000 per simulated second per node, at least 1,000,000.
   */
  readonly budget?: { readonly events?: number; readonly messages?: number };
}

/** A run's budget: more events or message sends than this end it as a livelock. */
export interface ResolvedBudget {
  readonly events: number;
  readonly messages: number;
}

/** Identity function that type-checks a scenario in a `.ts` file. */
export function defineScenario<S extends Scenario>(scenario: S): S {
  return scenario;
}

export interface ScenarioIssue {
  /** Where in the scenario: 'faults[2].fault.node'. */
  readonly path: string;
  readonly message: string;
}

/** A message lists this many problems; the rest are counted (all stay in `issues`). */
const SHOWN_ISSUES = 30;

/** A scenario that cannot run. Its message lists every problem with its field and a fix. */
export class ScenarioError extends Error {
  constructor(
    readonly issues: readonly ScenarioIssue[],
    readonly source?: string,
  ) {
    super(
      `${source ? `${source}: ` : ''}the scenario is not valid:\n` +
        issues
          .slice(0, SHOWN_ISSUES)
          .map((issue) => `  - ${issue.path ? `${issue.path}: ` : ''}${issue.message}`)
          .join('\n') +
        (issues.length > SHOWN_ISSUES ? `\n  … and ${issues.length - SHOWN_ISSUES} more problems` : ''),
    );
    this.name = 'ScenarioError';
  }
}

export interface ResolvedWorkload {
  readonly name: string;
  readonly clients: number;
  readonly thinkTime: Micros;
  readonly timeout: Micros;
  readonly startAt: Micros;
  readonly stopAt: Micros;
  readonly opsPerClient: number;
  readonly options: Readonly<Record<string, unknown>>;
}

/** A scenario with every default applied, every duration in microseconds, and faults generated. */
export interface ResolvedScenario {
  readonly name: string;
  readonly description?: string;
  readonly protocol: AnyProtocol;
  readonly nodes: readonly NodeId[];
  readonly seed: number;
  readonly until: Micros;
  readonly config: unknown;
  readonly bugs: readonly string[];
  readonly network: ResolvedNetwork;
  /** Absent when every sync is instant. */
  readonly storage?: ResolvedStorage;
  readonly clocks: ReadonlyArray<readonly [NodeId, Micros, number]>;
  readonly faults: ReadonlyArray<{ readonly at: Micros; readonly fault: Fault }>;
  readonly faultsEndAt: Micros;
  readonly workload?: ResolvedWorkload;
  readonly invariants: readonly Invariant[];
  readonly stopOnViolation: boolean;
  readonly traceFullState: boolean;
  readonly budget: ResolvedBudget;
}

export type ProtocolRegistry = Readonly<Record<string, AnyProtocol>>;

export interface ResolveOptions {
  readonly registry?: ProtocolRegistry;
  readonly seed?: number;
  readonly until?: Duration;
  /** Where the scenario came from, for error messages. */
  readonly source?: string;
}
