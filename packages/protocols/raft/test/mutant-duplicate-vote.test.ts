import { findCounterexample } from '@dsim/property';
import { testFailureDir } from '@dsim/testing';
import { describe, expect, it, vi } from 'vitest';
import type { NodeId } from '@dsim/core';
import type { MutableState, RaftContext } from '../src/context.ts';
import type { VoteResponse } from '../src/messages.ts';

/**
 * A hand-written mutant no bug switch names: the candidate counts a duplicated vote twice (the
 * duplicate check in handleVoteResponse is gone, so the tally is a count of answers, not of
 * voters). Raft §5.2 needs a majority of distinct servers; with duplication on the network a
 * candidate can win with two real votes in five, beside a real winner of the same term. The
 * property runner at the suite's budget must find it and shrink it to two fault episodes, caught
 * by decided-by-config-quorum, the invariant that names the broken rule (the leader's voters are
 * not a majority of distinct servers), or by election-safety, its consequence.
 */
vi.mock('../src/election.ts', async (importOriginal) => {
  const election = await importOriginal<typeof import('../src/election.ts')>();
  const { majoritySize } = await import('../src/quorum.ts');
  return {
    ...election,
    handleVoteResponse(state: MutableState, ctx: RaftContext, from: NodeId, msg: VoteResponse): void {
      const pre = state.role === 'precandidate';
      if (!pre && state.role !== 'candidate') return;
      if (msg.preVote !== pre) return;
      if (msg.granted && msg.term !== (pre ? state.term + 1 : state.term)) return;
      // The mutation: no `votesGranted.includes(from)` check, so a duplicate counts again.
      if (msg.granted) state.votesGranted.push(from);
      else state.votesRejected.push(from);
      const needed = majoritySize(ctx.nodes.length);
      if (state.votesGranted.length >= needed) {
        if (pre) election.becomeCandidate(state, ctx, false);
        else election.becomeLeader(state, ctx);
      } else if (state.votesRejected.length >= needed) election.becomeFollower(state, ctx, state.term, null);
    },
  };
});

const { raft } = await import('../src/index.ts');

describe('mutant: a duplicated vote counted twice', () => {
  it('is found within 300 runs and shrunk to at most two fault episodes, by decided-by-config-quorum or election-safety', () => {
    const report = findCounterexample({
      name: 'raft mutant: duplicated vote counted twice',
      scenario: {
        name: 'raft-duplicate-vote-mutant',
        protocol: 'raft',
        nodes: 5,
        until: '5s',
        // Every timeout a real campaign, and candidates that often collide in one term.
        config: { preVote: false, checkQuorum: false, heartbeatIntervalMicros: 10_000, electionTimeoutMicros: 30_000 },
        network: { latency: { dist: 'uniform', min: 1_000, max: 20_000 } },
      },
      faults: {
        kinds: ['duplicate', 'crash'],
        maxFaults: 6,
        from: '50ms',
        healAt: '2s',
        minDuration: '50ms',
        maxDuration: '1s',
      },
      numRuns: 300,
      registry: { raft },
      outDir: testFailureDir('mutant-duplicate-vote'),
    });
    expect(report.found, 'the mutant survived 300 runs').toBe(true);
    if (!report.found) return;
    expect(report.violation).toMatch(/^(decided-by-config-quorum|election-safety)/);
    expect(report.reproduced).toBe(true);
    expect(report.shrunkSize.episodes).toBeLessThanOrEqual(2);
  }, 600_000);
});
