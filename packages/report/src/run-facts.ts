import { describeFault, PARTITION_FAULTS, type Fault, type ParsedTrace, type TraceEvent } from '@dsim/core';

/**
 * What a run's plots and report show, derived from the trace's events alone, generically: roles
 * and fields come from the state summaries every protocol writes, so no protocol needs code here.
 * This is the one place that reads protocol state for the plots; when traces carry each
 * protocol's NodeView, the derivations of leadership, blocking and suspicion switch to it here.
 */
export interface RunFacts {
  readonly scenario: string;
  readonly protocol: string;
  readonly seed: string;
  readonly nodes: readonly string[];
  /** Time of the last event: the run's real length. */
  readonly endMicros: number;
  /** The scenario's `until`. */
  readonly untilMicros: number;
  readonly endReason: string | undefined;
  readonly events: number;
  readonly faults: ReadonlyArray<{ readonly time: number; readonly label: string }>;
  readonly faultPeriods: readonly FaultPeriod[];
  readonly operations: readonly OperationFact[];
  readonly violations: ReadonlyArray<{ readonly time: number; readonly invariant: string; readonly message: string }>;
  readonly availability: ReadonlyArray<{
    readonly node: string;
    readonly downMicros: number;
    readonly fraction: number;
  }>;
  /** Only when some node ever leads (Raft, Multi-Paxos, Kafka): stretches with no leader anywhere. */
  readonly leadership?: {
    readonly leaderless: readonly Period[];
    readonly leaderlessMicros: number;
    readonly changes: number;
  };
  /** Only when some node is ever blocked or frozen (2PC/3PC in doubt, TCC frozen resources). */
  readonly blocked?: ReadonlyArray<{
    readonly node: string;
    readonly periods: readonly Period[];
    readonly micros: number;
  }>;
  /** Only when nodes suspect others (a heartbeat detector's unhealthy or removed lists). */
  readonly suspicions?: ReadonlyArray<{
    readonly observer: string;
    readonly node: string;
    readonly periods: readonly Period[];
  }>;
}

export interface Period {
  readonly from: number;
  readonly to: number;
}

export interface FaultPeriod extends Period {
  readonly kind: 'crash' | 'pause' | 'partition' | 'network';
  readonly node?: string;
  readonly label: string;
}

export interface OperationFact {
  readonly client: string;
  readonly f: string;
  readonly invokeMicros: number;
  /** Undefined while pending at the end of the run. */
  readonly completeMicros?: number;
  readonly type: 'ok' | 'fail' | 'info' | 'pending';
}

const LEADING = /leader|primary|master/i;
const BLOCKED_ROLE = /blocked|in-?doubt|uncertain|frozen/i;

export function runFacts(trace: ParsedTrace): RunFacts {
  const { header, events } = trace;
  const nodes: string[] = header && Array.isArray(header.nodes) ? [...header.nodes] : [];
  const last = events.length ? events[events.length - 1]!.t : 0;
  const endMicros = Math.max(1, last);
  const faults: Array<{ time: number; label: string }> = [];
  const faultPeriods: FaultPeriod[] = [];
  const violations: Array<{ time: number; invariant: string; message: string }> = [];
  const operations = new Map<
    string,
    { client: string; f: string; invokeMicros: number; completeMicros?: number; type: OperationFact['type'] }
  >();
  const openCrash = new Map<string, { from: number; label: string }>();
  const openPause = new Map<string, { from: number; label: string }>();
  let openPartition: { from: number; label: string } | undefined;
  let openNetwork: { from: number; label: string } | undefined;
  let endReason: string | undefined;

  const roles = new Map<string, string>();
  const leaders = new Set<string>();
  let everLed = false;
  let leaderChanges = 0;
  const leaderless: Period[] = [];
  let leaderlessSince: number | undefined = 0;
  const blockedOpen = new Map<string, number>();
  const blockedPeriods = new Map<string, Period[]>();
  const suspectOpen = new Map<string, number>();
  const suspectPeriods = new Map<string, Period[]>();

  const setLeading = (node: string, leading: boolean, time: number) => {
    const had = leaders.size > 0;
    if (leading) leaders.add(node);
    else leaders.delete(node);
    if (had && leaders.size === 0) leaderlessSince = time;
    if (!had && leaders.size > 0) {
      if (leaderlessSince !== undefined && time > leaderlessSince) leaderless.push({ from: leaderlessSince, to: time });
      leaderlessSince = undefined;
    }
  };
  const setBlocked = (node: string, blocked: boolean, time: number) => {
    const since = blockedOpen.get(node);
    if (blocked && since === undefined) blockedOpen.set(node, time);
    if (!blocked && since !== undefined) {
      blockedOpen.delete(node);
      if (time > since) push(blockedPeriods, node, { from: since, to: time });
    }
  };
  const setSuspected = (observer: string, suspects: ReadonlySet<string>, time: number) => {
    for (const [key, since] of suspectOpen) {
      const [who, node] = key.split('\u0000') as [string, string];
      if (who === observer && !suspects.has(node)) {
        suspectOpen.delete(key);
        if (time > since) push(suspectPeriods, key, { from: since, to: time });
      }
    }
    for (const node of suspects) {
      const key = `${observer}\u0000${node}`;
      if (!suspectOpen.has(key)) suspectOpen.set(key, time);
    }
  };

  for (const event of events) {
    const t = event.t;
    switch (event.k) {
      case 'invoke': {
        const op = event.op as { f?: unknown } | undefined;
        operations.set(event.req, {
          client: event.client,
          f: typeof op?.f === 'string' ? op.f : 'op',
          invokeMicros: t,
          type: 'pending',
        });
        break;
      }
      case 'complete': {
        const op = operations.get(event.req);
        if (op) {
          op.completeMicros = t;
          op.type = event.type;
        }
        break;
      }
      case 'violation':
        violations.push({ time: t, invariant: event.invariant, message: event.message });
        break;
      case 'end':
        endReason = event.reason;
        break;
      case 'state': {
        const summary = event.summary ?? {};
        const role = typeof summary.role === 'string' ? summary.role : '';
        roles.set(event.node, role);
        const leading = LEADING.test(role);
        if (leading) {
          if (!leaders.has(event.node)) leaderChanges++;
          everLed = true;
        }
        setLeading(event.node, leading, t);
        setBlocked(event.node, BLOCKED_ROLE.test(role) || nonEmpty(summary.blocked) || positive(summary.frozen), t);
        const suspects = new Set<string>();
        for (const [field, value] of Object.entries(summary))
          if (/unhealthy|suspect|removed/i.test(field)) for (const node of listOf(value)) suspects.add(node);
        if (suspects.size > 0 || [...suspectOpen.keys()].some((key) => key.startsWith(`${event.node}\u0000`)))
          setSuspected(event.node, suspects, t);
        break;
      }
      case 'fault': {
        const fault = event.fault as Fault;
        const label = typeof event.desc === 'string' ? event.desc : describeFault(fault);
        faults.push({ time: t, label });
        const node = 'node' in fault && typeof fault.node === 'string' ? fault.node : undefined;
        if (PARTITION_FAULTS.has(fault.type)) {
          if (openPartition)
            faultPeriods.push({ kind: 'partition', from: openPartition.from, to: t, label: openPartition.label });
          openPartition = { from: t, label };
        } else if (fault.type === 'crash' && node !== undefined) {
          if (!openCrash.has(node)) openCrash.set(node, { from: t, label });
          setLeading(node, false, t);
          setBlocked(node, false, t);
        } else if (fault.type === 'restart' && node !== undefined) {
          const open = openCrash.get(node);
          if (open) faultPeriods.push({ kind: 'crash', node, from: open.from, to: t, label: open.label });
          openCrash.delete(node);
        } else if (fault.type === 'pause' && node !== undefined) {
          if (!openPause.has(node)) openPause.set(node, { from: t, label });
        } else if (fault.type === 'resume' && node !== undefined) {
          const open = openPause.get(node);
          if (open) faultPeriods.push({ kind: 'pause', node, from: open.from, to: t, label: open.label });
          openPause.delete(node);
        } else if (fault.type === 'heal') {
          if (openPartition)
            faultPeriods.push({ kind: 'partition', from: openPartition.from, to: t, label: openPartition.label });
          if (openNetwork)
            faultPeriods.push({ kind: 'network', from: openNetwork.from, to: t, label: openNetwork.label });
          openPartition = openNetwork = undefined;
        } else if (fault.type === 'loss' || fault.type === 'duplicate' || fault.type === 'slow') {
          if (openNetwork)
            faultPeriods.push({ kind: 'network', from: openNetwork.from, to: t, label: openNetwork.label });
          openNetwork = { from: t, label };
        }
        break;
      }
      default:
        break;
    }
  }
  for (const [node, open] of openCrash)
    faultPeriods.push({ kind: 'crash', node, from: open.from, to: endMicros, label: open.label });
  for (const [node, open] of openPause)
    faultPeriods.push({ kind: 'pause', node, from: open.from, to: endMicros, label: open.label });
  if (openPartition)
    faultPeriods.push({ kind: 'partition', from: openPartition.from, to: endMicros, label: openPartition.label });
  if (openNetwork)
    faultPeriods.push({ kind: 'network', from: openNetwork.from, to: endMicros, label: openNetwork.label });
  faultPeriods.sort((a, b) => a.from - b.from);
  if (leaderlessSince !== undefined && endMicros > leaderlessSince)
    leaderless.push({ from: leaderlessSince, to: endMicros });
  for (const [node, since] of blockedOpen)
    if (endMicros > since) push(blockedPeriods, node, { from: since, to: endMicros });
  for (const [key, since] of suspectOpen)
    if (endMicros > since) push(suspectPeriods, key, { from: since, to: endMicros });

  const down = new Map<string, number>();
  for (const period of faultPeriods)
    if (period.node !== undefined && (period.kind === 'crash' || period.kind === 'pause'))
      down.set(period.node, (down.get(period.node) ?? 0) + (period.to - period.from));

  const facts: RunFacts = {
    scenario: String(header?.scenario ?? 'trace'),
    protocol: String(header?.protocol ?? ''),
    seed: String(header?.seed ?? ''),
    nodes,
    endMicros,
    untilMicros: typeof header?.until === 'number' ? header.until : endMicros,
    endReason,
    events: events.length,
    faults,
    faultPeriods,
    operations: [...operations.values()],
    violations,
    availability: nodes.map((node) => {
      const downMicros = Math.min(endMicros, down.get(node) ?? 0);
      return { node, downMicros, fraction: 1 - downMicros / endMicros };
    }),
    ...(everLed
      ? {
          leadership: {
            leaderless,
            leaderlessMicros: leaderless.reduce((sum, period) => sum + period.to - period.from, 0),
            changes: leaderChanges,
          },
        }
      : {}),
    ...(blockedPeriods.size
      ? {
          blocked: [...blockedPeriods].map(([node, periods]) => ({
            node,
            periods,
            micros: periods.reduce((sum, period) => sum + period.to - period.from, 0),
          })),
        }
      : {}),
    ...(suspectPeriods.size
      ? {
          suspicions: [...suspectPeriods]
            .map(([key, periods]) => {
              const [observer, node] = key.split('\u0000') as [string, string];
              return { observer, node, periods };
            })
            .sort((a, b) => a.observer.localeCompare(b.observer) || a.node.localeCompare(b.node)),
        }
      : {}),
  };
  return facts;
}

/** Latency of each completed operation, in microseconds. */
export function latencies(facts: RunFacts): Array<{ at: number; micros: number; type: OperationFact['type'] }> {
  return facts.operations
    .filter((op) => op.completeMicros !== undefined)
    .map((op) => ({ at: op.invokeMicros, micros: op.completeMicros! - op.invokeMicros, type: op.type }));
}

/** Successful completions per bucket of time. */
export function throughput(
  facts: RunFacts,
  buckets = 40,
): Array<{ from: number; to: number; ok: number; other: number }> {
  const width = facts.endMicros / buckets;
  const rows = Array.from({ length: buckets }, (_, i) => ({ from: i * width, to: (i + 1) * width, ok: 0, other: 0 }));
  for (const op of facts.operations) {
    if (op.completeMicros === undefined) continue;
    const row = rows[Math.min(buckets - 1, Math.floor(op.completeMicros / width))]!;
    if (op.type === 'ok') row.ok++;
    else row.other++;
  }
  return rows;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function nonEmpty(value: unknown): boolean {
  return (typeof value === 'string' && value !== '') || (Array.isArray(value) && value.length > 0);
}

function positive(value: unknown): boolean {
  return typeof value === 'number' && value > 0;
}

/** A list field as summaries write it: an array, or a comma/space separated string. */
function listOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean);
  return [];
}

export type { TraceEvent };
