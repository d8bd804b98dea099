import {
  always,
  defineMemory,
  eventually,
  failure,
  sometimes,
  type Invariant,
  type InvariantFailure,
  type NodeId,
  type WorldView,
} from '@dsim/core';
import type { CommitConfig } from './config.ts';
import type { Decision } from './messages.ts';
import type { CommitState } from './state.ts';

type World = WorldView<CommitState>;

/**
 * What the safety invariants have seen so far in one run. Decisions are read from each site's
 * state (`decisionLog`, rebuilt from the durable log after a restart), but a crashed site's
 * state is invisible, so the invariants remember every decision and YES vote they have observed:
 * a site that committed and crashed still counts, and a site that changes its decision across a
 * restart is caught. One memory per run, keyed by the run's world view.
 */
interface Memory {
  /** Observed from the first step, so a vote never seen was never cast. */
  readonly complete: boolean;
  readonly first: Map<number, { readonly site: NodeId; readonly decision: Decision }>;
  readonly bySite: Map<string, Decision>;
  readonly yesVotes: Set<string>;
  readonly participants: Map<number, readonly NodeId[]>;
  readonly cursors: Map<NodeId, { boot: number; index: number }>;
  atomicity: InvariantFailure | null;
  validity: InvariantFailure | null;
  /** Highest transaction id when the faults ended: those must all be resolved eventually. */
  healWatermark: number | undefined;
}

/** The run memory of the commit invariants: created by the kernel for each run. */
const decisions = defineMemory<CommitState, Memory>({
  name: 'commit-decisions',
  create: (world) => ({
    complete: world.time === 0,
    first: new Map(),
    bySite: new Map(),
    yesVotes: new Set(),
    participants: new Map(),
    cursors: new Map(),
    atomicity: null,
    validity: null,
    healWatermark: undefined,
  }),
  observe: (memory, world) => observe(memory, world),
});

const verb = (decision: Decision) => (decision === 'commit' ? 'committed' : 'aborted');

/** Folds every decision and vote made since the last call into the memory, checking as it goes. */
function observe(memory: Memory, world: World): void {
  const fresh: Array<{ site: NodeId; states: CommitState; from: number }> = [];
  for (const site of world.nodes) {
    const state = world.state(site);
    if (!state) continue;
    let cursor = memory.cursors.get(site);
    if (!cursor || cursor.boot !== state.boot) {
      cursor = { boot: state.boot, index: 0 };
      memory.cursors.set(site, cursor);
    }
    if (state.role === 'participant') {
      for (const key in state.txs) {
        const tx = state.txs[key as keyof typeof state.txs]!;
        memory.yesVotes.add(`${site}|${tx.tx}`);
        if (!memory.participants.has(tx.tx)) memory.participants.set(tx.tx, tx.participants);
      }
    }
    if (cursor.index < state.decisionLog.length) {
      fresh.push({ site, states: state, from: cursor.index });
      for (let i = cursor.index; i < state.decisionLog.length; i++) {
        const record = state.decisionLog[i]!;
        if (record.vote === 'yes') memory.yesVotes.add(`${site}|${record.tx}`);
        if (record.participants.length > 0 && !memory.participants.has(record.tx))
          memory.participants.set(record.tx, record.participants);
      }
      cursor.index = state.decisionLog.length;
    }
  }
  for (const { site, states, from } of fresh) {
    for (let i = from; i < states.decisionLog.length; i++) {
      const { tx, decision } = states.decisionLog[i]!;
      const siteKey = `${site}|${tx}`;
      const before = memory.bySite.get(siteKey);
      if (before !== undefined && before !== decision && memory.atomicity === null) {
        memory.atomicity = failure(
          `${site} ${verb(before)} tx=${tx} and later ${verb(decision)} it: a decision is irrevocable`,
          [site],
        );
      }
      memory.bySite.set(siteKey, decision);
      const first = memory.first.get(tx);
      if (!first) memory.first.set(tx, { site, decision });
      else if (first.decision !== decision && memory.atomicity === null) {
        memory.atomicity = failure(`${first.site} ${verb(first.decision)} tx=${tx} but ${site} ${verb(decision)} it`, [
          first.site,
          site,
        ]);
      }
      if (decision === 'commit' && memory.validity === null)
        memory.validity = checkCommitValidity(world, memory, site, tx);
    }
  }
}

/** A commit is valid only if every participant voted YES (BHG AC3). */
function checkCommitValidity(world: World, memory: Memory, site: NodeId, tx: number): InvariantFailure | null {
  const participants = memory.participants.get(tx) ?? [];
  const mustHaveVoted = site === world.nodes[0] || participants.includes(site) ? participants : [...participants, site];
  for (const participant of mustHaveVoted) {
    if (memory.yesVotes.has(`${participant}|${tx}`)) continue;
    // Without a memory from the first step, a vote cast while we were not looking is possible: only an up site can be judged.
    if (memory.complete || world.isUp(participant))
      return failure(`${site} committed tx=${tx} but ${participant} never voted YES`, [site, participant]);
  }
  if (participants.length === 0)
    return failure(`${site} committed tx=${tx}, whose participants nobody knows: no YES vote was ever seen`, [site]);
  return null;
}

/** AC1/AC2 (BHG §7.2): no two sites decide differently, and no site changes its decision. */
export const atomicity = always<CommitState, Memory>('atomicity', (_world, memory) => memory.atomicity ?? true, {
  description:
    'No two sites (coordinator or participants) decide a transaction differently, and no site changes its decision, even across a crash.',
  memory: decisions,
});

/** AC3: commit only if every participant voted YES. */
export const validity = always<CommitState, Memory>('validity', (_world, memory) => memory.validity ?? true, {
  description: 'A transaction commits at some site only if every participant voted YES.',
  memory: decisions,
});

/** Local resources: a participant never lets a balance go negative (it votes NO on insufficient funds, under the lock). */
export const noOverdraft = always<CommitState>(
  'no-overdraft',
  (world) => {
    for (const site of world.nodes) {
      const state = world.state(site);
      if (state?.role !== 'participant') continue;
      for (const account in state.balances)
        if (state.balances[account]! < 0) return `${account} is overdrawn: ${state.balances[account]}`;
    }
    return true;
  },
  'No account balance is ever negative.',
);

/**
 * Transfers move money, they never make or destroy it: whenever every participant is up and none
 * has a transaction in doubt, the balances add up to the opening total. Atomicity violations show
 * up here as money appearing or vanishing.
 */
export const moneyConserved = always<CommitState>(
  'money-conserved',
  (world) => {
    const config = world.config as CommitConfig;
    let total = 0;
    let accounts = 0;
    for (const site of world.nodes.slice(1)) {
      const state = world.state(site);
      if (state?.role !== 'participant') return true;
      for (const _ in state.txs) return true;
      for (const account in state.balances) {
        total += state.balances[account]!;
        accounts++;
      }
    }
    const expected = accounts * config.initialBalance;
    return total === expected || `the balances add up to ${total}, not ${expected}: money was created or destroyed`;
  },
  'With every participant up and nothing in doubt, the balances sum to the opening total.',
);

/**
 * Liveness after the faults: every transaction that existed when the faults ended is decided
 * everywhere within 5 s of the heal. 2PC blocks only while a failure lasts; once every site is back
 * the coordinator's resends and the participants' polls resolve everything.
 */
export const resolvedAfterHeal = eventually<CommitState, Memory>(
  'resolved-after-heal',
  (world, memory) => {
    for (const site of world.nodes) if (!world.isUp(site)) return `${site} is down`;
    const coordinator = world.state(world.nodes[0]!);
    if (coordinator?.role !== 'coordinator') return 'the coordinator is down';
    memory.healWatermark ??= coordinator.nextTx - 1;
    const watermark = memory.healWatermark;
    for (const site of world.nodes) {
      const state = world.state(site)!;
      for (const key in state.txs) {
        const tx = state.txs[key as keyof typeof state.txs]!;
        if (tx.tx > watermark) continue;
        if (state.role === 'participant') return `${site} is still in doubt on tx=${tx.tx}`;
        if (tx.phase !== 'decided') return `the coordinator has not decided tx=${tx.tx}`;
      }
    }
    return true;
  },
  {
    withinMicros: 5_000_000,
    description: 'Within 5 s after the last fault, every transaction begun before it is decided at every site.',
    memory: decisions,
  },
);

export const invariants: Invariant<CommitState>[] = [
  atomicity,
  validity,
  noOverdraft,
  moneyConserved,
  resolvedAfterHeal,
];

// ------------------------------------------------------------------ sometimes: proof a scenario reached what it tests

const someParticipant = (world: World, test: (state: Extract<CommitState, { role: 'participant' }>) => boolean) =>
  world.nodes.some((site) => {
    const state = world.state(site);
    return state?.role === 'participant' && test(state);
  });

export const participantBlocked = sometimes<CommitState>(
  'participant-blocked',
  (world) => someParticipant(world, (state) => Object.values(state.txs).some((tx) => tx.blockedSince !== null)),
  'Some participant blocked: voted YES, could not learn the outcome from anyone reachable, and waited holding its locks.',
);

export const terminationProtocolRan = sometimes<CommitState>(
  'termination-protocol-ran',
  (world) => someParticipant(world, (state) => state.terminationRounds > 0),
  'Some participant timed out waiting for the decision and polled the other sites.',
);

export const backupDecided = sometimes<CommitState>(
  'backup-decided',
  (world) => someParticipant(world, (state) => state.backupDecisions > 0),
  'A backup coordinator decided a transaction by TR3 or TR4.',
);

export const transactionCommitted = sometimes<CommitState>(
  'transaction-committed',
  (world) => world.nodes.some((site) => (world.state(site)?.committed ?? 0) > 0),
  'At least one transaction committed.',
);

/** Not in the protocol's default set: a scenario names the states it exists to reach. */
export const reachability: Invariant<CommitState>[] = [
  participantBlocked,
  terminationProtocolRan,
  backupDecided,
  transactionCommitted,
];
