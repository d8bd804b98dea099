import { checkLinearizability, createKvModel, type LinearizabilityOptions } from '@dsim/check';
import {
  always,
  atEnd,
  defineMemory,
  eventually,
  failure,
  sometimes,
  type Invariant,
  type InvariantFailure,
  type NodeId,
  type WorldView,
} from '@dsim/core';
import { compareBallots, formatBallot, type Ballot } from '../ballot.ts';
import { describeCommand, type Command } from './messages.ts';
import { forEachSlot, slotGet } from './slots.ts';
import type { MultiPaxosState } from './state.ts';

type World = WorldView<MultiPaxosState>;

/** Where the memory is in one node's incarnation (known by its start time): how many learned slots and acceptances it has read. */
interface Cursor {
  readonly upSince: number | undefined;
  learned: number;
  accepts: number;
}

/**
 * What the safety invariants have seen in one run: the command first learned at each slot and by
 * whom, what each node learned at each slot (a restart replays the chosen log, which must match),
 * the highest promise each acceptor ever held, and the client operations invoked. A crashed node's
 * state is invisible and a restart rebuilds it, so all of this is remembered, not re-read. It reads
 * each node's learned slots through `learnedOrder` from a cursor, so a step costs what it learned.
 */
interface SafetyMemory {
  readonly cursors: Map<NodeId, Cursor>;
  /** The identity of the command first learned at each slot, and the node that learned it. */
  readonly firstLearned: Map<number, { readonly key: string; readonly node: NodeId; readonly label: string }>;
  /** What each node learned at each slot: `${node}|${slot}` → identity. */
  readonly learnedBy: Map<string, string>;
  readonly maxPromised: Map<NodeId, Ballot>;
  /** Client operations invoked, as `client|f|key|value`. */
  readonly invoked: Set<string>;
  historyScanned: number;
  recovered: boolean;
  noopFilled: boolean;
  nack: boolean;
  competing: boolean;
  okAfterHeal: boolean;
  invokedAfterHeal: boolean;
  readonly processesInvokedAfterHeal: Set<number>;
  livenessScanned: number;
  /** The first violation of each invariant, with the nodes it involves. */
  readonly found: Map<string, InvariantFailure>;
}

export const AGREEMENT = 'agreement';
export const VALIDITY = 'validity';
export const INTEGRITY = 'integrity';
export const PROMISE_KEPT = 'promise-kept';

/** A command's identity: its request id, or 'noop' (every no-op is the same command). */
function identity(command: Command): string {
  return command.kind === 'noop' ? 'noop' : command.request;
}

function operationKey(client: string | undefined, f: string, key: unknown, value: unknown): string {
  return `${client ?? ''}|${f}|${String(key)}|${JSON.stringify(value ?? null)}`;
}

const safetyMemory = defineMemory<MultiPaxosState, SafetyMemory>({
  name: 'multipaxos-safety',
  create: () => ({
    cursors: new Map(),
    firstLearned: new Map(),
    learnedBy: new Map(),
    maxPromised: new Map(),
    invoked: new Set(),
    historyScanned: 0,
    recovered: false,
    noopFilled: false,
    nack: false,
    competing: false,
    okAfterHeal: false,
    invokedAfterHeal: false,
    processesInvokedAfterHeal: new Set(),
    livenessScanned: 0,
    found: new Map(),
  }),
  observe(memory, world, change) {
    observe(memory, world, change.node);
    return memory.found.size === 0;
  },
});

function flag(memory: SafetyMemory, invariant: string, message: string, nodes: readonly NodeId[]): void {
  if (!memory.found.has(invariant)) memory.found.set(invariant, failure(message, nodes));
}

function observe(memory: SafetyMemory, world: World, stepped: NodeId | undefined): void {
  const history = world.history;
  for (; memory.historyScanned < history.length; memory.historyScanned++) {
    const entry = history[memory.historyScanned]!;
    if (entry.type === 'invoke') memory.invoked.add(operationKey(entry.client, entry.f, entry.key, entry.value));
  }
  let active: Ballot | null = null;
  for (const node of stepped === undefined ? world.nodes : [stepped]) observeNode(memory, world, node);
  // Competing leaders need every node's role; cheap, and only until seen once.
  if (!memory.competing)
    for (const node of world.nodes) {
      const state = world.state(node);
      if (state === undefined || state.role === 'follower' || state.ballot === null) continue;
      if (active !== null && compareBallots(active, state.ballot) !== 0) memory.competing = true;
      active = state.ballot;
    }
}

function observeNode(memory: SafetyMemory, world: World, node: NodeId): void {
  const state = world.state(node);
  if (state === undefined) return;
  let cursor = memory.cursors.get(node);
  const upSince = world.upSince(node);
  // A restart shows as a new start time (or, in hand-made worlds, as counters that went back).
  if (
    cursor === undefined ||
    cursor.upSince !== upSince ||
    state.learnedCount < cursor.learned ||
    state.acceptCount < cursor.accepts
  ) {
    cursor = { upSince, learned: 0, accepts: 0 };
    memory.cursors.set(node, cursor);
    // A (re)start replays its chosen log: each slot in it must be what this node learned before.
    forEachSlot(state.chosen, 1, (slot, command) => learnedAt(memory, node, slot, command));
  }
  if (state.recoveredSlots > 0) memory.recovered = true;
  if (state.noopFills > 0) memory.noopFilled = true;
  if (state.nacks > 0) memory.nack = true;
  const promisedBefore = memory.maxPromised.get(node) ?? null;
  if (state.acceptCount > cursor.accepts) {
    cursor.accepts = state.acceptCount;
    if (compareBallots(state.lastAcceptedBallot, promisedBefore) < 0)
      flag(
        memory,
        PROMISE_KEPT,
        `${node} accepted under ${formatBallot(state.lastAcceptedBallot)} after promising ${formatBallot(promisedBefore)}`,
        [node],
      );
  }
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
  const fresh = state.learnedCount - cursor.learned;
  if (fresh > 0) {
    const step = state.learnedThisStep;
    // The slots of the last step, or (when the memory missed steps) the whole chosen log again.
    if (fresh === step.length) for (const slot of step) learnedAt(memory, node, slot, slotGet(state.chosen, slot)!);
    else forEachSlot(state.chosen, 1, (slot, command) => learnedAt(memory, node, slot, command));
    cursor.learned = state.learnedCount;
  }
}

function learnedAt(memory: SafetyMemory, node: NodeId, slot: number, command: Command): void {
  const key = identity(command);
  const mine = `${node}|${slot}`;
  const before = memory.learnedBy.get(mine);
  if (before !== undefined) {
    if (before !== key)
      flag(memory, INTEGRITY, `${node} learned ${before} at slot ${slot} and later ${key}: a slot is learned once`, [
        node,
      ]);
    return;
  }
  memory.learnedBy.set(mine, key);
  if (command.kind === 'op') {
    const op = command.op;
    if (!memory.invoked.has(operationKey(command.client, op.f, op.key, 'value' in op ? op.value : undefined)))
      flag(memory, VALIDITY, `${node} learned ${describeCommand(command)} at slot ${slot}, which no client invoked`, [
        node,
      ]);
  }
  const first = memory.firstLearned.get(slot);
  if (first === undefined) memory.firstLearned.set(slot, { key, node, label: describeCommand(command) });
  else if (first.key !== key)
    flag(
      memory,
      AGREEMENT,
      `slot ${slot}: ${first.node} learned ${first.label} (${first.key}) but ${node} learned ${describeCommand(command)} (${key})`,
      [first.node, node],
    );
}

function safety(name: string, description: string): Invariant<MultiPaxosState, SafetyMemory> {
  return always<MultiPaxosState, SafetyMemory>(name, (_world, memory) => memory.found.get(name) ?? true, {
    description,
    memory: safetyMemory,
  });
}

export const agreement = safety(
  AGREEMENT,
  'No two learners learn different commands for a slot ("Paxos Made Simple" §2.1, per instance §3).',
);
export const validity = safety(VALIDITY, 'A learned command is a no-op or an operation a client invoked.');
export const integrity = safety(
  INTEGRITY,
  'A learner learns each slot once and never changes it, across restarts too.',
);
export const promiseKept = safety(
  PROMISE_KEPT,
  "An acceptor's promise never goes down and it never accepts below it, across restarts too.",
);

/**
 * A failed cas is dropped, not read as "the value differed": the servers fail a cas for other
 * reasons too (not the leader, a redirect), so a failure says only that it was not applied.
 */
const multiPaxosKvModel = createKvModel({ failedCas: 'drop' });

/** The client history is linearizable against @dsim/check's kv model, as Raft's must be. */
export function linearizableKv(options: LinearizabilityOptions = {}): Invariant<MultiPaxosState> {
  return atEnd<MultiPaxosState>(
    'linearizable-kv',
    (world) => {
      const result = checkLinearizability(world.history, multiPaxosKvModel, options);
      return result.verdict === 'linearizable' ? true : result.message;
    },
    'The client history is linearizable as a key-value map (get, put, append, cas).',
  );
}

/** Liveness after the heal: a client operation invoked after the last fault succeeds (a leader was elected and commits). */
export const progressAfterHeal = eventually<MultiPaxosState, SafetyMemory>(
  'progress-after-heal',
  (world, memory) => {
    const history = world.history;
    for (; memory.livenessScanned < history.length; memory.livenessScanned++) {
      const entry = history[memory.livenessScanned]!;
      if (entry.type === 'invoke') {
        if (entry.time >= world.faultsEndAt) {
          memory.invokedAfterHeal = true;
          memory.processesInvokedAfterHeal.add(entry.process);
        } else memory.processesInvokedAfterHeal.delete(entry.process);
      } else if (entry.type === 'ok' && memory.processesInvokedAfterHeal.has(entry.process)) memory.okAfterHeal = true;
    }
    if (memory.invokedAfterHeal)
      return memory.okAfterHeal || 'no client operation invoked after the heal has succeeded yet';
    for (const node of world.nodes) {
      const state = world.state(node);
      if (state?.role === 'leader' && state.inFlight !== undefined && Object.keys(state.inFlight).length === 0)
        return true;
    }
    return 'no leader with every slot chosen';
  },
  {
    memory: safetyMemory,
    withinMicros: 10_000_000,
    description:
      'Within 10 s of the last fault a client operation invoked after the heal succeeds (without clients: a leader has every slot it proposed chosen).',
  },
);

export const slotRecovered = sometimes<MultiPaxosState, SafetyMemory>(
  'slot-recovered',
  (_w, memory) => memory.recovered,
  {
    description: "A new leader re-proposed a value another leader's phase 2 left accepted in a slot (§3 recovery).",
    memory: safetyMemory,
  },
);
export const noopFilled = sometimes<MultiPaxosState, SafetyMemory>('noop-filled', (_w, memory) => memory.noopFilled, {
  description: 'A new leader filled a gap below the highest reported slot with a no-op (§3).',
  memory: safetyMemory,
});
export const nackReceived = sometimes<MultiPaxosState, SafetyMemory>('nack-received', (_w, memory) => memory.nack, {
  description: 'A leader or candidate received a NACK carrying a higher ballot and stepped down.',
  memory: safetyMemory,
});
export const competingLeaders = sometimes<MultiPaxosState, SafetyMemory>(
  'competing-proposers',
  (_w, memory) => memory.competing,
  { description: 'Two nodes campaign or lead with different ballots at the same time.', memory: safetyMemory },
);

export const invariants: readonly Invariant<MultiPaxosState>[] = [
  agreement,
  validity,
  integrity,
  promiseKept,
  linearizableKv(),
  progressAfterHeal,
];

export const reachInvariants = { slotRecovered, noopFilled, nackReceived, competingLeaders } as const;
