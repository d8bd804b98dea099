import { TraceHasher } from './hash.ts';
import type { Fault } from './faults.ts';
import type { NodeId, NodeSummary } from './protocol.ts';
import type { Micros } from './time.ts';

export const TRACE_FORMAT = 'dsim-trace';
export const TRACE_VERSION = 1;

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
  | { t: Micros; k: 'complete'; req: string; client: string; process: number; type: 'ok' | 'fail' | 'info'; value?: unknown; error?: string; node?: NodeId }
  | { t: Micros; k: 'fault'; fault: Fault; desc: string }
  | { t: Micros; k: 'clock'; node: NodeId; offset: Micros; driftPpm: number }
  | { t: Micros; k: 'state'; node: NodeId; summary: NodeSummary; state?: unknown }
  | { t: Micros; k: 'note'; node?: NodeId; text: string; data?: unknown }
  | { t: Micros; k: 'violation'; invariant: string; kind: string; message: string }
  | { t: Micros; k: 'error'; node?: NodeId; message: string }
  | { t: Micros; k: 'end'; reason: EndReason; stats: RunStats };

export type TraceEventKind = TraceEvent['k'];

export type EndReason = 'until' | 'idle' | 'violation' | 'error';

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

/**
 * Serializes events to JSON Lines, hashing as it goes. The hash covers the exact bytes written
 * (each line and its newline), so a trace file's hash can be checked by re-hashing the file.
 */
export class TraceRecorder {
  /**
   * Lines are kept as joined chunks while the run goes on: millions of small retained strings
   * would each be copied into the old generation by the garbage collector, which cost more than
   * writing them. `lines` splits the chunks once, when the trace is read.
   */
  private readonly chunks: string[] = [];
  private chunk: string[] = [];
  private materialized: string[] | undefined;
  private readonly hasher = new TraceHasher();
  private count = 0;
  private static readonly CHUNK_LINES = 4096;

  constructor(
    readonly mode: TraceMode,
    private readonly sink?: (line: string) => void,
  ) {}

  get enabled(): boolean {
    return this.mode !== 'off' || this.sink !== undefined;
  }

  get eventCount(): number {
    return this.count;
  }

  /** Every line so far (memory mode), header first. */
  get lines(): string[] {
    if (this.mode !== 'memory') return [];
    if (this.materialized === undefined) {
      const lines: string[] = [];
      for (const chunk of this.chunks) for (const line of chunk.split('\n')) lines.push(line);
      for (const line of this.chunk) lines.push(line);
      this.materialized = lines;
    }
    return this.materialized;
  }

  writeHeader(header: TraceHeader): void {
    this.writeLine(JSON.stringify(header));
  }

  write(event: TraceEvent): void {
    this.count++;
    this.writeLine(JSON.stringify(event));
  }

  /**
   * Writes an event already serialized by the caller. The kernel serializes its hottest kinds by
   * hand (byte-identical to JSON.stringify, which a pinned-hash test proves) to keep tracing cheap.
   */
  writeSerialized(line: string): void {
    this.count++;
    this.writeLine(line);
  }

  private writeLine(line: string): void {
    if (this.mode === 'off' && !this.sink) return;
    // Lines are hashed a chunk at a time: one flat joined string hashes faster than thousands of
    // short concatenated ones, and hashing "a\nb\n" at once equals hashing "a\n" then "b\n".
    this.chunk.push(line);
    this.materialized = undefined;
    if (this.chunk.length === TraceRecorder.CHUNK_LINES) this.closeChunk();
    this.sink?.(line);
  }

  private closeChunk(): void {
    if (this.chunk.length === 0) return;
    const joined = this.chunk.join('\n');
    this.hasher.update(joined);
    this.hasher.update('\n');
    if (this.mode === 'memory') this.chunks.push(joined);
    this.chunk = [];
  }

  hash(): string | undefined {
    if (this.mode === 'off' && !this.sink) return undefined;
    this.closeChunk();
    return this.hasher.digest();
  }

  text(): string {
    if (this.mode !== 'memory') return '';
    const parts = this.chunk.length > 0 ? [...this.chunks, this.chunk.join('\n')] : this.chunks;
    return parts.length === 0 ? '' : parts.join('\n') + '\n';
  }
}

/** Hashes trace text the same way the recorder does (the file's bytes as UTF-16 code units). */
export function hashTrace(text: string): string {
  const hasher = new TraceHasher();
  hasher.update(text);
  return hasher.digest();
}
