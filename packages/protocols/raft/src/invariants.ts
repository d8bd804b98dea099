import { checkLinearizability, createKvModel, type LinearizabilityOptions } from '@dsim/check';
import {
  always,
  atEnd,
  defineMemory,
  eventually,
  sometimes,
  type HistoryEntry,
  type Invariant,
  type InvariantFailure,
  type NodeId,
  type WorldView,
} from '@dsim/core';
import { withRoomFor } from './columns.ts';
import { durableLog, durableTermAndVote } from './invariants-durability.ts';
import { leaderIgnoresVotes } from './invariants-vote-lease.ts';
import { leaseTimedFromSend, voteRestartsElectionTimer } from './invariants-timing-rules.ts';
import { mergeRetries } from './history-retries.ts';
import { isMember, isVoter } from './membership.ts';
import {
  ELECTION_SAFETY,
  LEADER_APPEND_ONLY,
  LEADER_COMPLETENESS,
  LOG_MATCHING,
  STATE_MACHINE_SAFETY,
} from './invariant-names.ts';
import { entryIdentity, identityKey, lastIndex, lastTerm, termAt, type Entry, type RaftState } from './state.ts';

/** The memory of log indexes comes in pages of PAGE_SIZE indexes (256 KB of numbers, 32 KB of keys). */
const PAGE_BITS = 12;
const PAGE_SIZE = 1 << PAGE_BITS;
const PAGE_MASK = PAGE_SIZE - 1;

type World = WorldView<RaftState>;

/**
 * The numbers remembered about each log index (RunMemory.pages), at (index & PAGE_MASK) *
 * INDEX_FIELDS + field in the index's page. A node is its position in `world.nodes` + 1, and 0
 * means nobody yet. Terms are held as 64-bit floats: any whole number a term can be is exact.
 */
/** Log Matching: who first held an entry at the index, its term, and the term before it. */
const FIRST_BY = 0;
const FIRST_TERM = 1;
const FIRST_PREV_TERM = 2;
/** Leader Completeness: who first committed the index, the committed entry's term, and the lowest term it was seen committed in. */
const COMMITTED_BY = 3;
const COMMITTED_TERM = 4;
const COMMITTED_IN_TERM = 5;
/** State Machine Safety: who first applied the index, and the applied entry's term. */
const APPLIED_BY = 6;
const APPLIED_TERM = 7;
const INDEX_FIELDS = 8;

/**
 * The entries first held and first applied at the most recent RECENT_SIZE indexes, by index &
 * RECENT_MASK. Entries never change once created (entry.ts) and a leader's entry reaches its
 * followers as the same object, so a node holding or applying the very object seen first at an
 * index has its identity without building or comparing keys: after the first of the five nodes,
 * the work per index is one comparison.
 */
const RECENT_BITS = 12;
const RECENT_SIZE = 1 << RECENT_BITS;
const RECENT_MASK = RECENT_SIZE - 1;

/**
 * The paper's five safety properties (Figure 3; SPECS.md §5.1), checked after every step, plus
 * linearizability of the client history, liveness after the heal, and proof-of-reach checks.
 *
 * These are the fast, incremental versions. invariants-reference.ts states the same five
 * properties plainly, on whole logs, and a property test holds the two equal (same first
 * violation on generated runs, bug switches on and off).
 *
 * Four of the five are statements about the whole run, not one instant: "a term has at most one
 * leader" must remember the leader after it crashed; "no server applies a different entry at i"
 * must remember what a crashed server applied. So the checks keep memory: a run memory
 * (safetyMemory) that the kernel creates for each run and brings up to date once per change.
 *
 * Cost: after a node's step only that node's state can have changed, so the update looks at it
 * alone, and most often finds in a few comparisons that nothing it watches moved (see observeStep);
 * after a fault it rescans every node. It touches a node's log only where it changed since it last
 * looked, so a step costs O(1) plus the entries that step added.
 *
 * Memory: what the run has seen at each log index (the entry first held there and its predecessor
 * term, the entry committed there, the entry applied there, and by whom) is never forgotten: a
 * restart from old storage, a buggy snapshot or a buggy truncation can bring an old index back into
 * a log, and what it holds there must still be compared with what was seen there before. So the
 * memory grows with the run's highest index, and it is kept dense: the numbers about an index side
 * by side in typed arrays (RunMemory.pages), nodes as their position in `world.nodes`, and the
 * entries' identity keys (the request ids the entries already hold, see identityKey) once an index:
 * 72 bytes an index. It grows a page of PAGE_SIZE indexes at a time, so nothing is ever copied.
 */

interface NodeMirror {
  /** The node's upSince when last seen: a change means it restarted. */
  upSince: number | undefined;
  /** The state object last seen: a restart always builds a new one, so the same object means no restart. */
  state: RaftState | undefined;
  /** Index before the first mirrored term: the node's snapshot index when mirrored. */
  base: number;
  /** The terms of the node's entries base + 1 .. base + length as last seen (a typed array with room to grow). */
  terms: Float64Array;
  length: number;
  /** The last mirrored term (-1 when none): with base + length, the log's end as last mirrored. */
  topTerm: number;
  leaderTerm: number;
  /**
   * A term in which Election Safety's memory names this node as the leader (NaN: none yet). That
   * memory never changes once written, so while the node leads in this term there is nothing to check.
   */
  confirmedLeaderTerm: number;
  committed: number;
  applied: number;
}

/** An entry seen at an index under a term other than the first term seen there (rare: only where logs conflicted). */
interface SeenEntry {
  readonly term: number;
  readonly key: string;
  readonly prevTerm: number;
  readonly node: NodeId;
}

interface RunMemory {
  /** Node positions by id. */
  positions: Map<NodeId, number>;
  /** By node position. */
  nodes: Array<NodeMirror | undefined>;
  /** Election Safety: term → the leader seen in it. */
  leaders: Map<number, NodeId>;
  /**
   * What the run has seen at each log index: INDEX_FIELDS numbers an index (the fields are listed
   * above), side by side so that what one step reads and writes about an index lies together, in
   * pages of PAGE_SIZE indexes: index i is in pages[i >> PAGE_BITS]. Indexes below `capacity` have
   * their page.
   */
  pages: Float64Array[];
  capacity: number;
  /**
   * Log Matching: the identity key of the entry first seen at each index, in pages like `pages`.
   * An entry is remembered by its identity key (see identityKey), never by the entry itself:
   * holding the entries would keep every entry of the run alive, with its operation and strings.
   */
  keyPages: Array<Array<string | undefined>>;
  /** Log Matching: the entries seen at an index under another term than the first, by index, then term. */
  entries: Map<number, Map<number, SeenEntry>>;
  /** The highest index seen committed. */
  maxCommitted: number;
  /** State Machine Safety: the identity key of the entry applied at an index, only where it is not the first key seen there (rare). */
  appliedKey: string[];
  /**
   * Leader Completeness: every index from 1 to committedThrough was seen committed, and no index
   * was seen committed first in a term above highestCommittedInTerm. A node of at least that term
   * that commits indexes up to committedThrough changes nothing in the memory.
   */
  committedThrough: number;
  highestCommittedInTerm: number;
  /** The index each recent slot holds (0: none), and the entries first held and first applied there (see RECENT_SIZE). */
  recentIndex: Float64Array;
  recentFirst: Array<Entry | undefined>;
  recentApplied: Array<Entry | undefined>;
  /**
   * The current states by node position, whether each led when last observed (a mutable-mode state
   * is the same object before and after its step, so the flag is what shows a change of role), and
   * the positions of the nodes that lead.
   */
  states: Array<RaftState | undefined>;
  leading: boolean[];
  currentLeaders: number[];
  leaderCount: number;
  /** Violations found by the update, waiting for their invariant to report them (once each). */
  found: Map<string, InvariantFailure>;
  reported: Set<string>;
  truncated: boolean;
  snapshotInstalled: boolean;
  historyScanned: number;
  okAfterHeal: boolean;
  invokedAfterHeal: boolean;
  processesInvokedAfterHeal: Set<number>;
}

/**
 * The run memory of the safety invariants, created by the kernel for each run: two runs never
 * share memory, even when they share these invariant objects. Its observation after each change
 * also answers for the five safety invariants: quiet while no violation waits to be reported.
 */
const safetyMemory = defineMemory<RaftState, RunMemory>({
  name: 'raft-safety',
  create: (world) => ({
    positions: new Map(world.nodes.map((node, position) => [node, position])),
    nodes: [],
    leaders: new Map(),
    pages: [],
    capacity: 0,
    keyPages: [],
    entries: new Map(),
    maxCommitted: 0,
    appliedKey: [],
    committedThrough: 0,
    highestCommittedInTerm: -Infinity,
    recentIndex: new Float64Array(RECENT_SIZE),
    recentFirst: new Array<Entry | undefined>(RECENT_SIZE).fill(undefined),
    recentApplied: new Array<Entry | undefined>(RECENT_SIZE).fill(undefined),
    states: [],
    leading: [],
    currentLeaders: [],
    leaderCount: 0,
    found: new Map(),
    reported: new Set(),
    truncated: false,
    snapshotInstalled: false,
    historyScanned: 0,
    okAfterHeal: false,
    invokedAfterHeal: false,
    processesInvokedAfterHeal: new Set(),
  }),
  observe(memory, world, change) {
    const node = change.node;
    if (node === undefined) updateAll(world, memory);
    else observeStep(world, memory, change.position ?? positionOf(memory, world.nodes, node), node);
    return memory.found.size === 0;
  },
});

/** Adds the pages up to the one that holds `index`. */
function makeRoomFor(memory: RunMemory, index: number): void {
  while (memory.capacity <= index) {
    memory.pages.push(new Float64Array(PAGE_SIZE * INDEX_FIELDS));
    memory.keyPages.push(new Array<string | undefined>(PAGE_SIZE).fill(undefined));
    memory.capacity += PAGE_SIZE;
  }
}

/** Log Matching's identity key of the entry first seen at `index` (which has its page). */
function firstKeyAt(memory: RunMemory, index: number): string | undefined {
  return memory.keyPages[index >>> PAGE_BITS]![index & PAGE_MASK];
}

export { ELECTION_SAFETY, LEADER_APPEND_ONLY, LOG_MATCHING, LEADER_COMPLETENESS, STATE_MACHINE_SAFETY };

/**
 * Brings the memory up to date after one node's step: only that node's state can have changed.
 * Most steps either change nothing the invariants watch (a heartbeat, an answer, a timer) or
 * append to the log and move the commit and apply indexes; both are told apart from the mirror in
 * one pass here, and anything else (a restart, a snapshot, a truncation, a new leader) goes
 * through observeNode.
 */
function observeStep(world: World, memory: RunMemory, position: number, node: NodeId): void {
  const state = world.state(node);
  const mirror = memory.nodes[position];
  const states = memory.states;
  // A restart always builds a new state object; a mutable-mode state is the same object after its step.
  if (state === undefined || mirror === undefined || mirror.state !== state || states[position] !== state) {
    states[position] = state;
    if ((state !== undefined && state.role === 'leader') !== memory.leading[position]) countLeaders(memory);
    if (state) observeNode(world, memory, position, node, state);
    return;
  }
  const leading = state.role === 'leader';
  const term = state.term;
  if (leading !== memory.leading[position]) countLeaders(memory);
  if (leading && term !== mirror.confirmedLeaderTerm) observeLeader(world, memory, mirror, node, state);
  const log = state.log;
  const length = mirror.length;
  const logLength = log.length;
  if (
    state.snapshotIndex === mirror.base &&
    logLength >= length &&
    (length === 0 || log[length - 1]!.term === mirror.topTerm)
  ) {
    // The mirrored log is still there: at most entries were appended after it.
    if (logLength > length) {
      rememberEntries(world, memory, mirror, position, node, state);
      mirror.topTerm = mirror.terms[logLength - 1]!;
    }
  } else observeLog(world, memory, mirror, position, node, state, false);
  mirror.leaderTerm = leading ? term : 0;
  if (state.commitIndex !== mirror.committed) observeCommitted(world, memory, mirror, position, node, state);
  if (state.appliedIndex !== mirror.applied) observeApplied(world, memory, mirror, position, node, state);
}

/** Brings the memory up to date with every node's state (the start, a fault, several steps at once). */
function updateAll(world: World, memory: RunMemory): void {
  const states = memory.states;
  const nodes = world.nodes;
  for (let i = 0; i < nodes.length; i++) states[i] = world.state(nodes[i]!);
  countLeaders(memory);
  for (let i = 0; i < nodes.length; i++) {
    const state = states[i];
    if (state) observeNode(world, memory, i, nodes[i]!, state);
  }
}

/** A node's position: a small cluster is scanned, as the kernel finds a node's state, and a large one hashed. */
function positionOf(memory: RunMemory, nodes: readonly NodeId[], node: NodeId): number {
  if (nodes.length <= 16) {
    for (let i = 0; i < nodes.length; i++) if (nodes[i] === node) return i;
  }
  return memory.positions.get(node)!;
}

function countLeaders(memory: RunMemory): void {
  const states = memory.states;
  let leaderCount = 0;
  for (let i = 0; i < states.length; i++) {
    const state = states[i];
    const leading = state !== undefined && state.role === 'leader';
    memory.leading[i] = leading;
    if (leading) memory.currentLeaders[leaderCount++] = i;
  }
  memory.leaderCount = leaderCount;
}

/**
 * Whether two entries have the same entryIdentity, `${term}:${key}`: a number's text never holds a
 * colon, so the two texts are equal exactly when the terms' texts and the keys are. Equal terms
 * have equal texts, so the texts are compared only when the terms differ.
 */
function sameIdentity(termA: number, keyA: string, termB: number, keyB: string): boolean {
  return keyA === keyB && (termA === termB || `${termA}` === `${termB}`);
}

/** Records a violation of `invariant` for its check to report, with the nodes it involves. */
function found(memory: RunMemory, invariant: string, message: string, nodes: readonly NodeId[]): void {
  if (!memory.reported.has(invariant + message) && !memory.found.has(invariant))
    memory.found.set(invariant, { message, nodes });
}

function observeNode(world: World, memory: RunMemory, position: number, node: NodeId, state: RaftState): void {
  let mirror = memory.nodes[position];
  let restarted = false;
  if (mirror === undefined || mirror.state !== state) {
    const upSince = world.upSince(node);
    restarted = mirror !== undefined && mirror.upSince !== upSince;
    if (!mirror) {
      mirror = {
        upSince,
        state,
        base: state.snapshotIndex,
        terms: new Float64Array(0),
        length: 0,
        topTerm: -1,
        leaderTerm: 0,
        confirmedLeaderTerm: NaN,
        committed: state.snapshotIndex,
        applied: state.snapshotIndex,
      };
      memory.nodes[position] = mirror;
    }
    mirror.upSince = upSince;
    mirror.state = state;
  }

  if (state.role === 'leader' && state.term !== mirror.confirmedLeaderTerm)
    observeLeader(world, memory, mirror, node, state);

  // The log: compared with the mirror only at its ends, and walked only when one of them moved.
  const base = mirror.base;
  const last = lastIndex(state);
  if (
    state.snapshotIndex !== base ||
    last !== base + mirror.length ||
    (last > base && lastTerm(state) !== mirror.topTerm)
  ) {
    observeLog(world, memory, mirror, position, node, state, restarted);
  }
  mirror.leaderTerm = state.role === 'leader' ? state.term : 0;

  if (state.commitIndex !== mirror.committed) observeCommitted(world, memory, mirror, position, node, state);
  if (state.appliedIndex !== mirror.applied) observeApplied(world, memory, mirror, position, node, state);
}

/** Election Safety: at most one leader per term, over the whole run. */
function observeLeader(world: World, memory: RunMemory, mirror: NodeMirror, node: NodeId, state: RaftState): void {
  const known = memory.leaders.get(state.term);
  if (known === undefined) {
    memory.leaders.set(state.term, node);
    mirror.confirmedLeaderTerm = state.term;
    checkLeaderHoldsCommitted(world, memory, node, state);
  } else if (known !== node) {
    found(memory, ELECTION_SAFETY, `two leaders in term ${state.term}: ${known} and ${node}`, [known, node]);
  } else mirror.confirmedLeaderTerm = state.term;
}

/**
 * Brings the mirror of a node's log in line with its log: drops what a snapshot compacted, walks
 * back from the end to the last entry still there (anything after it was removed or replaced, which
 * a leader must never do to its own log in its term), and remembers the entries after it.
 */
function observeLog(
  world: World,
  memory: RunMemory,
  mirror: NodeMirror,
  position: number,
  node: NodeId,
  state: RaftState,
  restarted: boolean,
): void {
  const snapshotIndex = state.snapshotIndex;
  if (snapshotIndex > mirror.base) {
    const mirroredTermThere =
      snapshotIndex <= mirror.base + mirror.length ? mirror.terms[snapshotIndex - mirror.base - 1] : undefined;
    if (mirroredTermThere !== state.snapshotTerm && !restarted) memory.snapshotInstalled = true;
    const compacted = Math.min(mirror.length, snapshotIndex - mirror.base);
    mirror.terms.copyWithin(0, compacted, mirror.length);
    mirror.length -= compacted;
    mirror.base = snapshotIndex;
  } else if (snapshotIndex < mirror.base) {
    mirror.length = 0;
    mirror.base = snapshotIndex;
  }
  // From here the mirror and the log start at the same index: position i in one is position i in the other.
  const log = state.log;
  const terms = mirror.terms;
  const top = snapshotIndex + mirror.length;
  let kept = Math.min(mirror.length, log.length);
  while (kept > 0 && terms[kept - 1] !== log[kept - 1]!.term) kept--;
  const keep = snapshotIndex + kept;
  if (keep < top) {
    if (!restarted) memory.truncated = true;
    if (state.role === 'leader' && mirror.leaderTerm === state.term && !restarted) {
      found(
        memory,
        LEADER_APPEND_ONLY,
        `${node}, leader of term ${state.term}, removed or replaced its entries after index ${keep} (it had ${top})`,
        [node],
      );
    }
  }
  mirror.length = kept;
  if (log.length > kept) rememberEntries(world, memory, mirror, position, node, state);
  mirror.topTerm = mirror.length > 0 ? mirror.terms[mirror.length - 1]! : -1;
}

/**
 * Log Matching by induction: if every (index, term) names one entry with one predecessor term, two
 * logs that share (index, term) share everything before it. So each entry new to the mirror is
 * compared with what was first seen at its (index, term), and remembered if nothing was.
 */
function rememberEntries(
  world: World,
  memory: RunMemory,
  mirror: NodeMirror,
  position: number,
  node: NodeId,
  state: RaftState,
): void {
  const log = state.log;
  const snapshotIndex = state.snapshotIndex;
  const last = snapshotIndex + log.length;
  if (last >= memory.capacity) makeRoomFor(memory, last);
  const pages = memory.pages;
  if (log.length > mirror.terms.length) mirror.terms = withRoomFor(mirror.terms, log.length - 1);
  const terms = mirror.terms;
  const recentIndex = memory.recentIndex;
  const recentFirst = memory.recentFirst;
  let prevTerm = termAt(state, snapshotIndex + mirror.length) ?? -1;
  for (let i = mirror.length; i < log.length; i++) {
    const index = snapshotIndex + 1 + i;
    const entry = log[i]!;
    const term = entry.term;
    terms[i] = term;
    const page = pages[index >>> PAGE_BITS]!;
    const at = (index & PAGE_MASK) * INDEX_FIELDS;
    const slot = index & RECENT_MASK;
    if (recentFirst[slot] === entry && recentIndex[slot] === index) {
      // The entry first seen here: the same term and key, so only the term before it can differ.
      const seenPrevTerm = page[at + FIRST_PREV_TERM]!;
      if (seenPrevTerm !== prevTerm && prevTerm !== -1 && seenPrevTerm !== -1) {
        const firstBy = page[at + FIRST_BY]!;
        const key = identityKey(entry);
        logsDiffer(memory, node, entry, key, prevTerm, index, world.nodes[firstBy - 1]!, term, key, seenPrevTerm);
      }
      prevTerm = term;
      continue;
    }
    const key = identityKey(entry);
    const firstBy = page[at + FIRST_BY]!;
    if (firstBy === 0) {
      page[at + FIRST_BY] = position + 1;
      page[at + FIRST_TERM] = term;
      page[at + FIRST_PREV_TERM] = prevTerm;
      memory.keyPages[index >>> PAGE_BITS]![index & PAGE_MASK] = key;
      recentIndex[slot] = index;
      recentFirst[slot] = entry;
      memory.recentApplied[slot] = undefined;
    } else if (page[at + FIRST_TERM] === term) {
      const seenKey = firstKeyAt(memory, index)!;
      const seenPrevTerm = page[at + FIRST_PREV_TERM]!;
      if (seenKey !== key || (seenPrevTerm !== prevTerm && prevTerm !== -1 && seenPrevTerm !== -1)) {
        logsDiffer(memory, node, entry, key, prevTerm, index, world.nodes[firstBy - 1]!, term, seenKey, seenPrevTerm);
      }
    } else {
      let termsSeen = memory.entries.get(index);
      if (termsSeen === undefined) memory.entries.set(index, (termsSeen = new Map()));
      const seen = termsSeen.get(term);
      if (seen === undefined) termsSeen.set(term, { term, key, prevTerm, node });
      else if (
        !sameIdentity(seen.term, seen.key, term, key) ||
        (seen.prevTerm !== prevTerm && prevTerm !== -1 && seen.prevTerm !== -1)
      ) {
        logsDiffer(memory, node, entry, key, prevTerm, index, seen.node, seen.term, seen.key, seen.prevTerm);
      }
    }
    prevTerm = term;
  }
  mirror.length = log.length;
}

function logsDiffer(
  memory: RunMemory,
  node: NodeId,
  entry: Entry,
  key: string,
  prevTerm: number,
  index: number,
  seenNode: NodeId,
  seenTerm: number,
  seenKey: string,
  seenPrevTerm: number,
): void {
  const differs = !sameIdentity(seenTerm, seenKey, entry.term, key);
  found(
    memory,
    LOG_MATCHING,
    `${node} and ${seenNode} both hold an entry at ${index}/${entry.term}, but ${differs ? `with different contents (${entryIdentity(entry)} vs ${seenTerm}:${seenKey})` : `after different terms (${prevTerm} vs ${seenPrevTerm} at ${index - 1})`}`,
    [node, seenNode],
  );
}

/** Committed entries, for Leader Completeness: an entry committed now must already be in every leader of a later term. */
function observeCommitted(
  world: World,
  memory: RunMemory,
  mirror: NodeMirror,
  position: number,
  node: NodeId,
  state: RaftState,
): void {
  if (state.commitIndex < mirror.committed) mirror.committed = state.commitIndex;
  const snapshotIndex = state.snapshotIndex;
  const log = state.log;
  const to = Math.min(state.commitIndex, snapshotIndex + log.length);
  // Usually another node committed these indexes first, in this node's term or an earlier one.
  if (to <= memory.committedThrough && state.term >= memory.highestCommittedInTerm) {
    mirror.committed = Math.max(mirror.committed, state.commitIndex);
    return;
  }
  if (to >= memory.capacity) makeRoomFor(memory, to);
  const pages = memory.pages;
  for (let index = Math.max(mirror.committed, snapshotIndex) + 1; index <= to; index++) {
    const entry = log[index - snapshotIndex - 1]!;
    const page = pages[index >>> PAGE_BITS]!;
    const at = (index & PAGE_MASK) * INDEX_FIELDS;
    if (page[at + COMMITTED_BY] === 0) {
      page[at + COMMITTED_BY] = position + 1;
      page[at + COMMITTED_TERM] = entry.term;
      page[at + COMMITTED_IN_TERM] = state.term;
      if (index > memory.maxCommitted) memory.maxCommitted = index;
      if (state.term > memory.highestCommittedInTerm) memory.highestCommittedInTerm = state.term;
      if (index === memory.committedThrough + 1) extendCommittedThrough(memory);
      for (let l = 0; l < memory.leaderCount; l++) {
        const leaderPosition = memory.currentLeaders[l]!;
        const leader = memory.states[leaderPosition]!;
        if (leader.term > state.term && index > leader.snapshotIndex && termAt(leader, index) !== entry.term) {
          found(
            memory,
            LEADER_COMPLETENESS,
            `${node} commits ${index}/${entry.term} in term ${state.term}, but ${world.nodes[leaderPosition]}, leader of term ${leader.term}, lacks it`,
            [node, world.nodes[leaderPosition]!],
          );
        }
      }
    } else if (page[at + COMMITTED_IN_TERM]! > state.term) page[at + COMMITTED_IN_TERM] = state.term;
  }
  mirror.committed = Math.max(mirror.committed, state.commitIndex);
}

/** Moves committedThrough past the indexes seen committed just above it. */
function extendCommittedThrough(memory: RunMemory): void {
  let through = memory.committedThrough;
  for (;;) {
    const next = through + 1;
    if (next >= memory.capacity) break;
    if (memory.pages[next >>> PAGE_BITS]![(next & PAGE_MASK) * INDEX_FIELDS + COMMITTED_BY] === 0) break;
    through = next;
  }
  memory.committedThrough = through;
}

/** State Machine Safety: once applied at index i, nobody applies anything else at i. */
function observeApplied(
  world: World,
  memory: RunMemory,
  mirror: NodeMirror,
  position: number,
  node: NodeId,
  state: RaftState,
): void {
  if (state.appliedIndex < mirror.applied) mirror.applied = state.appliedIndex;
  const snapshotIndex = state.snapshotIndex;
  const log = state.log;
  const to = Math.min(state.appliedIndex, snapshotIndex + log.length);
  if (to >= memory.capacity) makeRoomFor(memory, to);
  const pages = memory.pages;
  const recentIndex = memory.recentIndex;
  const recentApplied = memory.recentApplied;
  for (let index = Math.max(mirror.applied, snapshotIndex) + 1; index <= to; index++) {
    const entry = log[index - snapshotIndex - 1]!;
    const slot = index & RECENT_MASK;
    // The very entry applied here first: the same identity.
    if (recentApplied[slot] === entry && recentIndex[slot] === index) continue;
    const page = pages[index >>> PAGE_BITS]!;
    const at = (index & PAGE_MASK) * INDEX_FIELDS;
    const appliedBy = page[at + APPLIED_BY]!;
    if (appliedBy === 0) {
      page[at + APPLIED_BY] = position + 1;
      page[at + APPLIED_TERM] = entry.term;
      const recent = recentIndex[slot] === index;
      if (recent) recentApplied[slot] = entry;
      // Nearly always the entry first seen at this index, whose key is remembered there already.
      if (!recent || memory.recentFirst[slot] !== entry) {
        const key = identityKey(entry);
        if (key !== firstKeyAt(memory, index)) memory.appliedKey[index] = key;
      }
    } else {
      const knownTerm = page[at + APPLIED_TERM]!;
      const knownKey = memory.appliedKey[index] ?? firstKeyAt(memory, index)!;
      if (!sameIdentity(knownTerm, knownKey, entry.term, identityKey(entry))) {
        found(
          memory,
          STATE_MACHINE_SAFETY,
          `${node} applies ${entryIdentity(entry)} at index ${index}, but ${world.nodes[appliedBy - 1]} applied ${knownTerm}:${knownKey} there`,
          [node, world.nodes[appliedBy - 1]!],
        );
      }
    }
  }
  mirror.applied = Math.max(mirror.applied, state.appliedIndex);
}

/** Leader Completeness at election time: every entry committed in an earlier term is in the new leader's log. */
function checkLeaderHoldsCommitted(world: World, memory: RunMemory, node: NodeId, state: RaftState): void {
  for (let index = state.snapshotIndex + 1; index <= memory.maxCommitted; index++) {
    const page = memory.pages[index >>> PAGE_BITS]!;
    const at = (index & PAGE_MASK) * INDEX_FIELDS;
    const committedBy = page[at + COMMITTED_BY]!;
    if (committedBy === 0) continue;
    const committedTerm = page[at + COMMITTED_TERM]!;
    const inTerm = page[at + COMMITTED_IN_TERM]!;
    if (inTerm >= state.term) continue;
    if (termAt(state, index) !== committedTerm) {
      found(
        memory,
        LEADER_COMPLETENESS,
        `${node} leads term ${state.term} without ${index}/${committedTerm}, committed in term ${inTerm} by ${world.nodes[committedBy - 1]}`,
        [node, world.nodes[committedBy - 1]!],
      );
      return;
    }
  }
}

/** Reports (once) the violation of `name` that the shared update found, if any. */
function report(memory: RunMemory, name: string): true | InvariantFailure {
  if (memory.found.size === 0) return true;
  const failure = memory.found.get(name);
  if (failure === undefined) return true;
  memory.found.delete(name);
  memory.reported.add(name + failure.message);
  return failure;
}

/** A safety invariant that reports what the shared memory found for it. */
function safety(name: string, description: string): Invariant<RaftState, RunMemory> {
  return always<RaftState, RunMemory>(name, (_world, memory) => report(memory, name), {
    description,
    memory: safetyMemory,
  });
}

export const electionSafety = safety(ELECTION_SAFETY, 'At most one leader per term (Raft Figure 3).');
export const leaderAppendOnly = safety(
  LEADER_APPEND_ONLY,
  'A leader never overwrites or deletes entries in its log (Raft Figure 3).',
);
export const logMatching = safety(
  LOG_MATCHING,
  'Two logs with an entry of the same index and term are identical up to it (Raft Figure 3).',
);
export const leaderCompleteness = safety(
  LEADER_COMPLETENESS,
  'A committed entry is in the log of every leader of a later term (Raft Figure 3).',
);
export const stateMachineSafety = safety(
  STATE_MACHINE_SAFETY,
  'No two servers apply different entries at the same index (Raft Figure 3).',
);

/** The key-value operations the checker knows; `transfer` requests are control operations and are left out. */
function isKvFunction(f: string): boolean {
  return f === 'get' || f === 'put' || f === 'append' || f === 'cas';
}

/**
 * The key-value model the client history is checked against. A Raft server answers `fail` to a
 * cas for reasons that say nothing about the value (not the leader, a leadership transfer in
 * progress: requests.ts), so a failed cas means only "did not apply", not Jepsen's "saw another value".
 */
const raftKvModel = createKvModel({ failedCas: 'drop' });

/**
 * The client history is linearizable against @dsim/check's kv model (split by key). A budget
 * overrun counts as a violation: an undecided check has not shown the run correct.
 */
export function linearizableKv(options: LinearizabilityOptions = {}): Invariant<RaftState> {
  return atEnd<RaftState>(
    'linearizable-kv',
    (world) => {
      const kvHistory = world.history.some((entry) => !isKvFunction(entry.f))
        ? world.history.filter((entry: HistoryEntry) => isKvFunction(entry.f))
        : world.history;
      const history = mergeRetries(kvHistory);
      const result = checkLinearizability(history, raftKvModel, options);
      return result.verdict === 'linearizable' ? true : result.message;
    },
    'The client history is linearizable as a key-value map (get, put, append, cas), a retried write counting as one operation (client sessions).',
  );
}

/** The leader every up node follows, if there is one. */
function agreedLeader(world: World): { node: NodeId; state: RaftState } | string {
  let leader: { node: NodeId; state: RaftState } | undefined;
  for (const node of world.nodes) {
    const state = world.state(node);
    if (state?.role === 'leader' && (!leader || state.term > leader.state.term)) leader = { node, state };
  }
  if (!leader) return 'no leader';
  for (const node of world.nodes) {
    const state = world.state(node);
    if (!state || world.isPaused(node) || node === leader.node) continue;
    // A node outside the leader's configuration (not yet added, or removed) hears nothing from it.
    if (!isMember(leader.state.membership, node)) continue;
    if (state.term !== leader.state.term || state.leader !== leader.node)
      return `${node} (term ${state.term}, leader ${state.leader ?? 'none'}) does not follow ${leader.node} of term ${leader.state.term}`;
  }
  return leader;
}

/**
 * Dissertation §4.2.3, disruptive servers: a server removed from the configuration that never
 * learned of its removal times out and campaigns with ever higher terms, deposing the leader each
 * time. PreVote (its pre-votes fail) or CheckQuorum (etcd's voters ignore vote requests while
 * their leader's lease holds) prevents it; with both off Raft promises no leader and no progress
 * while such a server runs. Returns that server, with the node whose configuration leaves it out.
 */
function disruptiveRemovedServer(world: World): { removed: NodeId; by: NodeId } | undefined {
  const config = world.config as { readonly preVote?: boolean; readonly checkQuorum?: boolean };
  if (config.preVote !== false || config.checkQuorum !== false) return undefined;
  for (const removed of world.nodes) {
    const state = world.state(removed);
    if (!state || !isVoter(state.membership, removed)) continue;
    for (const by of world.nodes) {
      const other = world.state(by);
      if (
        other &&
        by !== removed &&
        other.membershipIndex > state.membershipIndex &&
        !isVoter(other.membership, removed)
      )
        return { removed, by };
    }
  }
  return undefined;
}

export const leaderAfterHeal = eventually<RaftState>(
  'leader-after-heal',
  (world) => {
    if (disruptiveRemovedServer(world)) return true;
    const leader = agreedLeader(world);
    return typeof leader === 'string' ? leader : true;
  },
  {
    withinMicros: 5_000_000,
    description:
      'Within 5 s of the last fault, one leader that every running node follows (not promised while a removed server that missed its removal campaigns with PreVote and CheckQuorum both off: dissertation §4.2.3).',
  },
);

export const progressAfterHeal = eventually<RaftState, RunMemory>(
  'progress-after-heal',
  (world, memory) => {
    if (disruptiveRemovedServer(world)) return true;
    const history = world.history;
    // Incremental: each history entry is looked at once per run.
    for (; memory.historyScanned < history.length; memory.historyScanned++) {
      const entry = history[memory.historyScanned]!;
      if (entry.type === 'invoke') {
        if (entry.time >= world.faultsEndAt) {
          memory.invokedAfterHeal = true;
          memory.processesInvokedAfterHeal.add(entry.process);
        } else memory.processesInvokedAfterHeal.delete(entry.process);
      } else if (entry.type === 'ok' && memory.processesInvokedAfterHeal.has(entry.process)) memory.okAfterHeal = true;
    }
    if (memory.invokedAfterHeal) {
      // Clients are running: one of their operations invoked after the heal must succeed.
      return memory.okAfterHeal || 'no client operation invoked after the heal has succeeded yet';
    }
    // No clients: the leader's own no-op must commit and reach every running node.
    const leader = agreedLeader(world);
    if (typeof leader === 'string') return leader;
    if (termAt(leader.state, leader.state.commitIndex) !== leader.state.term)
      return `${leader.node} has not committed an entry of term ${leader.state.term}`;
    for (const node of world.nodes) {
      const state = world.state(node);
      if (!isMember(leader.state.membership, node)) continue;
      if (state && !world.isPaused(node) && state.appliedIndex < leader.state.commitIndex)
        return `${node} applied ${state.appliedIndex} of ${leader.state.commitIndex}`;
    }
    return true;
  },
  {
    memory: safetyMemory,
    withinMicros: 10_000_000,
    description:
      'Within 10 s of the last fault, the cluster commits again: a client operation invoked after the heal succeeds (or, without clients, the leader commits in its term and everyone applies it); not promised in the case leader-after-heal exempts (dissertation §4.2.3).',
  },
);

/** Proof a scenario reached a split vote: two candidates campaigning in the same term. */
export const splitVote = sometimes<RaftState>(
  'split-vote',
  (world) => {
    const seen = new Map<number, NodeId>();
    for (const node of world.nodes) {
      const state = world.state(node);
      if (state?.role !== 'candidate') continue;
      if (seen.has(state.term)) return true;
      seen.set(state.term, node);
    }
    return false;
  },
  'Two candidates campaign in the same term at once.',
);

export const logTruncated = sometimes<RaftState, RunMemory>('log-truncated', (_world, memory) => memory.truncated, {
  description: 'A running node removed conflicting entries from its log (paper §5.3).',
  memory: safetyMemory,
});

export const snapshotInstalled = sometimes<RaftState, RunMemory>(
  'snapshot-installed',
  (_world, memory) => memory.snapshotInstalled,
  {
    description: 'A follower caught up by installing a snapshot it could not have taken itself (paper §7).',
    memory: safetyMemory,
  },
);

/** Safety after every step, linearizability at the end, liveness after the heal: what every Raft run must satisfy. */
export const invariants: readonly Invariant<RaftState>[] = [
  electionSafety,
  leaderAppendOnly,
  logMatching,
  leaderCompleteness,
  stateMachineSafety,
  durableTermAndVote,
  durableLog,
  leaderIgnoresVotes,
  voteRestartsElectionTimer,
  leaseTimedFromSend,
  linearizableKv(),
  leaderAfterHeal,
  progressAfterHeal,
];

/** Proof-of-reach checks; scenarios add the ones they exist to reach. */
export const reachInvariants = { splitVote, logTruncated, snapshotInstalled } as const;

/** Every invariant including the reach checks. Sharing these objects between runs is safe: their memory is per run (see above). */
export function raftInvariants(): Invariant<RaftState>[] {
  return [
    electionSafety,
    leaderAppendOnly,
    logMatching,
    leaderCompleteness,
    stateMachineSafety,
    durableTermAndVote,
    durableLog,
    leaderIgnoresVotes,
    voteRestartsElectionTimer,
    leaseTimedFromSend,
    linearizableKv(),
    leaderAfterHeal,
    progressAfterHeal,
    splitVote,
    logTruncated,
    snapshotInstalled,
  ];
}
