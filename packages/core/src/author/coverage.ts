/**
 * What a protocol declares worth reaching, so a sweep can say what it exercised and what it never
 * did (TigerBeetle's and FoundationDB's simulators report the same: a run that passes while never
 * reaching the interesting states proves nothing). The kernel counts roles entered, message kinds
 * sent and delivered, fault kinds by the role of the node they hit, and each declared state.
 *
 * `roles` and `messages` name what must be seen at least once across a sweep; `states` are pure
 * predicates over one node's state, checked after each of that node's steps when coverage is on.
 */
export interface ProtocolCoverage<State = unknown> {
  /** Roles (as `summarize(state).role` says them) a sweep should see some node enter. */
  readonly roles?: readonly string[];
  /** Message kinds (a message's `type`) a sweep should see delivered. */
  readonly messages?: readonly string[];
  /** Named states worth reaching: a bug-relevant moment such as a truncated log or a suspended Try. */
  readonly states?: Readonly<Record<string, (state: State) => boolean>>;
}

/** One run's coverage counters. Every record maps a name to how many times it happened. */
export interface CoverageCounts {
  /** Times a node entered each role (its first role at start or restart counts). */
  readonly roles: Readonly<Record<string, number>>;
  /** Messages sent and delivered, by kind. */
  readonly sent: Readonly<Record<string, number>>;
  readonly delivered: Readonly<Record<string, number>>;
  /** Faults applied, as `kind@role` (the role of the node it names at that moment; `kind@network` for faults naming none). */
  readonly faults: Readonly<Record<string, number>>;
  /** Steps after which each declared state held. */
  readonly states: Readonly<Record<string, number>>;
  /** `sometimes` and other liveness invariants that held at least once. */
  readonly sometimes: readonly string[];
}

/** Everything a sweep should reach, by category, from a protocol's declaration and a scenario's invariants. */
export interface CoverageGoals {
  readonly roles: readonly string[];
  readonly messages: readonly string[];
  readonly states: readonly string[];
  readonly sometimes: readonly string[];
}

/** The goals of a protocol's declaration plus the scenario's `sometimes` invariants. */
export function coverageGoals(
  coverage: ProtocolCoverage<any> | undefined,
  invariants: ReadonlyArray<{ readonly name: string; readonly kind: string }>,
): CoverageGoals {
  return {
    roles: [...(coverage?.roles ?? [])],
    messages: [...(coverage?.messages ?? [])],
    states: Object.keys(coverage?.states ?? {}),
    sometimes: invariants.filter((invariant) => invariant.kind === 'sometimes').map((invariant) => invariant.name),
  };
}

/** Adds one run's counts into running totals (in place) and returns them. */
export function addCoverage(total: MutableCoverageTotals, counts: CoverageCounts): MutableCoverageTotals {
  for (const field of ['roles', 'sent', 'delivered', 'faults', 'states'] as const) {
    const into = total[field];
    for (const [name, count] of Object.entries(counts[field])) into[name] = (into[name] ?? 0) + count;
  }
  for (const name of counts.sometimes) total.sometimes[name] = (total.sometimes[name] ?? 0) + 1;
  return total;
}

/** Totals over many runs; `sometimes` counts the runs that reached each invariant. */
export interface MutableCoverageTotals {
  roles: Record<string, number>;
  sent: Record<string, number>;
  delivered: Record<string, number>;
  faults: Record<string, number>;
  states: Record<string, number>;
  sometimes: Record<string, number>;
}

export function emptyCoverageTotals(): MutableCoverageTotals {
  return { roles: {}, sent: {}, delivered: {}, faults: {}, states: {}, sometimes: {} };
}

/** The goals a set of totals has not reached, as `category name` strings ('role candidate', 'state truncatedLog'). */
export function unreachedGoals(goals: CoverageGoals, totals: MutableCoverageTotals): string[] {
  const missing: string[] = [];
  for (const role of goals.roles) if (!totals.roles[role]) missing.push(`role ${role}`);
  for (const kind of goals.messages) if (!totals.delivered[kind]) missing.push(`message ${kind}`);
  for (const state of goals.states) if (!totals.states[state]) missing.push(`state ${state}`);
  for (const name of goals.sometimes) if (!totals.sometimes[name]) missing.push(`sometimes ${name}`);
  return missing;
}
