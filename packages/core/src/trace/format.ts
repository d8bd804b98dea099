import type { Fault } from '../faults/faults.ts';
import type { NodeId, NodeSummary } from '../author/protocol.ts';
import type { Micros } from '../time/time.ts';
import type { ViewDiff } from './view-diff.ts';

export const TRACE_FORMAT = 'dsim-trace';
/** Version 2 added `view` lines (see ViewDiff); version 1 traces still read, without views. */
export const TRACE_VERSION = 2;

/** The first line of every trace: enough to know what ran and to run it again. */
export interface TraceHeader {
  readonly format: typeof TRACE_FORMAT;
  readonly version: number;
  readonly scenario: string;
  readonly description?: string;
  readonly protocol: string;
  readonly seed: number;
  readonly nodes: readonly NodeId[];
  readonly clients: readonly string[];
  /** Global time at which the run stops. */
  readonly until: Micros;
  /** The protocol config after defaults were applied. */
  readonly config: unknown;
  readonly bugs: readonly string[];
  readonly network: unknown;
  /** Per-node sync latencies, when the scenario sets any. */
  readonly storage?: unknown;
  /** Initial clock offsets and drifts, [node, offsetMicros, driftPpm]. */
  readonly clocks: ReadonlyArray<readonly [NodeId, Micros, number]>;
  /** The full fault schedule, generated faults included, with times in microseconds. */
  readonly faults: ReadonlyArray<{ readonly at: Micros; readonly fault: Fault }>;
  readonly faultsEndAt: Micros;
  readonly workload?: unknown;
  readonly invariants: ReadonlyArray<{ readonly name: string; readonly kind: string }>;
}

/**
 * One event. `t` is global time in microseconds; `k` is the kind. Messages carry an `id`, and a
 * deliver or drop names the id of its send, so the visualizer can draw the arrow.
 */
export type TraceEvent =
  | { t: Micros; k: 'init'; node: NodeId; restart?: boolean }
  | { t: Micros; k: 'send'; id: number; from: NodeId; to: NodeId; desc: string; msg: unknown }
  | { t: Micros; k: 'deliver'; id: number; from: NodeId; to: NodeId; dup?: boolean }
  | { t: Micros; k: 'drop'; id: number; from: NodeId; to: NodeId; reason: string; dup?: boolean }
  | { t: Micros; k: 'timer'; node: NodeId; name: string }
  | { t: Micros; k: 'request'; req: string; client: string; node: NodeId }
  | { t: Micros; k: 'invoke'; req: string; client: string; process: number; node: NodeId; op: unknown }
  | {
      t: Micros;
      k: 'complete';
      req: string;
      client: string;
      process: number;
      type: 'ok' | 'fail' | 'info';
      value?: unknown;
      error?: string;
      node?: NodeId;
    }
  | { t: Micros; k: 'fault'; fault: Fault; desc: string }
  | { t: Micros; k: 'clock'; node: NodeId; offset: Micros; driftPpm: number }
  | { t: Micros; k: 'state'; node: NodeId; summary: NodeSummary; state?: unknown }
  | ({ t: Micros; k: 'view'; node: NodeId } & ViewDiff)
  | { t: Micros; k: 'note'; node?: NodeId; text: string; data?: unknown }
  | { t: Micros; k: 'violation'; invariant: string; kind: string; message: string; nodes?: NodeId[] }
  | { t: Micros; k: 'error'; node?: NodeId; message: string }
  | { t: Micros; k: 'end'; reason: EndReason; stats: RunStats };

export type TraceEventKind = TraceEvent['k'];

/** Why a run ended: its time was up, nothing was left to happen, a violation, a protocol error, or its budget ran out. */
export type EndReason = 'until' | 'idle' | 'violation' | 'error' | 'livelock';

export interface RunStats {
  events: number;
  messagesSent: number;
  messagesDelivered: number;
  messagesDropped: number;
  messagesDuplicated: number;
  dropsByReason: Record<string, number>;
  timersFired: number;
  faults: number;
  operations: number;
  operationsOk: number;
  operationsFailed: number;
  operationsUnknown: number;
  violations: number;
}

/** How much of the trace to keep. */
export type TraceMode =
  /** Nothing: the fastest; no hash. */
  | 'off'
  /** Serialize and hash every line, keep none: a sweep's identity of a run. */
  | 'hash'
  /** Keep every line in memory (and hash them). */
  | 'memory';
