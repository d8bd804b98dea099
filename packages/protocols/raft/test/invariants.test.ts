import { worldViewOf, type HandMadeWorld, type NodeId } from '@dsim/core';
import { describe, expect, it } from 'vitest';
import { electionSafety, leaderAppendOnly, logMatching, stateMachineSafety } from '../src/invariants.ts';
import type { Entry, RaftState, Role } from '../src/state.ts';

/**
 * The invariants on hand-made states, for the properties no bug switch reaches directly
 * (Leader Append-Only, Log Matching), and for the memory that must not leak between runs.
 */
function node(role: Role, term: number, log: Array<[number, string]>, extra: Partial<RaftState> = {}): RaftState {
  const entries: Entry[] = log.map(([entryTerm, request]) => ({
    term: entryTerm,
    kind: 'op',
    op: { f: 'put', key: 'k', value: request },
    client: 'c1',
    seq: 1,
    request,
  }));
  return {
    term,
    vote: null,
    log: entries,
    snapshotIndex: 0,
    snapshotTerm: 0,
    unstableOffset: entries.length + 1,
    membership: { voters: ['n1', 'n2', 'n3'], outgoing: [], learners: [] },
    membershipIndex: 0,
    role,
    leader: role === 'leader' ? 'n1' : null,
    commitIndex: 0,
    appliedIndex: 0,
    kv: {},
    sessions: {},
    leaderContactAt: 0,
    votesBlockedUntil: 0,
    votedAt: null,
    campaignStartedAt: null,
    campaignByTransfer: false,
    votesGranted: [],
    votesRejected: [],
    progress: [],
    pendingWrites: [],
    pendingReads: [],
    readContext: 0,
    transferee: null,
    leaseFloor: 0,
    heartbeatSentAt: null,
    ...extra,
  };
}

function world(states: Record<NodeId, RaftState>): HandMadeWorld<RaftState> {
  return worldViewOf(states);
}

describe('raft invariants', () => {
  it('log-matching flags two logs that agree on (index, term) but not before it', () => {
    const view = world({
      n1: node('follower', 2, [
        [1, 'a'],
        [2, 'b'],
      ]),
      n2: node('follower', 2, [
        [2, 'x'],
        [2, 'b'],
      ]),
    });
    expect(view.check(logMatching)).toMatch(/both hold an entry at 1\/|after different terms|different contents/);
  });

  it('log-matching accepts logs that share a prefix', () => {
    const view = world({
      n1: node('follower', 2, [
        [1, 'a'],
        [2, 'b'],
      ]),
      n2: node('follower', 2, [[1, 'a']]),
    });
    expect(view.check(logMatching)).toBe(true);
  });

  it('leader-append-only flags a leader that truncates its own log within its term', () => {
    const view = world({
      n1: node('leader', 2, [
        [1, 'a'],
        [2, 'b'],
        [2, 'c'],
      ]),
    });
    expect(view.check(leaderAppendOnly)).toBe(true);
    view.set(
      'n1',
      node('leader', 2, [
        [1, 'a'],
        [2, 'd'],
      ]),
    );
    expect(view.check(leaderAppendOnly)).toMatch(/n1, leader of term 2, removed or replaced/);
  });

  it('election-safety remembers a leader after it is gone', () => {
    const view = world({ n1: node('leader', 3, []), n2: node('follower', 3, []) });
    expect(view.check(electionSafety)).toBe(true);
    view.set('n1', node('follower', 3, []));
    view.set('n2', node('leader', 3, []));
    expect(view.check(electionSafety)).toBe('two leaders in term 3: n1 and n2');
  });

  it('state-machine-safety compares what different nodes applied at one index', () => {
    const view = world({
      n1: node('follower', 2, [[1, 'a']], { commitIndex: 1, appliedIndex: 1 }),
      n2: node('follower', 2, [[2, 'z']], { commitIndex: 1, appliedIndex: 1 }),
    });
    expect(view.check(stateMachineSafety)).toMatch(/applies 2:z at index 1, but n1 applied 1:a there/);
  });

  it('keeps no memory across runs: the same invariant object on a fresh world starts clean', () => {
    const first = world({ n1: node('leader', 3, []) });
    expect(first.check(electionSafety)).toBe(true);
    const second = world({ n2: node('leader', 3, []) });
    expect(second.check(electionSafety)).toBe(true);
  });

  it('has no term limit: terms up to the largest safe integer are remembered exactly', () => {
    const huge = Number.MAX_SAFE_INTEGER;
    const view = world({
      n1: node('leader', huge, [
        [1, 'a'],
        [huge - 1, 'b'],
        [huge, 'c'],
      ]),
      n2: node('follower', huge, [
        [1, 'a'],
        [huge - 2, 'x'],
      ]),
    });
    expect(view.check(electionSafety)).toBe(true);
    expect(view.check(logMatching)).toBe(true);
    // A second leader in a term beyond 2^53 - 2 is told apart from the first.
    view.set('n1', node('follower', huge, []));
    view.set('n2', node('leader', huge, []));
    expect(view.check(electionSafety)).toBe(`two leaders in term ${huge}: n1 and n2`);
    // At index 2 a third term (huge - 2, then huge - 1 seen already): an entry after a different
    // term than the one first seen under the same (index, term) is caught.
    view.set(
      'n2',
      node('follower', huge, [
        [2, 'z'],
        [huge - 1, 'b'],
      ]),
    );
    expect(view.check(logMatching)).toMatch(/both hold an entry at 2\/9007199254740990, but after different terms/);
  });

  it('remembers far into a long run: memory over several pages, and logs compacted under it', () => {
    // Long enough that the per-index memory takes several pages (4,096 indexes each) and the mirrors grow several times.
    const requests = (count: number, replace: Record<number, string> = {}): Array<[number, string]> =>
      Array.from({ length: count }, (_, i) => [1, replace[i + 1] ?? `r${i + 1}`]);
    const view = world({
      n1: node('leader', 1, requests(9000), { commitIndex: 9000, appliedIndex: 9000 }),
      n2: node('follower', 1, []),
    });
    expect(view.check(stateMachineSafety)).toBe(true);
    // n1 compacts its first 8,000 entries into a snapshot and keeps leading: nothing to report.
    const compacted = node('leader', 1, requests(9000).slice(8000), {
      snapshotIndex: 8000,
      snapshotTerm: 1,
      commitIndex: 9000,
      appliedIndex: 9000,
    });
    view.set('n1', compacted);
    expect(view.check(leaderAppendOnly)).toBe(true);
    // A follower applies a different entry at 4,096 (the first index of the second page), long after n1 applied and compacted it.
    view.set('n2', node('follower', 1, requests(8500, { 4096: 'x' }), { commitIndex: 8500, appliedIndex: 8500 }));
    expect(view.check(logMatching)).toBe(
      'n2 and n1 both hold an entry at 4096/1, but with different contents (1:x vs 1:r4096)',
    );
    expect(view.check(stateMachineSafety)).toBe('n2 applies 1:x at index 4096, but n1 applied 1:r4096 there');
    // The leader, after its compaction, drops entries of its own term.
    view.set(
      'n1',
      node('leader', 1, requests(8990).slice(8000), {
        snapshotIndex: 8000,
        snapshotTerm: 1,
        commitIndex: 8990,
        appliedIndex: 8990,
      }),
    );
    expect(view.check(leaderAppendOnly)).toBe(
      'n1, leader of term 1, removed or replaced its entries after index 8990 (it had 9000)',
    );
  });
});
