import { always, type Invariant, type Micros, type NodeId, type RunResult } from '@dsim/core';
import type { CommitState } from './state.ts';

/** How long one participant stayed blocked, holding locks, over a run. */
export interface BlockedTime {
  readonly participant: NodeId;
  /** Total global microseconds blocked. */
  readonly blockedMicros: Micros;
  /** Number of blocking episodes (a crash ends an episode; the site starts a new one after it recovers). */
  readonly episodes: number;
  readonly longestMicros: Micros;
  /** Transactions still blocked when the run ended (counted up to the end). */
  readonly stillBlocked: readonly number[];
  /** 'trace': measured in global time from annotations; 'summary': from the final node summaries (local clocks, finished episodes only). */
  readonly source: 'trace' | 'summary';
}

interface TraceLine {
  t: Micros;
  k: string;
  node?: NodeId;
  fault?: { type: string; node?: NodeId };
  data?: { kind?: string; tx?: number; participant?: NodeId };
}

/**
 * Blocked time per participant. From a trace (a RunResult in 'memory' trace mode, or the lines
 * of a trace file): episodes start at a participant's 'blocked' annotation and end at its
 * 'unblocked' annotation, its crash, or the end of the run. Without a trace, it falls back to the
 * `blockedMicros` in the final summaries.
 */
export function blockedTimes(run: RunResult | readonly string[]): BlockedTime[] {
  const lines = Array.isArray(run) ? (run as readonly string[]) : (run as RunResult).trace;
  if (lines.length === 0 && !Array.isArray(run)) return blockedTimesFromSummaries(run as RunResult);
  let participants: NodeId[] = [];
  let endTime = 0;
  const open = new Map<NodeId, Map<number, Micros>>();
  const totals = new Map<NodeId, { blockedMicros: number; episodes: number; longestMicros: number }>();
  const close = (participant: NodeId, tx: number, at: Micros) => {
    const started = open.get(participant)?.get(tx);
    if (started === undefined) return;
    open.get(participant)!.delete(tx);
    const total = totals.get(participant)!;
    total.blockedMicros += at - started;
    total.episodes++;
    total.longestMicros = Math.max(total.longestMicros, at - started);
  };
  for (const [index, line] of lines.entries()) {
    const event = JSON.parse(line) as TraceLine & { nodes?: NodeId[] };
    if (index === 0) {
      participants = (event.nodes ?? []).slice(1);
      for (const participant of participants) {
        open.set(participant, new Map());
        totals.set(participant, { blockedMicros: 0, episodes: 0, longestMicros: 0 });
      }
      continue;
    }
    endTime = Math.max(endTime, event.t);
    if (
      event.k === 'note' &&
      event.data?.participant !== undefined &&
      event.data.tx !== undefined &&
      open.has(event.data.participant)
    ) {
      if (event.data.kind === 'blocked') open.get(event.data.participant)!.set(event.data.tx, event.t);
      else if (event.data.kind === 'unblocked') close(event.data.participant, event.data.tx, event.t);
    } else if (
      event.k === 'fault' &&
      event.fault?.type === 'crash' &&
      event.fault.node !== undefined &&
      open.has(event.fault.node)
    ) {
      for (const tx of [...open.get(event.fault.node)!.keys()]) close(event.fault.node, tx, event.t);
    }
  }
  return participants.map((participant) => {
    const stillBlocked = [...open.get(participant)!.keys()];
    for (const tx of stillBlocked) close(participant, tx, endTime);
    return { participant, ...totals.get(participant)!, stillBlocked, source: 'trace' as const };
  });
}

function blockedTimesFromSummaries(result: RunResult): BlockedTime[] {
  return result.summaries.slice(1).map(([participant, summary]) => ({
    participant,
    blockedMicros: typeof summary?.blockedMicros === 'number' ? summary.blockedMicros : 0,
    episodes: 0,
    longestMicros: 0,
    stillBlocked:
      typeof summary?.blocked === 'string' && summary.blocked !== '' ? summary.blocked.split(' ').map(Number) : [],
    source: 'summary' as const,
  }));
}

/** What happened to the clients' transfers, from the history: committed (ok), aborted (fail), unknown (info). */
export function transactionOutcomes(result: RunResult): {
  invoked: number;
  committed: number;
  aborted: number;
  unknown: number;
} {
  let invoked = 0;
  let committed = 0;
  let aborted = 0;
  let unknown = 0;
  for (const entry of result.history) {
    if (entry.f !== 'transfer') continue;
    if (entry.type === 'invoke') invoked++;
    else if (entry.type === 'ok') committed++;
    else if (entry.type === 'fail') aborted++;
    else unknown++;
  }
  return { invoked, committed, aborted, unknown };
}

/**
 * A probe for runs without a trace (sweeps): an `always` invariant that never fails and, at every
 * step, adds the global time since the previous step to each participant that has a blocked
 * transaction. Build one per run; read it after the run.
 */
export function blockedTimeProbe(): { readonly invariant: Invariant<CommitState>; read(): Map<NodeId, Micros> } {
  const totals = new Map<NodeId, Micros>();
  let lastTime = 0;
  let blockedNow: NodeId[] = [];
  const invariant = always<CommitState>(
    'blocked-time-probe',
    (world) => {
      const elapsed = world.time - lastTime;
      if (elapsed > 0)
        for (const participant of blockedNow) totals.set(participant, (totals.get(participant) ?? 0) + elapsed);
      lastTime = world.time;
      blockedNow = [];
      for (const site of world.nodes) {
        const state = world.state(site);
        if (state?.role !== 'participant') continue;
        for (const key in state.txs) {
          if (state.txs[key as keyof typeof state.txs]!.blockedSince !== null) {
            blockedNow.push(site);
            break;
          }
        }
      }
      return true;
    },
    'Measures blocked time per participant; never fails.',
  );
  return { invariant, read: () => new Map(totals) };
}
