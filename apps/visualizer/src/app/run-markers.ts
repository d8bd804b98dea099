import { KIND, type Marker, type TraceModel } from '../model/trace-model.ts';

/** A point worth jumping to: the model's faults, violations and errors, plus leadership changes. */
export interface JumpMarker {
  readonly index: number;
  readonly time: number;
  readonly kind: Marker['kind'] | 'leader';
  readonly label: string;
}

/** Roles that lead (Raft and Multi-Paxos leaders, 2PC/3PC coordinators, Kafka partition leaders). */
const LEADING_ROLE = /leader|coordinator|primary|master/i;

/**
 * Where the replay's time axis ends: the last event. A run stopped by a violation (the 3PC
 * partition run ends at 125 ms of its 5 s `until`) would otherwise sit in the left 2% of the axis.
 */
export function lastEventTime(model: TraceModel): number {
  const count = model.times.length;
  const last = count > 0 ? model.times[count - 1]! : 0;
  return last > 0 ? last : model.endTime;
}

/**
 * Every node that starts to lead, read from the state summaries' `role`: the moments an election
 * or a failover ends, which a viewer wants to jump between as they jump between faults.
 */
export function leaderMarkers(model: TraceModel): JumpMarker[] {
  const markers: JumpMarker[] = [];
  const current = new Map<number, string>();
  const { kinds, nodeA, events, times, nodes } = model;
  for (let i = 0; i < kinds.length; i++) {
    if (kinds[i] === KIND.fault) {
      // A crashed leader leads no more: its next leading summary is a new leadership.
      const fault = (events[i] as { fault?: { type?: string } }).fault;
      if (fault?.type === 'crash' && nodeA[i]! >= 0) current.set(nodeA[i]!, 'crashed');
      continue;
    }
    if (kinds[i] !== KIND.state) continue;
    const summary = (events[i] as { summary?: Record<string, unknown> }).summary;
    const role = typeof summary?.role === 'string' ? summary.role : undefined;
    const node = nodeA[i]!;
    if (role === undefined || node < 0) continue;
    const before = current.get(node);
    current.set(node, role);
    // A node's first summary is its configuration (a 2PC coordinator is one from the start), not a change.
    if (before === undefined || role === before || !LEADING_ROLE.test(role)) continue;
    const term = summary?.term ?? summary?.epoch ?? summary?.ballot;
    const termText = typeof term === 'number' || typeof term === 'string' ? ` (term ${String(term)})` : '';
    markers.push({ index: i, time: times[i]!, kind: 'leader', label: `${nodes[node]} becomes ${role}${termText}` });
  }
  return markers;
}

/** Faults, violations, errors and leadership changes in trace order. */
export function jumpMarkers(model: TraceModel): JumpMarker[] {
  return [...model.markers, ...leaderMarkers(model)].sort((a, b) => a.index - b.index);
}
