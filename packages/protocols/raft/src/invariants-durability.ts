import { always, defineMemory, type Invariant, type NodeId, type WorldView } from '@dsim/core';
import { foundRule } from './found-rule.ts';
import type { Entry, RaftState } from './state.ts';

/**
 * Durability (paper Figure 2: currentTerm, votedFor and log[] are "persistent state on all
 * servers, updated on stable storage before responding to RPCs"). Raft syncs at the end of every
 * step, and the step's messages leave once that sync completes (at once without a storage sync
 * latency), so whatever a node's state held after a step is what it may have told others once
 * the sync is done, and from then on it must survive a crash:
 * - its term never goes backwards, and within a term its vote, once cast, never changes or is
 *   forgotten (otherwise it could vote twice in one term). Across a restart this holds for the
 *   term and vote that were on disk when the node crashed: with a slow disk, a crash that loses
 *   unsynced writes may take back a term whose sync had not completed, and that is safe, since
 *   no message that depended on it had left (etcd's MsgStorageAppend: a step's messages wait for
 *   its writes). The kernel says when a node's syncs complete (WorldView.durableAt);
 * - after a restart its log still holds every entry of its stable part before the crash (a
 *   leader may truncate them later, by the rules; a restart alone must not). Entries the node
 *   compacted into its snapshot are held by the snapshot. The unstable tail (log.ts) may be lost
 *   with unsynced writes: its sync had not completed, so no one was told of it (a leader sends
 *   AppendEntries for it, but counts it only once durable).
 */

export const DURABLE_TERM_AND_VOTE = 'durable-term-and-vote';
export const DURABLE_LOG = 'durable-log';

/** A term and vote, and when the write that holds them is on disk. */
interface HardStateOnDisk {
  readonly term: number;
  readonly vote: NodeId | null;
  readonly durableAt: number;
}

interface NodeMirror {
  upSince: number | undefined;
  /** When the node was last seen up, and when it was seen crashed (undefined: not seen since). */
  seenUpAt: number;
  downSince: number | undefined;
  /** The term and vote as last observed. */
  term: number;
  vote: NodeId | null;
  /**
   * Hard states observed since the last one known on disk, oldest first: the first is on disk;
   * the others wait for their syncs, which complete in order (a disk completes syncs in the order
   * they were asked for).
   */
  hardStates: HardStateOnDisk[];
  /** The node's log as last observed: its snapshot index and term, and its entries after it. */
  snapshotIndex: number;
  snapshotTerm: number;
  entries: Entry[];
  /** The last index of the log's stable part as last observed. */
  stableLast: number;
}

interface DurabilityMemory {
  readonly nodes: Map<NodeId, NodeMirror>;
  readonly found: Map<string, string>;
}

/** Brings the mirror's entries in line with the log: keeps the common prefix, copies the rest. */
function mirrorLog(mirror: NodeMirror, state: RaftState): void {
  mirror.stableLast = state.unstableOffset - 1;
  const log = state.log;
  if (mirror.snapshotIndex !== state.snapshotIndex) {
    mirror.entries = log.slice();
  } else {
    const entries = mirror.entries;
    if (entries.length === log.length && (log.length === 0 || entries[log.length - 1] === log[log.length - 1])) return;
    let kept = Math.min(entries.length, log.length);
    while (kept > 0 && entries[kept - 1] !== log[kept - 1]) kept--;
    entries.length = kept;
    for (let i = kept; i < log.length; i++) entries.push(log[i]!);
  }
  mirror.snapshotIndex = state.snapshotIndex;
  mirror.snapshotTerm = state.snapshotTerm;
}

function termInMirror(mirror: NodeMirror, index: number): number | undefined {
  if (index === mirror.snapshotIndex) return mirror.snapshotTerm;
  if (index < mirror.snapshotIndex) return undefined;
  return mirror.entries[index - mirror.snapshotIndex - 1]?.term;
}

function termInState(state: RaftState, index: number): number | undefined {
  if (index === state.snapshotIndex) return state.snapshotTerm;
  if (index < state.snapshotIndex) return undefined;
  return state.log[index - state.snapshotIndex - 1]?.term;
}

/** The hard state on disk at `time`: the newest whose sync had completed by then. */
function onDiskAt(mirror: NodeMirror, time: number): HardStateOnDisk {
  const states = mirror.hardStates;
  let newest = 0;
  for (let i = 1; i < states.length && states[i]!.durableAt <= time; i++) newest = i;
  return states[newest]!;
}

/** Records the term and vote the node holds now, on disk once its syncs so far complete. */
function recordHardState(world: WorldView<RaftState>, mirror: NodeMirror, node: NodeId, state: RaftState): void {
  const durableAt = world.durableAt(node) ?? world.time;
  const states = mirror.hardStates;
  // Drop what a newer hard state already on disk replaces.
  let drop = 0;
  while (drop + 1 < states.length && states[drop + 1]!.durableAt <= world.time) drop++;
  if (durableAt <= world.time) drop = states.length;
  if (drop > 0) states.splice(0, drop);
  states.push({ term: state.term, vote: state.vote, durableAt });
}

function observeNode(world: WorldView<RaftState>, memory: DurabilityMemory, node: NodeId, state: RaftState): void {
  const upSince = world.upSince(node);
  let mirror = memory.nodes.get(node);
  if (mirror === undefined) {
    mirror = {
      upSince,
      seenUpAt: world.time,
      downSince: undefined,
      term: state.term,
      vote: state.vote,
      hardStates: [{ term: state.term, vote: state.vote, durableAt: world.time }],
      snapshotIndex: -1,
      snapshotTerm: 0,
      entries: [],
      stableLast: 0,
    };
    mirrorLog(mirror, state);
    memory.nodes.set(node, mirror);
    return;
  }
  const restarted = mirror.upSince !== upSince;
  if (restarted) {
    // The crash kept the hard state whose sync had completed before it. The crash's time is known
    // when the node was seen down; otherwise it came after the node was last seen up.
    const crashedAt = mirror.downSince ?? mirror.seenUpAt;
    const onDisk = onDiskAt(mirror, crashedAt);
    if (state.term < onDisk.term) {
      memory.found.set(
        DURABLE_TERM_AND_VOTE,
        `${node}'s term went back from ${onDisk.term} to ${state.term} across a restart (term ${onDisk.term} was on disk since ${onDisk.durableAt}us)`,
      );
    } else if (state.term === onDisk.term && onDisk.vote !== null && state.vote !== onDisk.vote) {
      memory.found.set(
        DURABLE_TERM_AND_VOTE,
        `${node}'s vote in term ${state.term} changed from ${onDisk.vote} to ${state.vote ?? 'none'} across a restart`,
      );
    }
    // What the node read back from its disk is on disk.
    mirror.hardStates = [{ term: state.term, vote: state.vote, durableAt: world.time }];
    mirror.downSince = undefined;
  } else if (state.term < mirror.term) {
    memory.found.set(DURABLE_TERM_AND_VOTE, `${node}'s term went back from ${mirror.term} to ${state.term}`);
  } else if (state.term === mirror.term && mirror.vote !== null && state.vote !== mirror.vote) {
    memory.found.set(
      DURABLE_TERM_AND_VOTE,
      `${node}'s vote in term ${state.term} changed from ${mirror.vote} to ${state.vote ?? 'none'}`,
    );
  } else if (state.term !== mirror.term || state.vote !== mirror.vote) {
    recordHardState(world, mirror, node, state);
  }
  if (restarted) {
    // Every stable entry held before the crash is still there (or under the snapshot).
    const last = Math.min(mirror.snapshotIndex + mirror.entries.length, mirror.stableLast);
    for (let index = Math.max(mirror.snapshotIndex, state.snapshotIndex) + 1; index <= last; index++) {
      const before = termInMirror(mirror, index);
      const after = termInState(state, index);
      if (after !== before) {
        memory.found.set(
          DURABLE_LOG,
          `${node} held ${index}/${before} before its restart, and ${after === undefined ? 'lost it' : `holds ${index}/${after} after it`}`,
        );
        break;
      }
    }
  }
  mirror.upSince = upSince;
  mirror.seenUpAt = world.time;
  mirror.term = state.term;
  mirror.vote = state.vote;
  mirrorLog(mirror, state);
}

const durabilityMemory = defineMemory<RaftState, DurabilityMemory>({
  name: 'raft-durability',
  create: () => ({ nodes: new Map(), found: new Map() }),
  observe(memory, world, change) {
    if (change.node !== undefined) {
      const state = world.state(change.node);
      if (state !== undefined) observeNode(world, memory, change.node, state);
    } else {
      for (const node of world.nodes) {
        const state = world.state(node);
        if (state !== undefined) observeNode(world, memory, node, state);
        else {
          const mirror = memory.nodes.get(node);
          if (mirror !== undefined && mirror.downSince === undefined) mirror.downSince = world.downSince(node);
        }
      }
    }
    return memory.found.size === 0;
  },
});

function durability(name: string, description: string): Invariant<RaftState, DurabilityMemory> {
  return foundRule(name, description, durabilityMemory);
}

export const durableTermAndVote = durability(
  DURABLE_TERM_AND_VOTE,
  "A node's term never goes backwards, and its vote in a term never changes; across a restart, the term and vote whose write was on disk at the crash survive (Raft Figure 2: persistent state).",
);
export const durableLog = durability(
  DURABLE_LOG,
  'After a restart a node still holds every entry it held before the crash (Raft Figure 2: the log is persistent).',
);
