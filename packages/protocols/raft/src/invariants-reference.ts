import { always, defineMemory, type Invariant, type NodeId, type WorldView } from '@dsim/core';
import {
  ELECTION_SAFETY,
  LEADER_APPEND_ONLY,
  LEADER_COMPLETENESS,
  LOG_MATCHING,
  STATE_MACHINE_SAFETY,
} from './invariant-names.ts';
import { entryIdentity, type Entry, type RaftState } from './state.ts';

/**
 * The five safety properties of the Raft paper's Figure 3, written as the paper states them, on
 * whole logs, with plain maps and copies of logs. This is the reference the fast incremental
 * engine (invariants.ts) is held equal to by a property test (test/invariants-reference.test.ts):
 * same verdict after every step, same first violation. Sweeps use the fast one; this one favours
 * being obviously right over being quick (it copies every log that changes and compares whole
 * logs).
 *
 * "Committed in term T" is read as: a node whose current term is T holds the entry at or below its
 * commit index (the leader of T that committed it, or a follower that leader told). "Applied" is
 * what a node's apply index passes over. Entries a node compacted into a snapshot are held by that
 * snapshot: the properties speak of the entries still in the log.
 */

/** A log as one node held it at one moment: a copy, since in mutable mode a state changes its log in place. */
interface HeldLog {
  readonly node: NodeId;
  readonly snapshotIndex: number;
  readonly snapshotTerm: number;
  readonly entries: readonly Entry[];
}

interface CommittedEntry {
  readonly identity: string;
  readonly node: NodeId;
  /** The lowest term of a node seen holding it committed. */
  inTerm: number;
}

interface NodeRecord {
  /** The node's log when last observed. */
  log: HeldLog;
  /** When it last started: a different value means it restarted since. */
  upSince: number | undefined;
  /** Its term, if it was leading when last observed (undefined otherwise). */
  leaderTerm: number | undefined;
  commitIndex: number;
  appliedIndex: number;
}

interface ReferenceMemory {
  readonly records: Map<NodeId, NodeRecord>;
  /**
   * Logs nodes held earlier and left other than by appending (truncated, compacted, replaced after
   * a restart). Log Matching is about every log a server ever held: a crash or a truncation must
   * not hide two different entries under one index and term. (A log that only grew holds every
   * entry of the one before it, so the earlier one adds nothing to compare.)
   */
  readonly earlier: HeldLog[];
  /** Election Safety: the leader seen in each term. */
  readonly leaders: Map<number, NodeId>;
  /** Leader Completeness: the entries seen committed, by index. */
  readonly committed: Map<number, CommittedEntry>;
  /** State Machine Safety: the entry first applied at each index, and by whom. */
  readonly applied: Map<number, { readonly identity: string; readonly node: NodeId }>;
  /** Violations waiting for their invariant to report them, and those reported (each once). */
  readonly found: Map<string, string>;
  readonly reported: Set<string>;
}

type World = WorldView<RaftState>;

function lastIndexOf(log: HeldLog): number {
  return log.snapshotIndex + log.entries.length;
}

/** The term at `index` in a held log: the snapshot's at its index, an entry's after it, undefined otherwise. */
function termOf(log: HeldLog, index: number): number | undefined {
  if (index === log.snapshotIndex) return log.snapshotTerm;
  if (index < log.snapshotIndex) return undefined;
  return log.entries[index - log.snapshotIndex - 1]?.term;
}

function entryOf(log: HeldLog, index: number): Entry | undefined {
  return index > log.snapshotIndex ? log.entries[index - log.snapshotIndex - 1] : undefined;
}

function hold(node: NodeId, state: RaftState): HeldLog {
  return { node, snapshotIndex: state.snapshotIndex, snapshotTerm: state.snapshotTerm, entries: state.log.slice() };
}

function sameLog(held: HeldLog, state: RaftState): boolean {
  return (
    held.snapshotIndex === state.snapshotIndex &&
    held.snapshotTerm === state.snapshotTerm &&
    held.entries.length === state.log.length &&
    held.entries.every((entry, i) => entry === state.log[i])
  );
}

/** Whether `later` is `earlier` with entries appended (nothing removed, replaced or compacted). */
function onlyAppended(earlier: HeldLog, later: HeldLog): boolean {
  return (
    earlier.snapshotIndex === later.snapshotIndex &&
    earlier.snapshotTerm === later.snapshotTerm &&
    earlier.entries.length <= later.entries.length &&
    earlier.entries.every((entry, i) => entry === later.entries[i])
  );
}

function found(memory: ReferenceMemory, invariant: string, message: string): void {
  if (!memory.reported.has(invariant + message) && !memory.found.has(invariant)) memory.found.set(invariant, message);
}

/**
 * Log Matching (Figure 3): "if two logs contain an entry with the same index and term, then the
 * logs are identical in all entries up through the given index". It is enough to look at the
 * highest index where both hold an entry of the same term: everything up to it must be the same
 * entries, down to where either log begins (a snapshot's index and term count as that position's term).
 */
function logMatchingViolation(a: HeldLog, b: HeldLog): string | undefined {
  const low = Math.max(a.snapshotIndex, b.snapshotIndex);
  let shared = Math.min(lastIndexOf(a), lastIndexOf(b));
  while (shared > low && termOf(a, shared) !== termOf(b, shared)) shared--;
  if (shared <= low) return undefined;
  const term = termOf(a, shared)!;
  for (let index = shared; index > low; index--) {
    const entryA = entryOf(a, index)!;
    const entryB = entryOf(b, index)!;
    if (entryIdentity(entryA) !== entryIdentity(entryB)) {
      return `${a.node} and ${b.node} both hold an entry at ${shared}/${term}, but differ at ${index} (${entryIdentity(entryA)} vs ${entryIdentity(entryB)})`;
    }
  }
  if (termOf(a, low) !== termOf(b, low)) {
    return `${a.node} and ${b.node} both hold an entry at ${shared}/${term}, but differ at ${low} (term ${termOf(a, low)} vs ${termOf(b, low)})`;
  }
  return undefined;
}

function observeNode(world: World, memory: ReferenceMemory, node: NodeId, state: RaftState): void {
  const upSince = world.upSince(node);
  let record = memory.records.get(node);
  const restarted = record !== undefined && record.upSince !== upSince;

  // Election Safety (Figure 3): "at most one leader can be elected in a given term".
  if (state.role === 'leader') {
    const known = memory.leaders.get(state.term);
    if (known === undefined) memory.leaders.set(state.term, node);
    else if (known !== node) found(memory, ELECTION_SAFETY, `two leaders in term ${state.term}: ${known} and ${node}`);
  }

  const logChanged = record === undefined || !sameLog(record.log, state);
  const log = logChanged ? hold(node, state) : record!.log;

  // Leader Append-Only (Figure 3): "a leader never overwrites or deletes entries in its log; it
  // only appends new entries". Compared with its log when last seen leading in the same term
  // (entries it compacted into a snapshot are not deleted).
  if (record !== undefined && !restarted && state.role === 'leader' && record.leaderTerm === state.term && logChanged) {
    const before = record.log;
    for (let index = Math.max(before.snapshotIndex, log.snapshotIndex) + 1; index <= lastIndexOf(before); index++) {
      const had = entryOf(before, index)!;
      const has = entryOf(log, index);
      if (has === undefined || entryIdentity(has) !== entryIdentity(had)) {
        found(
          memory,
          LEADER_APPEND_ONLY,
          `${node}, leader of term ${state.term}, ${has === undefined ? 'deleted' : 'overwrote'} its entry ${entryIdentity(had)} at ${index}`,
        );
        break;
      }
    }
  }

  // Log Matching, against every log held now or earlier.
  if (logChanged) {
    if (record !== undefined && !onlyAppended(record.log, log)) memory.earlier.push(record.log);
    const others: HeldLog[] = [...memory.earlier];
    for (const [other, otherRecord] of memory.records) if (other !== node) others.push(otherRecord.log);
    for (const other of others) {
      const violation = logMatchingViolation(log, other);
      if (violation !== undefined) {
        found(memory, LOG_MATCHING, violation);
        break;
      }
    }
  }

  if (record === undefined) {
    record = {
      log,
      upSince,
      leaderTerm: undefined,
      commitIndex: state.snapshotIndex,
      appliedIndex: state.snapshotIndex,
    };
    memory.records.set(node, record);
  }
  record.log = log;
  record.upSince = upSince;
  record.leaderTerm = state.role === 'leader' ? state.term : undefined;

  // What this node newly holds committed, in its current term.
  record.commitIndex = Math.min(record.commitIndex, state.commitIndex);
  for (let index = Math.max(record.commitIndex, log.snapshotIndex) + 1; index <= state.commitIndex; index++) {
    const entry = entryOf(log, index);
    if (entry === undefined) break;
    const known = memory.committed.get(index);
    if (known === undefined) memory.committed.set(index, { identity: entryIdentity(entry), node, inTerm: state.term });
    else if (state.term < known.inTerm) known.inTerm = state.term;
  }
  record.commitIndex = Math.max(record.commitIndex, state.commitIndex);

  // State Machine Safety (Figure 3): "if a server has applied a log entry at a given index to its
  // state machine, no other server will ever apply a different log entry for the same index".
  record.appliedIndex = Math.min(record.appliedIndex, state.appliedIndex);
  for (let index = Math.max(record.appliedIndex, log.snapshotIndex) + 1; index <= state.appliedIndex; index++) {
    const entry = entryOf(log, index);
    if (entry === undefined) break;
    const identity = entryIdentity(entry);
    const known = memory.applied.get(index);
    if (known === undefined) memory.applied.set(index, { identity, node });
    else if (known.identity !== identity) {
      found(
        memory,
        STATE_MACHINE_SAFETY,
        `${node} applies ${identity} at index ${index}, but ${known.node} applied ${known.identity} there`,
      );
    }
  }
  record.appliedIndex = Math.max(record.appliedIndex, state.appliedIndex);
}

/**
 * Leader Completeness (Figure 3): "if a log entry is committed in a given term, then that entry
 * will be present in the logs of the leaders for all higher-numbered terms". Checked for every
 * leader, every step.
 */
function checkLeaderCompleteness(world: World, memory: ReferenceMemory): void {
  for (const node of world.nodes) {
    const state = world.state(node);
    if (state === undefined || state.role !== 'leader') continue;
    for (const [index, committed] of memory.committed) {
      if (committed.inTerm >= state.term || index <= state.snapshotIndex) continue;
      const entry = state.log[index - state.snapshotIndex - 1];
      if (entry === undefined || entryIdentity(entry) !== committed.identity) {
        found(
          memory,
          LEADER_COMPLETENESS,
          `${node} leads term ${state.term} without ${index}/${committed.identity}, committed in term ${committed.inTerm} (seen first on ${committed.node})`,
        );
        return;
      }
    }
  }
}

const referenceMemory = defineMemory<RaftState, ReferenceMemory>({
  name: 'raft-safety-reference',
  create: () => ({
    records: new Map(),
    earlier: [],
    leaders: new Map(),
    committed: new Map(),
    applied: new Map(),
    found: new Map(),
    reported: new Set(),
  }),
  observe(memory, world) {
    for (const node of world.nodes) {
      const state = world.state(node);
      if (state !== undefined) observeNode(world, memory, node, state);
      else {
        const record = memory.records.get(node);
        if (record !== undefined) record.leaderTerm = undefined;
      }
    }
    checkLeaderCompleteness(world, memory);
  },
});

/** The suffix of the reference invariants' names: `election-safety-reference` is the reference twin of `election-safety`. */
export const REFERENCE_SUFFIX = '-reference';

function reference(name: string, description: string): Invariant<RaftState, ReferenceMemory> {
  return always<RaftState, ReferenceMemory>(
    name + REFERENCE_SUFFIX,
    (_world, memory) => {
      const message = memory.found.get(name);
      if (message === undefined) return true;
      memory.found.delete(name);
      memory.reported.add(name + message);
      return message;
    },
    { description, memory: referenceMemory },
  );
}

export const electionSafetyReference = reference(
  ELECTION_SAFETY,
  'At most one leader per term (Raft Figure 3; reference version).',
);
export const leaderAppendOnlyReference = reference(
  LEADER_APPEND_ONLY,
  'A leader never overwrites or deletes entries in its log (Raft Figure 3; reference version).',
);
export const logMatchingReference = reference(
  LOG_MATCHING,
  'Two logs, held now or earlier, with an entry of the same index and term are identical up to it (Raft Figure 3; reference version).',
);
export const leaderCompletenessReference = reference(
  LEADER_COMPLETENESS,
  'A committed entry is in the log of every leader of a later term (Raft Figure 3; reference version).',
);
export const stateMachineSafetyReference = reference(
  STATE_MACHINE_SAFETY,
  'No two servers apply different entries at the same index (Raft Figure 3; reference version).',
);

/** The five reference safety invariants, in the order of the fast ones in `invariants`. */
export const referenceSafetyInvariants: readonly Invariant<RaftState>[] = [
  electionSafetyReference,
  leaderAppendOnlyReference,
  logMatchingReference,
  leaderCompletenessReference,
  stateMachineSafetyReference,
];
