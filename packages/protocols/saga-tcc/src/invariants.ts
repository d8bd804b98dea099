import { checkCompensation, type CompensationEvent, type CompensationViolation } from '@dsim/check';
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
import type { TxnConfig } from './config.ts';
import { gidKey, type CoordinatorState, type GlobalOutcome, type ParticipantState, type TxnState } from './state.ts';

type World = WorldView<TxnState>;

/**
 * What the invariants have seen in one run: every branch effect each participant performed (in the
 * order performed), and every global transaction the coordinator ended. A crashed node's state is
 * invisible and a restarted one starts a fresh effect log, so the memory keeps what it observed;
 * the kernel creates one memory per run.
 */
export interface Memory {
  readonly events: Map<number, CompensationEvent[]>;
  readonly ended: Map<number, GlobalOutcome>;
  readonly cursors: Map<NodeId, { boot: number; effects: number; ended: number }>;
  /** The first violation of each rule seen (its message starts with the rule's name), with the nodes it involves. */
  readonly violations: Map<string, InvariantFailure>;
  emptyRollbacks: number;
  suspendedTries: number;
  realCompensations: number;
  /** Highest gid when the faults ended: those must all end eventually. */
  healWatermark: number | undefined;
  /** Saga reads and writes of each account, in the order performed: the isolation anomalies are read from it. */
  readonly accesses: Map<string, Access[]>;
}

interface Access {
  readonly gid: number;
  readonly step: number;
  readonly kind: 'read' | 'write';
  readonly value: number;
}

const observed = defineMemory<TxnState, Memory>({
  name: 'saga-tcc-effects',
  create: () => ({
    events: new Map(),
    ended: new Map(),
    cursors: new Map(),
    violations: new Map(),
    emptyRollbacks: 0,
    suspendedTries: 0,
    realCompensations: 0,
    healWatermark: undefined,
    accesses: new Map(),
  }),
  observe: (memory, world) => observe(memory, world),
});

function observe(memory: Memory, world: World): void {
  for (const node of world.nodes) {
    const state = world.state(node);
    if (!state) continue;
    let cursor = memory.cursors.get(node);
    if (!cursor || cursor.boot !== state.boot) {
      cursor = { boot: state.boot, effects: 0, ended: 0 };
      memory.cursors.set(node, cursor);
    }
    if (state.role === 'participant') {
      while (cursor.effects < state.effects.length) observeEffect(memory, node, state.effects[cursor.effects++]!);
    } else {
      while (cursor.ended < state.ended.length) {
        const outcome = state.ended[cursor.ended++]!;
        if (memory.ended.has(outcome.gid)) continue;
        memory.ended.set(outcome.gid, outcome);
        checkNothingFrozen(memory, world, outcome);
      }
    }
  }
}

/** A saga step's participant is `node#step` (one node may run several steps): the node it ran on. */
function nodeOfParticipant(participant: string): NodeId {
  const hash = participant.indexOf('#');
  return hash < 0 ? participant : participant.slice(0, hash);
}

/**
 * The nodes a compensation violation involves: the participant that broke a per-branch rule, or,
 * for a rule over the whole transaction (atomicity), every node that took part in it.
 */
function compensationNodes(violation: CompensationViolation, events: readonly CompensationEvent[]): NodeId[] {
  const participants = violation.participant !== undefined ? [violation.participant] : events.map((e) => e.participant);
  return [...new Set(participants.map(nodeOfParticipant))];
}

function observeEffect(memory: Memory, node: NodeId, effect: ParticipantState['effects'][number]): void {
  const participant = effect.step === undefined ? node : `${node}#${effect.step}`;
  const events = memory.events.get(effect.gid) ?? [];
  memory.events.set(effect.gid, events);
  events.push({
    participant,
    action: effect.action,
    outcome: effect.outcome,
    changed: effect.changed,
    ...(effect.step === undefined ? {} : { step: effect.step }),
  });
  if (effect.reason === 'empty-rollback') memory.emptyRollbacks++;
  if (effect.reason === 'suspended') memory.suspendedTries++;
  if ((effect.action === 'cancel' || effect.action === 'compensate') && effect.changed) memory.realCompensations++;
  if (effect.access !== undefined && effect.outcome === 'ok') observeAccess(memory, node, effect);
  const result = checkCompensation([{ id: `g${effect.gid}`, events, finished: false }]);
  for (const violation of result.violations)
    if (!memory.violations.has(violation.rule))
      memory.violations.set(
        violation.rule,
        failure(`${violation.rule}: ${violation.message}`, compensationNodes(violation, events)),
      );
  if (
    effect.action === 'try' &&
    effect.outcome === 'ok' &&
    memory.ended.has(effect.gid) &&
    !memory.violations.has('frozen-after-end')
  )
    memory.violations.set(
      'frozen-after-end',
      failure(
        `frozen-after-end: ${node} froze money for g=${effect.gid} after the transaction ended (${memory.ended.get(effect.gid)!.outcome})`,
        [node],
      ),
    );
}

/**
 * The isolation anomalies of sagas (Richardson §4.3; SPECS §7.1), from the reads and writes of each
 * account in the order they happened:
 * - lost update: a `set` overwrote a change it had not read;
 * - dirty read: a saga read a value that included another saga's write, and that write was later compensated;
 * - fuzzy read: a saga read the same account twice, with no write of its own in between, and saw two values.
 */
function observeAccess(memory: Memory, node: NodeId, effect: ParticipantState['effects'][number]): void {
  const access = effect.access!;
  const step = effect.step ?? 0;
  const log = memory.accesses.get(access.account) ?? [];
  memory.accesses.set(access.account, log);
  // The account lives on `node`: the reads and writes that make the anomaly all happened there.
  const report = (rule: string, text: string) => {
    if (!memory.violations.has(rule)) memory.violations.set(rule, failure(`${rule}: ${text}`, [node]));
  };
  if (effect.action === 'compensate') {
    const undone = log.findIndex((entry) => entry.gid === effect.gid && entry.step === step && entry.kind === 'write');
    const dirty =
      undone < 0 ? undefined : log.slice(undone + 1).find((entry) => entry.kind === 'read' && entry.gid !== effect.gid);
    if (dirty)
      report(
        'dirty-read',
        `g=${dirty.gid} read ${access.account}=${dirty.value}, which included g=${effect.gid}'s step ${step + 1}, since compensated`,
      );
  } else if (access.kind === 'write' && access.overwritten !== undefined) {
    report(
      'lost-update',
      `g=${effect.gid} set ${access.account}=${access.value} from a stale read, overwriting a concurrent change of ${access.overwritten}`,
    );
  } else if (access.kind === 'read') {
    for (let index = log.length - 1; index >= 0; index--) {
      const entry = log[index]!;
      if (entry.gid !== effect.gid) continue;
      if (entry.kind === 'read' && entry.value !== access.value)
        report(
          'fuzzy-read',
          `g=${effect.gid} read ${access.account} twice and saw ${entry.value}, then ${access.value}: another saga changed it in between`,
        );
      break;
    }
  }
  log.push({
    gid: effect.gid,
    step,
    kind: effect.action === 'compensate' ? 'write' : access.kind,
    value: access.value,
  });
}

/** When a transaction ends, no participant may still hold its freeze (the reservation would leak). */
function checkNothingFrozen(memory: Memory, world: World, outcome: GlobalOutcome): void {
  if (memory.violations.has('frozen-after-end')) return;
  for (const node of outcome.participants) {
    const state = world.state(node);
    if (state?.role !== 'participant') continue;
    if (state.branches[gidKey(outcome.gid)]?.status === 'tried')
      memory.violations.set(
        'frozen-after-end',
        failure(
          `frozen-after-end: ${node} still holds the freeze of g=${outcome.gid}, which ended ${outcome.outcome}`,
          [node],
        ),
      );
  }
}

/** The first violation of any of `rules`, or true. */
function firstOf(memory: Memory, rules: readonly string[]): true | InvariantFailure {
  for (const rule of rules) {
    const found = memory.violations.get(rule);
    if (found !== undefined) return found;
  }
  return true;
}

/**
 * The compensation rules of @dsim/check on every transaction as it happens, split by anomaly so a
 * property run can hunt each one (SPECS §2.2): no Confirm without a successful Try, nothing both
 * confirmed and cancelled, saga compensations in reverse order.
 */
export const compensationRules = always<TxnState, Memory>(
  'compensation',
  (_world, memory) =>
    firstOf(memory, ['confirm-without-try', 'confirmed-and-cancelled', 'compensation-order', 'atomicity']),
  {
    description:
      'Per branch: no Confirm without a successful Try, no branch both confirmed and cancelled, saga compensations in reverse order.',
    memory: observed,
  },
);

/** Idempotency: a repeated Confirm, Cancel or compensation is a no-op (each phase-2 effect applied at most once). */
export const idempotentPhaseTwo = always<TxnState, Memory>(
  'idempotent-phase-two',
  (_world, memory) => firstOf(memory, ['applied-twice']),
  { description: 'Each Confirm, Cancel or compensation changes data at most once per branch.', memory: observed },
);

/** Empty rollback: a Cancel (compensation) with no Try (action) before it changes nothing. */
export const emptyRollbackChangesNothing = always<TxnState, Memory>(
  'empty-rollback-changes-nothing',
  (_world, memory) => firstOf(memory, ['empty-rollback-changed']),
  { description: 'A Cancel or compensation that arrives before its Try or action changes no data.', memory: observed },
);

/** Suspension: no Try freezes after its Cancel, and no freeze outlives its transaction. */
export const noHangingTry = always<TxnState, Memory>(
  'no-hanging-try',
  (_world, memory) => firstOf(memory, ['try-after-cancel', 'frozen-after-end']),
  {
    description:
      'No Try (or saga action) takes effect after its Cancel (compensation); no freeze is held after its transaction ended.',
    memory: observed,
  },
);

function participants(world: World): ParticipantState[] | null {
  const out: ParticipantState[] = [];
  for (const node of world.nodes.slice(1)) {
    const state = world.state(node);
    if (state?.role !== 'participant') return null;
    out.push(state);
  }
  return out;
}

/** TCC's accounts: a balance never goes negative, a frozen amount is never negative nor above the balance. */
export const noOverdraft = always<TxnState>(
  'no-overdraft',
  (world) => {
    for (const node of world.nodes) {
      const state = world.state(node);
      if (state?.role !== 'participant') continue;
      for (const account in state.balances) {
        const balance = state.balances[account]!;
        const frozen = state.frozen[account] ?? 0;
        if (balance < 0) return failure(`${account} is overdrawn: ${balance}`, [node]);
        if (frozen < 0)
          return failure(`${account} has a negative frozen amount ${frozen}: a release without a reservation`, [node]);
        if (frozen > balance) return failure(`${account} has ${frozen} frozen but only ${balance} in balance`, [node]);
      }
    }
    return true;
  },
  'No balance is negative; no frozen amount is negative or above its balance.',
);

/**
 * Transfers move money, they never make or destroy it: whenever every node is up and no global
 * transaction is open, the balances add up to the opening total and nothing is frozen.
 */
export const moneyConserved = always<TxnState>(
  'money-conserved',
  (world) => {
    const coordinator = world.state(world.nodes[0]!);
    if (coordinator?.role !== 'coordinator') return true;
    for (const _ in coordinator.tcc) return true;
    for (const _ in coordinator.saga) return true;
    const sites = participants(world);
    if (sites === null) return true;
    const config = world.config as TxnConfig;
    let total = 0;
    let accounts = 0;
    for (const state of sites) {
      for (const key in state.branches) if (state.branches[key]!.status === 'tried') return true;
      for (const account in state.balances) {
        total += state.balances[account]!;
        accounts++;
      }
    }
    const expected = accounts * config.initialBalance;
    return total === expected || `the balances add up to ${total}, not ${expected}: money was created or destroyed`;
  },
  'With every node up and no global transaction open, the balances sum to the opening total.',
);

/**
 * Semantic atomicity after the heal: within 8 s of the last fault, every global transaction begun
 * before it has ended, every participant has released its freezes, and each ended fully confirmed
 * (executed) or fully cancelled (compensated): checkCompensation with `finished`.
 */
export const semanticAtomicity = eventually<TxnState, Memory>(
  'semantic-atomicity',
  (world, memory) => {
    for (const node of world.nodes) if (!world.isUp(node)) return failure(`${node} is down`, [node]);
    const coordinatorNode = world.nodes[0]!;
    const coordinator = world.state(coordinatorNode) as CoordinatorState;
    memory.healWatermark ??= coordinator.nextGid - 1;
    const watermark = memory.healWatermark;
    for (const key in coordinator.tcc) {
      const global = coordinator.tcc[key as keyof typeof coordinator.tcc]!;
      if (global.gid <= watermark) return failure(`g=${global.gid} is still ${global.phase}`, [coordinatorNode]);
    }
    for (const key in coordinator.saga) {
      const saga = coordinator.saga[key as keyof typeof coordinator.saga]!;
      if (saga.gid <= watermark) return failure(`saga g=${saga.gid} is still ${saga.phase}`, [coordinatorNode]);
    }
    for (const node of world.nodes.slice(1)) {
      const state = world.state(node);
      if (state?.role !== 'participant') continue;
      for (const key in state.branches) {
        const branch = state.branches[key]!;
        if (branch.status === 'tried' && branch.gid <= watermark)
          return failure(`a participant still holds the freeze of g=${branch.gid}`, [node]);
      }
    }
    const finished = [...memory.ended.values()]
      .filter((outcome) => outcome.gid <= watermark)
      .map((outcome) => ({ id: `g${outcome.gid}`, events: memory.events.get(outcome.gid) ?? [] }));
    const result = checkCompensation(finished);
    if (result.ok) return true;
    const eventsOf = new Map(finished.map((transaction) => [transaction.id, transaction.events]));
    const nodes = result.violations.flatMap((violation) =>
      compensationNodes(violation, eventsOf.get(violation.transaction) ?? []),
    );
    return failure(result.message, [...new Set(nodes)]);
  },
  {
    withinMicros: 8_000_000,
    description:
      'Within 8 s after the last fault, every global transaction begun before it has ended, fully confirmed or fully cancelled ' +
      '(a saga: fully executed or fully compensated), with nothing left frozen.',
    memory: observed,
  },
);

/** The safety invariants every run checks, before the liveness one. */
const safety = [compensationRules, idempotentPhaseTwo, emptyRollbackChangesNothing, noHangingTry];

export const tccInvariants: Invariant<TxnState>[] = [...safety, noOverdraft, moneyConserved, semanticAtomicity];

/** Sagas have no isolation: a compensation may take back money another saga already spent, so no-overdraft is not a saga invariant. */
export const sagaInvariants: Invariant<TxnState>[] = [...safety, moneyConserved, semanticAtomicity];

/** Saga isolation (opt-in: the anomaly scenarios name them; countermeasures in the config prevent them). */
export const noLostUpdate = always<TxnState, Memory>(
  'no-lost-update',
  (_world, memory) => firstOf(memory, ['lost-update']),
  {
    description: 'No saga step overwrites a change made since its saga read the value (lost update).',
    memory: observed,
  },
);

export const noDirtyRead = always<TxnState, Memory>(
  'no-dirty-read',
  (_world, memory) => firstOf(memory, ['dirty-read']),
  {
    description: "No saga reads a value that includes another saga's write that is later compensated (dirty read).",
    memory: observed,
  },
);

export const noFuzzyRead = always<TxnState, Memory>(
  'no-fuzzy-read',
  (_world, memory) => firstOf(memory, ['fuzzy-read']),
  {
    description: 'No saga reads the same account twice and sees two values it did not write itself (fuzzy read).',
    memory: observed,
  },
);

export const isolationInvariants: Invariant<TxnState>[] = [noLostUpdate, noDirtyRead, noFuzzyRead];

// ------------------------------------------------------------------ sometimes: proof a scenario reached what it tests

export const emptyRollbackReached = sometimes<TxnState, Memory>(
  'empty-rollback',
  (_world, memory) => memory.emptyRollbacks > 0,
  {
    description: 'A Cancel (or compensation) arrived before its Try (action) and was an empty rollback.',
    memory: observed,
  },
);

export const suspendedTryRefused = sometimes<TxnState, Memory>(
  'suspended-try',
  (_world, memory) => memory.suspendedTries > 0,
  { description: 'A Try (or saga action) arrived after its Cancel and was refused (anti-hanging).', memory: observed },
);

export const compensatedAfterPartialSuccess = sometimes<TxnState, Memory>(
  'compensated-after-partial-success',
  (_world, memory) => memory.realCompensations > 0,
  {
    description:
      'A branch that had succeeded (a Try that froze, a saga step that applied) was cancelled or compensated.',
    memory: observed,
  },
);

export const phaseTwoRetried = sometimes<TxnState>(
  'phase-two-retried',
  (world) => {
    const coordinator = world.state(world.nodes[0]!);
    return coordinator?.role === 'coordinator' && coordinator.phaseTwoRetries > 0;
  },
  'The coordinator retried a Confirm, Cancel or compensation that had not been acknowledged.',
);

export const transactionCommitted = sometimes<TxnState>(
  'transaction-committed',
  (world) => {
    const coordinator = world.state(world.nodes[0]!);
    return coordinator?.role === 'coordinator' && coordinator.committed > 0;
  },
  'At least one global transaction was confirmed (TCC) or ran every step (saga).',
);

/** Not in the protocols' default sets: a scenario names the states it exists to reach. */
export const reachability: Invariant<TxnState>[] = [
  emptyRollbackReached,
  suspendedTryRefused,
  compensatedAfterPartialSuccess,
  phaseTwoRetried,
  transactionCommitted,
];
