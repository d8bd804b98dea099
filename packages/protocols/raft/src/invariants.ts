import { checkLinearizability, kvModel, type LinearizabilityOptions } from '@dsim/check';
import { always, atEnd, eventually, sometimes, type HistoryEntry, type Invariant, type NodeId, type WorldView } from '@dsim/core';
import { entryAt, entryIdentity, identityKey, lastIndex, lastTerm, termAt, type RaftState } from './state.ts';

/** (index, term) packed in one number for map keys: terms stay far below 2^21, indexes below 2^32. */
const TERM_SPACE = 2 ** 21;

type World = WorldView<RaftState>;

/**
 * The paper's five safety properties (Figure 3; SPECS.md §5.1), checked after every step, plus
 * linearizability of the client history, liveness after the heal, and proof-of-reach checks.
 *
 * Four of the five are statements about the whole run, not one instant: "a term has at most one
 * leader" must remember the leader after it crashed; "no server applies a different entry at i"
 * must remember what a crashed server applied. So the checks keep memory, and the memory lives in
 * a WeakMap keyed by the run's WorldView. Each Simulation builds its own WorldView, so two runs can
 * never share memory, even when they share these invariant objects (a resolved scenario reused,
 * `protocol.invariants` read once for many runs, or runs interleaved step by step). No global
 * state, no reset to forget, and the memory is collected with the run.
 *
 * Cost: the kernel calls every invariant after every step. One shared update brings the memory in
 * line with the current states once per change of the world's `stateVersion` (the first invariant
 * called after a change does it). After a step it looks at the stepped node alone, since no other
 * state can have changed; after a fault, or when it missed a change, it rescans every node. It
 * touches a node's log only where it changed since it last looked, so a step costs O(1) plus the
 * entries that step added.
 */

interface NodeMirror {
  /** The node's upSince when last seen: a change means it restarted. */
  upSince: number | undefined;
  /** The state object last seen: a restart always builds a new one, so the same object means no restart. */
  state: RaftState | undefined;
  /** Index before terms[0]: the node's snapshot index when mirrored. */
  base: number;
  terms: number[];
  /** base + terms.length, and the last of terms (-1 when empty): the log's end as last mirrored. */
  top: number;
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

interface RunMemory {
  /** The world's stateVersion when the memory was last brought up to date (-1: never). */
  version: number;
  /** Node positions by id. */
  positions: Map<NodeId, number>;
  /** By node position. */
  nodes: Array<NodeMirror | undefined>;
  /** Election Safety: term → the leader seen in it. */
  leaders: Map<number, NodeId>;
  /** Log Matching: (index, term) as one number → the entry's identity, the term before it, and who held it first. */
  entries: Map<number, { term: number; key: string; prevTerm: number; node: NodeId }>;
  /**
   * The first (index, term) seen at each index, in dense arrays (no object per entry); `entries`
   * holds only the other terms seen at an index. An entry is remembered by its identity key (see
   * identityKey), never by the entry itself: the memory lasts the whole run, and holding the
   * entries would keep every entry of the run alive, with its operation and strings.
   */
  firstTerm: number[];
  firstKey: string[];
  firstPrevTerm: number[];
  firstNode: NodeId[];
  /** Committed entries by index (dense arrays): its term, the lowest term it was seen committed in, by whom. */
  committedTerm: number[];
  committedInTerm: number[];
  committedBy: NodeId[];
  maxCommitted: number;
  /** State Machine Safety by index: the identity (term and key) of the entry first applied there, and by whom. */
  appliedTerm: number[];
  appliedKey: string[];
  appliedBy: NodeId[];
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
  found: Map<string, string>;
  reported: Set<string>;
  truncated: boolean;
  snapshotInstalled: boolean;
  historyScanned: number;
  okAfterHeal: boolean;
  invokedAfterHeal: boolean;
  processesInvokedAfterHeal: Set<number>;
}

const memories = new WeakMap<object, RunMemory>();
/** The last run asked about: invariants run five times a step, each asking for its memory. */
let lastWorld: World | undefined;
let lastMemory: RunMemory | undefined;

function memoryOf(world: World): RunMemory {
  if (lastWorld === world) return lastMemory!;
  let memory = memories.get(world);
  if (!memory) {
    memory = {
      version: -1, positions: new Map(world.nodes.map((node, position) => [node, position])), nodes: [], leaders: new Map(), entries: new Map(), firstTerm: [], firstKey: [], firstPrevTerm: [], firstNode: [], committedTerm: [], committedInTerm: [], committedBy: [], maxCommitted: 0,
      appliedTerm: [], appliedKey: [], appliedBy: [], states: [], leading: [], currentLeaders: [], leaderCount: 0, found: new Map(), reported: new Set(), truncated: false, snapshotInstalled: false,
      historyScanned: 0, okAfterHeal: false, invokedAfterHeal: false, processesInvokedAfterHeal: new Set(),
    };
    memories.set(world, memory);
  }
  // Strongly held until another run asks: one run's memory, at most, outlives its run.
  lastWorld = world;
  lastMemory = memory;
  return memory;
}

export const ELECTION_SAFETY = 'election-safety';
export const LEADER_APPEND_ONLY = 'leader-append-only';
export const LOG_MATCHING = 'log-matching';
export const LEADER_COMPLETENESS = 'leader-completeness';
export const STATE_MACHINE_SAFETY = 'state-machine-safety';

/**
 * Brings the memory up to date with the current states, once per change of `world.stateVersion`:
 * from the stepped node alone when the change is that one step, from every node otherwise.
 */
function observe(world: World): RunMemory {
  const memory = memoryOf(world);
  const version = world.stateVersion;
  if (memory.version === version) return memory;
  const stepped = world.stepped;
  const onlyOneStep = stepped !== undefined && memory.version >= 0 && memory.version === version - 1;
  memory.version = version;
  const states = memory.states;
  if (onlyOneStep) {
    const position = positionOf(memory, world.nodes, stepped);
    const state = world.state(stepped);
    states[position] = state;
    if ((state !== undefined && state.role === 'leader') !== memory.leading[position]) countLeaders(memory);
    if (state) observeNode(world, memory, position, stepped, state);
    return memory;
  }
  const nodes = world.nodes;
  for (let i = 0; i < nodes.length; i++) states[i] = world.state(nodes[i]!);
  countLeaders(memory);
  for (let i = 0; i < nodes.length; i++) {
    const state = states[i];
    if (state) observeNode(world, memory, i, nodes[i]!, state);
  }
  return memory;
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

function found(memory: RunMemory, invariant: string, message: string): void {
  if (!memory.reported.has(invariant + message) && !memory.found.has(invariant)) memory.found.set(invariant, message);
}

function observeNode(world: World, memory: RunMemory, position: number, node: NodeId, state: RaftState): void {
  let mirror = memory.nodes[position];
  let restarted = false;
  if (mirror === undefined || mirror.state !== state) {
    const upSince = world.upSince(node);
    restarted = mirror !== undefined && mirror.upSince !== upSince;
    if (!mirror) {
      mirror = { upSince, state, base: state.snapshotIndex, terms: [], top: state.snapshotIndex, topTerm: -1, leaderTerm: 0, confirmedLeaderTerm: NaN, committed: state.snapshotIndex, applied: state.snapshotIndex };
      memory.nodes[position] = mirror;
    }
    mirror.upSince = upSince;
    mirror.state = state;
  }

  // Election Safety: at most one leader per term, over the whole run.
  if (state.role === 'leader' && state.term !== mirror.confirmedLeaderTerm) {
    const known = memory.leaders.get(state.term);
    if (known === undefined) {
      memory.leaders.set(state.term, node);
      mirror.confirmedLeaderTerm = state.term;
      checkLeaderHoldsCommitted(memory, node, state);
    } else if (known !== node) {
      found(memory, ELECTION_SAFETY, `two leaders in term ${state.term}: ${known} and ${node}`);
    } else mirror.confirmedLeaderTerm = state.term;
  }

  // The log: find where it changed since the last step, walking back from the end.
  const mirrorLast = mirror.top;
  const last = lastIndex(state);
  const mirrorLastTerm = mirror.topTerm;
  if (state.snapshotIndex !== mirror.base || last !== mirrorLast || (last > mirror.base && lastTerm(state) !== mirrorLastTerm)) {
    if (state.snapshotIndex > mirror.base) {
      const mirroredTermThere = state.snapshotIndex <= mirrorLast ? mirror.terms[state.snapshotIndex - mirror.base - 1] : undefined;
      if (mirroredTermThere !== state.snapshotTerm && !restarted) memory.snapshotInstalled = true;
      mirror.terms.splice(0, Math.min(mirror.terms.length, state.snapshotIndex - mirror.base));
      mirror.base = state.snapshotIndex;
    } else if (state.snapshotIndex < mirror.base) {
      mirror.terms = [];
      mirror.base = state.snapshotIndex;
    }
    const top = mirror.base + mirror.terms.length;
    let keep = Math.min(top, last);
    while (keep > mirror.base && mirror.terms[keep - mirror.base - 1] !== termAt(state, keep)) keep--;
    if (keep < top) {
      if (!restarted) memory.truncated = true;
      if (state.role === 'leader' && mirror.leaderTerm === state.term && !restarted) {
        found(memory, LEADER_APPEND_ONLY, `${node}, leader of term ${state.term}, removed or replaced its entries after index ${keep} (it had ${top})`);
      }
    }
    if (mirror.terms.length !== keep - mirror.base) mirror.terms.length = keep - mirror.base;
    for (let index = keep + 1; index <= last; index++) {
      const entry = entryAt(state, index)!;
      const prevTerm = termAt(state, index - 1) ?? -1;
      mirror.terms.push(entry.term);
      // Log Matching by induction: if every (index, term) names one entry with one predecessor
      // term, two logs that share (index, term) share everything before it.
      // What was seen first at (index, term): the first term at an index lives in dense arrays
      // (no object per entry), any other term in the `entries` map.
      const firstTerm = memory.firstTerm[index];
      const key = identityKey(entry);
      let seenTerm: number;
      let seenKey: string;
      let seenPrevTerm: number;
      let seenNode: NodeId;
      if (firstTerm === undefined) {
        memory.firstTerm[index] = entry.term;
        memory.firstKey[index] = key;
        memory.firstPrevTerm[index] = prevTerm;
        memory.firstNode[index] = node;
        continue;
      } else if (firstTerm === entry.term) {
        seenTerm = firstTerm;
        seenKey = memory.firstKey[index]!;
        seenPrevTerm = memory.firstPrevTerm[index]!;
        seenNode = memory.firstNode[index]!;
      } else {
        const packed = index * TERM_SPACE + entry.term;
        const seen = memory.entries.get(packed);
        if (!seen) {
          memory.entries.set(packed, { term: entry.term, key, prevTerm, node });
          continue;
        }
        seenTerm = seen.term;
        seenKey = seen.key;
        seenPrevTerm = seen.prevTerm;
        seenNode = seen.node;
      }
      const differs = !sameIdentity(seenTerm, seenKey, entry.term, key);
      if (differs || (seenPrevTerm !== prevTerm && prevTerm !== -1 && seenPrevTerm !== -1)) {
        found(memory, LOG_MATCHING, `${node} and ${seenNode} both hold an entry at ${index}/${entry.term}, but ${differs ? `with different contents (${entryIdentity(entry)} vs ${seenTerm}:${seenKey})` : `after different terms (${prevTerm} vs ${seenPrevTerm} at ${index - 1})`}`);
      }
    }
    mirror.top = mirror.base + mirror.terms.length;
    mirror.topTerm = mirror.terms.length > 0 ? mirror.terms[mirror.terms.length - 1]! : -1;
  }
  mirror.leaderTerm = state.role === 'leader' ? state.term : 0;

  if (state.commitIndex === mirror.committed && state.appliedIndex === mirror.applied) return;

  // Committed entries, for Leader Completeness.
  if (state.commitIndex < mirror.committed) mirror.committed = state.commitIndex;
  for (let index = Math.max(mirror.committed, state.snapshotIndex) + 1; index <= state.commitIndex; index++) {
    const entry = entryAt(state, index);
    if (!entry) break;
    const knownTerm = memory.committedTerm[index];
    if (knownTerm === undefined) {
      memory.committedTerm[index] = entry.term;
      memory.committedInTerm[index] = state.term;
      memory.committedBy[index] = node;
      if (index > memory.maxCommitted) memory.maxCommitted = index;
      // An entry committed now must already be in every leader of a later term.
      for (let l = 0; l < memory.leaderCount; l++) {
        const position = memory.currentLeaders[l]!;
        const leader = memory.states[position]!;
        if (leader.term > state.term && index > leader.snapshotIndex && termAt(leader, index) !== entry.term) {
          found(memory, LEADER_COMPLETENESS, `${node} commits ${index}/${entry.term} in term ${state.term}, but ${world.nodes[position]}, leader of term ${leader.term}, lacks it`);
        }
      }
    } else if (memory.committedInTerm[index]! > state.term) memory.committedInTerm[index] = state.term;
  }
  mirror.committed = Math.max(mirror.committed, state.commitIndex);

  // State Machine Safety: once applied at index i, nobody applies anything else at i.
  if (state.appliedIndex < mirror.applied) mirror.applied = state.appliedIndex;
  for (let index = Math.max(mirror.applied, state.snapshotIndex) + 1; index <= state.appliedIndex; index++) {
    const entry = entryAt(state, index);
    if (!entry) break;
    const knownKey = memory.appliedKey[index];
    if (knownKey === undefined) {
      memory.appliedTerm[index] = entry.term;
      memory.appliedKey[index] = identityKey(entry);
      memory.appliedBy[index] = node;
    } else if (!sameIdentity(memory.appliedTerm[index]!, knownKey, entry.term, identityKey(entry))) {
      found(memory, STATE_MACHINE_SAFETY, `${node} applies ${entryIdentity(entry)} at index ${index}, but ${memory.appliedBy[index]} applied ${memory.appliedTerm[index]}:${knownKey} there`);
    }
  }
  mirror.applied = Math.max(mirror.applied, state.appliedIndex);
}

/** Leader Completeness at election time: every entry committed in an earlier term is in the new leader's log. */
function checkLeaderHoldsCommitted(memory: RunMemory, node: NodeId, state: RaftState): void {
  for (let index = state.snapshotIndex + 1; index <= memory.maxCommitted; index++) {
    const committedTerm = memory.committedTerm[index];
    const inTerm = memory.committedInTerm[index];
    if (committedTerm === undefined || inTerm === undefined || inTerm >= state.term) continue;
    if (termAt(state, index) !== committedTerm) {
      found(memory, LEADER_COMPLETENESS, `${node} leads term ${state.term} without ${index}/${committedTerm}, committed in term ${inTerm} by ${memory.committedBy[index]}`);
      return;
    }
  }
}

function report(world: World, name: string): true | string {
  const memory = observe(world);
  if (memory.found.size === 0) return true;
  const message = memory.found.get(name);
  if (message === undefined) return true;
  memory.found.delete(name);
  memory.reported.add(name + message);
  return message;
}

export const electionSafety = always<RaftState>(ELECTION_SAFETY, (world) => report(world, ELECTION_SAFETY), 'At most one leader per term (Raft Figure 3).');
export const leaderAppendOnly = always<RaftState>(LEADER_APPEND_ONLY, (world) => report(world, LEADER_APPEND_ONLY), 'A leader never overwrites or deletes entries in its log (Raft Figure 3).');
export const logMatching = always<RaftState>(LOG_MATCHING, (world) => report(world, LOG_MATCHING), 'Two logs with an entry of the same index and term are identical up to it (Raft Figure 3).');
export const leaderCompleteness = always<RaftState>(LEADER_COMPLETENESS, (world) => report(world, LEADER_COMPLETENESS), 'A committed entry is in the log of every leader of a later term (Raft Figure 3).');
export const stateMachineSafety = always<RaftState>(STATE_MACHINE_SAFETY, (world) => report(world, STATE_MACHINE_SAFETY), 'No two servers apply different entries at the same index (Raft Figure 3).');

/** The key-value operations the checker knows; `transfer` requests are control operations and are left out. */
const KV_FUNCTIONS = new Set(['get', 'put', 'append', 'cas']);

/**
 * The client history is linearizable against @dsim/check's kvModel (split by key). A budget
 * overrun counts as a violation: an undecided check has not shown the run correct.
 */
export function linearizableKv(options: LinearizabilityOptions = {}): Invariant<RaftState> {
  return atEnd<RaftState>(
    'linearizable-kv',
    (world) => {
      const history = world.history.some((entry) => !KV_FUNCTIONS.has(entry.f)) ? world.history.filter((entry: HistoryEntry) => KV_FUNCTIONS.has(entry.f)) : world.history;
      const result = checkLinearizability(history, kvModel, options);
      return result.verdict === 'linearizable' ? true : result.message;
    },
    'The client history is linearizable as a key-value map (get, put, append, cas).',
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
    if (state.term !== leader.state.term || state.leader !== leader.node) return `${node} (term ${state.term}, leader ${state.leader ?? 'none'}) does not follow ${leader.node} of term ${leader.state.term}`;
  }
  return leader;
}

export const leaderAfterHeal = eventually<RaftState>(
  'leader-after-heal',
  (world) => {
    const leader = agreedLeader(world);
    return typeof leader === 'string' ? leader : true;
  },
  { withinMicros: 5_000_000, description: 'Within 5 s of the last fault, one leader that every running node follows.' },
);

export const progressAfterHeal = eventually<RaftState>(
  'progress-after-heal',
  (world) => {
    const memory = observe(world);
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
    if (termAt(leader.state, leader.state.commitIndex) !== leader.state.term) return `${leader.node} has not committed an entry of term ${leader.state.term}`;
    for (const node of world.nodes) {
      const state = world.state(node);
      if (state && !world.isPaused(node) && state.appliedIndex < leader.state.commitIndex) return `${node} applied ${state.appliedIndex} of ${leader.state.commitIndex}`;
    }
    return true;
  },
  { withinMicros: 10_000_000, description: 'Within 10 s of the last fault, the cluster commits again: a client operation invoked after the heal succeeds (or, without clients, the leader commits in its term and everyone applies it).' },
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

export const logTruncated = sometimes<RaftState>('log-truncated', (world) => observe(world).truncated, 'A running node removed conflicting entries from its log (paper §5.3).');

export const snapshotInstalled = sometimes<RaftState>('snapshot-installed', (world) => observe(world).snapshotInstalled, 'A follower caught up by installing a snapshot it could not have taken itself (paper §7).');

/** Safety after every step, linearizability at the end, liveness after the heal: what every Raft run must satisfy. */
export const invariants: readonly Invariant<RaftState>[] = [
  electionSafety,
  leaderAppendOnly,
  logMatching,
  leaderCompleteness,
  stateMachineSafety,
  linearizableKv(),
  leaderAfterHeal,
  progressAfterHeal,
];

/** Proof-of-reach checks; scenarios add the ones they exist to reach. */
export const reachInvariants = { splitVote, logTruncated, snapshotInstalled } as const;

/** Every invariant including the reach checks. Sharing these objects between runs is safe: their memory is per run (see above). */
export function raftInvariants(): Invariant<RaftState>[] {
  return [electionSafety, leaderAppendOnly, logMatching, leaderCompleteness, stateMachineSafety, linearizableKv(), leaderAfterHeal, progressAfterHeal, splitVote, logTruncated, snapshotInstalled];
}
