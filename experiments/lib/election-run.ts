/**
 * One trial of the Raft paper's leader-election experiment (§9.3, Figure 16; dissertation chapter
 * 9): a five-server cluster whose leader, verified to lead, sends a synchronized heartbeat round
 * and crashes at a uniformly random moment within its heartbeat interval, while two of the four
 * survivors have shorter logs and cannot win. The trial measures the time from the crash until
 * every live server has received the new leader's first AppendEntries or heartbeat.
 *
 * Timing is split as in a real cluster: a one-way network latency, and a disk sync latency that
 * every step persisting something pays before its messages leave (the kernel's
 * `storage.syncLatency`). So a campaign (term and self-vote), a granted vote and an append each
 * cost a disk write; a heartbeat and a refused vote do not.
 */
import {
  createRandom,
  runScenario,
  type LatencySpec,
  type Micros,
  type Scenario,
  type ScheduledFault,
} from '@dsim/core';
import { raft } from '@dsim/raft';

export interface MicrosRange {
  readonly min: Micros;
  readonly max: Micros;
}

export interface ElectionSetup {
  /** Election timeouts are drawn uniformly from this range. */
  readonly timeoutMicros: MicrosRange;
  /** One-way message latency, uniform in the range. */
  readonly latencyMicros: MicrosRange;
  /** How long a disk sync takes, uniform in the range (0..0: writes are durable at once). */
  readonly syncMicros: MicrosRange;
  /** How long after the crash a trial may run before it counts as unfinished. */
  readonly patienceMicros: Micros;
  /** Round drawn timeouts to a multiple of this, as LogCabin's whole milliseconds (absent: none). */
  readonly timeoutGranularityMicros?: Micros;
}

/** What one trial found. */
export type TrialOutcome =
  /** Microseconds from the crash until every live server heard the new leader. */
  | { readonly kind: 'elected'; readonly micros: Micros; readonly newLeader: string; readonly terms: number }
  /** No leader had every live server hearing it within the patience. */
  | { readonly kind: 'unfinished' }
  /** No server led at the end of the settling time, so there was nothing to crash. */
  | { readonly kind: 'noLeader' }
  /** The logs were not unequal at the crash as the setup intends (see `behindFollowers`). */
  | { readonly kind: 'setupFailed'; readonly why: string };

export const SERVERS = ['n1', 'n2', 'n3', 'n4', 'n5'] as const;
/** The settling time: the leader's last heartbeat round before it is the synchronized one. */
const SETTLED_AT: Micros = 1_000_000;
/** Client to server latency, constant so that the write reaches the leader at a chosen moment. */
const CLIENT_LATENCY: Micros = 1_000;

/** The paper's rule: the heartbeat interval is half the minimum election timeout. */
export function heartbeatIntervalFor(setup: ElectionSetup): Micros {
  return Math.max(1, Math.floor(setup.timeoutMicros.min / 2));
}

function latencySpec(range: MicrosRange): LatencySpec {
  return range.min === range.max
    ? { dist: 'constant', micros: range.min }
    : { dist: 'uniform', min: range.min, max: range.max };
}

/** The cluster before any fault: nothing differs from the measured trial up to the first fault. */
export function baseScenario(seed: number, setup: ElectionSetup): Scenario {
  const { min, max } = setup.timeoutMicros;
  return {
    name: `raft-election-time-${min}-${max}-${seed}`,
    protocol: raft,
    nodes: SERVERS.length,
    seed,
    until: SETTLED_AT,
    config: {
      electionTimeoutMicros: min,
      electionTimeoutMaxMicros: max,
      heartbeatIntervalMicros: heartbeatIntervalFor(setup),
      // The paper's algorithm and LogCabin's (where Figure 16 was measured): no PreVote, no
      // CheckQuorum; a refused vote does not restart the refuser's election timer, and a
      // candidate that lost keeps the timer of its campaign.
      preVote: false,
      checkQuorum: false,
      resetElectionTimerOnHigherTerm: false,
      resetElectionTimerOnVoteLost: false,
      ...(setup.timeoutGranularityMicros === undefined
        ? {}
        : { electionTimeoutGranularityMicros: setup.timeoutGranularityMicros }),
    },
    network: { latency: latencySpec(setup.latencyMicros), clientLatency: CLIENT_LATENCY },
    ...(setup.syncMicros.max > 0 ? { storage: { syncLatency: latencySpec(setup.syncMicros) } } : {}),
    invariants: ['election-safety', 'log-matching', 'leader-completeness', 'state-machine-safety'],
    faults: bootFaults(setup),
  };
}

/**
 * The cluster boots with n1 first: the other four restart (with nothing stored yet) one longest
 * timeout later, so n1's first campaign meets no rival. Five servers starting together would time
 * out within one timeout range of each other and split their votes the way the measured trials
 * do, which only delays the settled cluster that the experiment starts from.
 */
function bootFaults(setup: ElectionSetup): ScheduledFault[] {
  const others = SERVERS.slice(1);
  return [
    ...others.map((node) => ({ at: 1, fault: { type: 'crash', node } }) as const),
    ...others.map((node) => ({ at: setup.timeoutMicros.max, fault: { type: 'restart', node } }) as const),
  ];
}

interface TraceEvent {
  readonly t: number;
  readonly k: string;
  readonly id?: number;
  readonly node?: string;
  readonly from?: string;
  readonly to?: string;
  readonly name?: string;
  readonly msg?: { readonly type: string; readonly term: number };
  readonly summary?: { readonly role: string; readonly term: number; readonly last: number };
}

function events(trace: readonly string[]): TraceEvent[] {
  return trace.slice(1).map((line) => JSON.parse(line) as TraceEvent);
}

interface Settled {
  readonly leader: string;
  readonly term: number;
  readonly electedAt: Micros;
  /** The leader's heartbeat rounds in its term, in order. */
  readonly rounds: readonly Micros[];
}

/** The leader at the end of the settling run, verified from its state, and its heartbeat rounds. */
export function settle(seed: number, setup: ElectionSetup): Settled | undefined {
  const result = runScenario(baseScenario(seed, setup), {}, { trace: 'memory', stateMode: 'mutable' });
  if (result.violations.length > 0) throw new Error(`seed ${seed}: ${result.violations[0]!.message}`);
  let leader: string | undefined;
  let term = -1;
  for (const [node, summary] of result.summaries)
    if (summary?.role === 'leader' && (summary.term as number) > term) {
      leader = node;
      term = summary.term as number;
    }
  if (leader === undefined) return undefined;
  let electedAt = -1;
  const rounds: Micros[] = [];
  for (const event of events(result.trace)) {
    if (event.k === 'state' && event.node === leader && event.summary?.role === 'leader' && electedAt < 0)
      if (event.summary.term === term) electedAt = event.t;
    if (event.k === 'send' && event.from === leader && event.msg?.type === 'Heartbeat' && event.msg.term === term)
      if (rounds[rounds.length - 1] !== event.t) rounds.push(event.t);
  }
  return { leader, term, electedAt, rounds };
}

/**
 * The fault schedule of one trial. The synchronized heartbeat is the leader's last round H in the
 * settling run; the crash comes at a uniform moment in (H, H + interval). Two followers end up
 * behind: a client write reaches the leader so that its AppendEntries leaves (after the leader's
 * own disk write) while a one-way cut drops the leader's messages to those two. The cut starts once
 * the previous round's heartbeats have arrived (a partition also drops messages in flight) and
 * ends just before H, so every follower hears every heartbeat; from then on the cut turns around:
 * the two behind receive the synchronized heartbeat, but the leader never hears their answers and
 * never repairs their logs.
 */
export function trialSchedule(
  seed: number,
  setup: ElectionSetup,
  settled: Settled,
  windowMicros: Micros = setup.patienceMicros,
): { scenario: Scenario; crashAt: Micros; behind: string[] } | undefined {
  const interval = heartbeatIntervalFor(setup);
  const { leader, rounds } = settled;
  if (rounds.length < 2) return undefined;
  const synchronized = rounds[rounds.length - 1]!;
  const previous = synchronized - interval;
  if (rounds[rounds.length - 2] !== previous) return undefined;
  const cutFrom = previous + setup.latencyMicros.max + 1;
  const cutUntil = synchronized - 1;
  // The append leaves within [write + sync.min, write + sync.max] (the leader's disk is idle):
  // centre that window in the cut. When it is wider than the cut, the trial may fail its check.
  const slack = cutUntil - cutFrom - (setup.syncMicros.max - setup.syncMicros.min);
  const writeAt = cutFrom + Math.max(0, Math.floor(slack / 2)) - setup.syncMicros.min;
  if (writeAt - CLIENT_LATENCY <= settled.electedAt) return undefined;
  const crashAt = synchronized + 1 + createRandom(seed, 'crash-moment').int(0, Math.max(0, interval - 2));
  const survivors = SERVERS.filter((node) => node !== leader);
  const behind = survivors.slice(2);
  const scenario: Scenario = {
    ...baseScenario(seed, setup),
    until: crashAt + windowMicros,
    workload: {
      name: 'kv',
      clients: 1,
      startAt: writeAt - CLIENT_LATENCY,
      opsPerClient: 1,
      timeout: '10s',
      options: { keys: 1, pin: { c1: leader }, mix: { get: 0, put: 1, append: 0, cas: 0 } },
    },
    faults: [
      ...bootFaults(setup),
      { at: cutFrom, fault: { type: 'cut', from: [leader], to: behind } },
      { at: cutUntil, fault: { type: 'cut', from: behind, to: [leader] } },
      { at: crashAt, fault: { type: 'crash', node: leader } },
      { at: crashAt + 1, fault: { type: 'heal' } },
    ],
  };
  return { scenario, crashAt, behind };
}

/**
 * How long after the crash each attempt of a trial runs: a run goes on until its end time even
 * after the new leader is heard, so a trial first runs briefly and reruns longer only if no leader
 * was heard yet. The reruns change nothing but the end time, and nothing before the end depends
 * on it, so a trial's outcome is the one a single run of the whole patience gives.
 */
export function trialWindows(patienceMicros: Micros): Micros[] {
  return [1_000_000, 10_000_000].filter((window) => window < patienceMicros).concat(patienceMicros);
}

/** One trial: settle, verify the leader, crash it, and time until every survivor heard a new leader. */
export function runTrial(seed: number, setup: ElectionSetup): TrialOutcome {
  const settled = settle(seed, setup);
  if (settled === undefined) return { kind: 'noLeader' };
  let outcome: TrialOutcome = { kind: 'noLeader' };
  for (const window of trialWindows(setup.patienceMicros)) {
    outcome = runTrialWithin(seed, setup, settled, window);
    if (outcome.kind !== 'unfinished') return outcome;
  }
  return outcome;
}

/** One run of a trial that ends `windowMicros` after the crash. */
export function runTrialWithin(
  seed: number,
  setup: ElectionSetup,
  settled: Settled,
  windowMicros: Micros,
): TrialOutcome {
  const planned = trialSchedule(seed, setup, settled, windowMicros);
  if (planned === undefined) return { kind: 'noLeader' };
  const { scenario, crashAt, behind } = planned;
  const { leader, term } = settled;
  const result = runScenario(scenario, {}, { trace: 'memory', stateMode: 'mutable' });
  if (result.violations.length > 0) throw new Error(`seed ${seed}: ${result.violations[0]!.message}`);
  const trace = events(result.trace);
  const survivors = SERVERS.filter((node) => node !== leader);
  // The leader must lead up to the crash, and every survivor must still follow it then. When the
  // first election timer fires after the crash (nothing can campaign sooner), exactly the two
  // chosen followers must be one entry behind: the write's AppendEntries may still have been in
  // flight to the others at the crash.
  const states = new Map<string, { role: string; term: number; last: number }>();
  let index = 0;
  for (; index < trace.length && trace[index]!.t < crashAt; index++) {
    const event = trace[index]!;
    if (event.k === 'state' && event.node && event.summary) states.set(event.node, event.summary);
  }
  const leaderState = states.get(leader);
  if (leaderState?.role !== 'leader' || leaderState.term !== term)
    return { kind: 'setupFailed', why: `${leader} no longer led term ${term} at the crash` };
  const longest = leaderState.last;
  for (const node of survivors) {
    const state = states.get(node);
    if (state?.role !== 'follower' || state.term !== term)
      return { kind: 'setupFailed', why: `${node} was ${state?.role} in term ${state?.term} at the crash` };
  }
  for (; index < trace.length; index++) {
    const event = trace[index]!;
    if (event.k === 'timer' && event.name === 'election') break;
    if (event.k === 'state' && event.node && event.summary) states.set(event.node, event.summary);
  }
  for (const node of survivors) {
    const expected = behind.includes(node) ? longest - 1 : longest;
    const last = states.get(node)!.last;
    if (last !== expected)
      return {
        kind: 'setupFailed',
        why: `${node} had last index ${last} when the first election timer fired, expected ${expected}`,
      };
  }
  const senders = new Map<number, TraceEvent>();
  /** By "leader@term": when each other live server first heard that leader. */
  const heard = new Map<string, Map<string, Micros>>();
  for (const event of trace) {
    if (event.k === 'send' && event.id !== undefined) {
      const type = event.msg?.type;
      if ((type === 'AppendEntries' || type === 'Heartbeat') && event.msg!.term > term) senders.set(event.id, event);
      continue;
    }
    if (event.k !== 'deliver' || event.id === undefined || event.t < crashAt) continue;
    const send = senders.get(event.id);
    if (send === undefined) continue;
    const key = `${send.from}@${send.msg!.term}`;
    let receipts = heard.get(key);
    if (receipts === undefined) heard.set(key, (receipts = new Map()));
    if (!receipts.has(event.to!)) receipts.set(event.to!, event.t);
    // Everyone but the new leader itself has heard it.
    if (receipts.size === survivors.length - 1)
      return {
        kind: 'elected',
        micros: Math.max(...receipts.values()) - crashAt,
        newLeader: send.from!,
        terms: send.msg!.term - term,
      };
  }
  return { kind: 'unfinished' };
}

/** The trace of one trial as JSON Lines, for `npx dsim view`; undefined when no leader settled. */
export function trialTraceText(seed: number, setup: ElectionSetup): string | undefined {
  const settled = settle(seed, setup);
  const planned = settled && trialSchedule(seed, setup, settled);
  if (planned === undefined) return undefined;
  return runScenario(planned.scenario, {}, { trace: 'memory', stateMode: 'mutable' }).traceText;
}
