import type { CoverageCounts } from '../author/coverage.ts';
import type { HistoryEntry } from '../author/history.ts';
import type { Violation } from '../author/invariant.ts';
import type { NodeId, NodeSummary } from '../author/protocol.ts';
import type { EndReason, RunStats, TraceMode } from '../trace/format.ts';
import type { Micros } from '../time/time.ts';

/** How handlers see state: immer drafts (snapshots, diffs, forks) or the state itself (fastest). */
export type StateMode = 'immutable' | 'mutable';

export interface RunOptions {
  /** Default 'memory'. */
  readonly trace?: TraceMode;
  /** Receives each trace line as a string as it is written. Decoding every line costs time: to stream to a file, prefer `onTraceChunk`. */
  readonly onTraceLine?: (line: string) => void;
  /** Receives the trace as UTF-8 bytes, a chunk of whole lines at a time (the array is reused: copy or write it before returning). */
  readonly onTraceChunk?: (bytes: Uint8Array) => void;
  /** Default 'immutable'. Both modes give the same trace. */
  readonly stateMode?: StateMode;
  /** Stop after this many events even if `until` is not reached (a guard for runaway protocols). */
  readonly maxEvents?: number;
  /**
   * How a re-armed timer is queued. 'carry' (the default) moves the event already queued; 'eager'
   * queues a new event for every setTimer and leaves the old one to be skipped. Both give the same
   * trace except for the event count; 'eager' is the plain reference the tests hold 'carry' to.
   */
  readonly timers?: 'carry' | 'eager';
  /**
   * Count what the run reached (roles, message kinds, faults by role, the protocol's declared
   * states) into `RunResult.coverage`. Default false: a run without it pays one branch per step.
   */
  readonly coverage?: boolean;
}

export interface RunResult {
  readonly scenario: string;
  readonly protocol: string;
  readonly seed: number;
  /** Hash of the trace bytes; undefined when tracing is off. */
  readonly hash: string | undefined;
  readonly endTime: Micros;
  readonly endReason: EndReason;
  readonly stats: RunStats;
  readonly violations: readonly Violation[];
  /** `sometimes` invariants that held at least once, and those that never did. */
  readonly reached: readonly string[];
  readonly history: readonly HistoryEntry[];
  readonly summaries: ReadonlyArray<readonly [NodeId, NodeSummary | undefined]>;
  readonly error?: string;
  /**
   * Trace lines when the trace mode is 'memory' (empty otherwise). The recorder keeps the trace as
   * joined text while the run goes on; the lines are split out when first read.
   */
  readonly trace: readonly string[];
  /** The same trace as JSON Lines text, one newline after each line ('' unless the mode is 'memory'). */
  readonly traceText: string;
  readonly faultsEndAt: Micros;
  /** What the run reached, when `RunOptions.coverage` was on. */
  readonly coverage?: CoverageCounts;
}
