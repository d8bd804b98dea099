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
import { compareBallots, formatBallot, quorum, type Ballot } from '../ballot.ts';
import type { PaxosConfig } from './config.ts';
import { ownValue } from './node.ts';
import type { PaxosState } from './state.ts';

type World = WorldView<PaxosState>;

/**
 * What the safety invariants have seen in one run. A crashed node's state is invisible, and a
 * restart rebuilds it from storage, so the run memory remembers every promise, acceptance and
 * learned value it observed: "at most one value is chosen" must count an acceptance made by a node
 * that crashed since, and "never accepts below a promise" must compare with a promise made before
 * a restart ("Paxos Made Simple" §2.3). The kernel creates one per run.
 */
interface SafetyMemory {
  readonly quorum: number;
  /** The highest promise each acceptor was ever seen holding. */
  readonly maxPromised: Map<NodeId, Ballot>;
  /** Each acceptor's accepted proposal as last seen, as a key, to notice a new acceptance. */
  readonly lastAccepted: Map<NodeId, string>;
  /** Acceptors seen accepting each proposal (`round.node|value`). */
  readonly acceptors: Map<string, Set<NodeId>>;
  /** Values a majority accepted under one proposal number: chosen (§2.3), with the number and that majority. */
  readonly chosen: Map<string, { readonly ballot: string; readonly acceptors: readonly NodeId[] }>;
  readonly learned: Map<NodeId, string>;
  /** Values proposed: the proposers' own and every client's. */
  readonly proposed: Set<string>;
  historyScanned: number;
  nackSeen: boolean;
  competingSeen: boolean;
  /** The first violation of each invariant, with the nodes it involves. */
  readonly found: Map<string, InvariantFailure>;
}

export const AGREEMENT = 'agreement';
export const VALIDITY = 'validity';
export const INTEGRITY = 'integrity';
export const LEARNED_WAS_CHOSEN = 'learned-was-chosen';
export const PROMISE_KEPT = 'promise-kept';

const safetyMemory = defineMemory<PaxosState, SafetyMemory>({
  name: 'paxos-safety',
  create: (world) => {
    const config = world.config as PaxosConfig;
    return {
      quorum: quorum(world.nodes.length),
      maxPromised: new Map(),
      lastAccepted: new Map(),
      acceptors: new Map(),
      chosen: new Map(),
      learned: new Map(),
      proposed: new Set(world.nodes.slice(0, config.proposers).map(ownValue)),
      historyScanned: 0,
      nackSeen: false,
      competingSeen: false,
      found: new Map(),
    };
  },
  observe(memory, world) {
    observe(memory, world);
    return memory.found.size === 0;
  },
});

function flag(memory: SafetyMemory, invariant: string, message: string, nodes: readonly NodeId[]): void {
  if (!memory.found.has(invariant)) memory.found.set(invariant, failure(message, nodes));
}

/**
 * The acceptors in every one of the majorities: §2.2's argument is that any two majorities share
 * an acceptor, which must have reported the first chosen value to the later proposer, so when two
 * values are chosen those shared acceptors are where the rule broke.
 */
function sharedAcceptors(majorities: ReadonlyArray<readonly NodeId[]>): NodeId[] {
  const [first = [], ...rest] = majorities;
  const shared = first.filter((node) => rest.every((majority) => majority.includes(node)));
  return shared.length > 0 ? shared : [...new Set(majorities.flat())];
}

function observe(memory: SafetyMemory, world: World): void {
  const history = world.history;
  for (; memory.historyScanned < history.length; memory.historyScanned++) {
    const entry = history[memory.historyScanned]!;
    if (entry.type === 'invoke' && typeof entry.value === 'string') memory.proposed.add(entry.value);
  }
  let active: Ballot | null = null;
  for (const node of world.nodes) {
    const state = world.state(node);
    if (state === undefined) continue;
    if (state.nacks > 0) memory.nackSeen = true;
    if ((state.phase === 'preparing' || state.phase === 'accepting') && state.ballot !== null) {
      if (active !== null && compareBallots(active, state.ballot) !== 0) memory.competingSeen = true;
      active = state.ballot;
    }
    const promisedBefore = memory.maxPromised.get(node) ?? null;
    // Phase 2b: an acceptor accepts a proposal only if it has not promised a higher number (§2.2).
    const accepted = state.accepted;
    if (accepted !== null) {
      const key = `${accepted.ballot.round}.${accepted.ballot.node}|${accepted.value}`;
      if (memory.lastAccepted.get(node) !== key) {
        memory.lastAccepted.set(node, key);
        if (compareBallots(accepted.ballot, promisedBefore) < 0)
          flag(
            memory,
            PROMISE_KEPT,
            `${node} accepted ${formatBallot(accepted.ballot)} after promising ${formatBallot(promisedBefore)}`,
            [node],
          );
        let voters = memory.acceptors.get(key);
        if (voters === undefined) memory.acceptors.set(key, (voters = new Set()));
        voters.add(node);
        if (voters.size >= memory.quorum && !memory.chosen.has(accepted.value)) {
          const acceptors = [...voters];
          memory.chosen.set(accepted.value, { ballot: formatBallot(accepted.ballot), acceptors });
          if (!memory.proposed.has(accepted.value))
            // The proposer sent it in phase 2a; with ballots that carry no proposer id, the majority that accepted it.
            flag(
              memory,
              VALIDITY,
              `${accepted.value} was chosen but nobody proposed it`,
              world.nodes.includes(accepted.ballot.node) ? [accepted.ballot.node] : acceptors,
            );
          if (memory.chosen.size > 1)
            flag(
              memory,
              AGREEMENT,
              `two values chosen: ${[...memory.chosen].map(([value, { ballot }]) => `${value} (by a majority at ${ballot})`).join(' and ')}`,
              sharedAcceptors([...memory.chosen.values()].map((chosen) => chosen.acceptors)),
            );
        }
      }
    }
    // Phase 1b: a promise never goes down, across restarts too.
    if (state.promised !== null) {
      if (compareBallots(state.promised, promisedBefore) < 0)
        flag(
          memory,
          PROMISE_KEPT,
          `${node} promised ${formatBallot(state.promised)} after promising ${formatBallot(promisedBefore)}`,
          [node],
        );
      else memory.maxPromised.set(node, state.promised);
    }
    if (state.learned !== null) {
      const before = memory.learned.get(node);
      if (before === undefined) {
        memory.learned.set(node, state.learned);
        if (!memory.proposed.has(state.learned))
          flag(memory, VALIDITY, `${node} learned ${state.learned}, which nobody proposed`, [node]);
        if (!memory.chosen.has(state.learned))
          flag(memory, LEARNED_WAS_CHOSEN, `${node} learned ${state.learned} before a majority accepted it`, [node]);
        for (const [other, value] of memory.learned)
          if (value !== state.learned)
            flag(memory, AGREEMENT, `${other} learned ${value} but ${node} learned ${state.learned}`, [other, node]);
      } else if (before !== state.learned)
        flag(memory, INTEGRITY, `${node} learned ${before} and later ${state.learned}: a value is learned once`, [
          node,
        ]);
    }
  }
}

function safety(name: string, description: string): Invariant<PaxosState, SafetyMemory> {
  return always<PaxosState, SafetyMemory>(name, (_world, memory) => memory.found.get(name) ?? true, {
    description,
    memory: safetyMemory,
  });
}

export const agreement = safety(
  AGREEMENT,
  'At most one value is chosen (accepted by a majority under one number), and no two learners learn different values ("Paxos Made Simple" §2.1).',
);
export const validity = safety(VALIDITY, 'Only a proposed value can be chosen or learned (§2.1).');
export const integrity = safety(INTEGRITY, 'A learner learns a value once and never changes it, across restarts too.');
export const learnedWasChosen = safety(
  LEARNED_WAS_CHOSEN,
  'A learner learns a value only once it has been chosen (§2.1: learners never learn a value that was not chosen).',
);
export const promiseKept = safety(
  PROMISE_KEPT,
  "An acceptor's promise never goes down and it never accepts below it, across restarts too (§2.2, §2.3: promises on stable storage).",
);

/** Liveness after the heal: every running node learns the chosen value (§2.4: with a distinguished proposer). */
export const valueLearned = eventually<PaxosState>(
  'value-learned',
  (world) => {
    for (const node of world.nodes) {
      const state = world.state(node);
      if (state !== undefined && !world.isPaused(node) && state.learned === null)
        return failure(`${node} has learned nothing`, [node]);
    }
    return true;
  },
  { withinMicros: 5_000_000, description: 'Within 5 s of the last fault every running node has learned a value.' },
);

/** Proof a scenario reached duelling: two proposers in a round at once, with different numbers. */
export const competingProposers = sometimes<PaxosState, SafetyMemory>(
  'competing-proposers',
  (_world, memory) => memory.competingSeen,
  { description: 'Two proposers run rounds with different numbers at the same time.', memory: safetyMemory },
);

/** Proof a scenario reached a rejection: a proposer received a NACK carrying a higher promise. */
export const nackReceived = sometimes<PaxosState, SafetyMemory>('nack-received', (_world, memory) => memory.nackSeen, {
  description: 'A proposer received a NACK carrying a higher promise and gave up its round.',
  memory: safetyMemory,
});

/** Safety after every step and liveness after the heal: what every single-decree run must satisfy. */
export const invariants: readonly Invariant<PaxosState>[] = [
  agreement,
  validity,
  integrity,
  learnedWasChosen,
  promiseKept,
  valueLearned,
];

export const reachInvariants = { competingProposers, nackReceived } as const;
