import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { familyOptions, type Scenario } from '@dsim/core';
import { describeBugSwitches } from '@dsim/testing';
import { bugs, families, raft } from '../src/index.ts';
import {
  followerReadScenario,
  forgetTermScenario,
  forgetVoteScenario,
  leaseDriftScenario,
  lossyLinkLeader,
  leaseReads,
  lostAppendWhileIdle,
  leaderDiskLagging,
  removedLeaderHoldsLongestLog,
  retryAfterTimeout,
  voteThenSilence,
} from './bug-scenarios.ts';

const registry = { raft };
const fixture = (name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8')) as Scenario;
const aggressive = families.aggressive!;

/** Each bug switch, on a schedule where it bites: caught with the switch, clean without. */
describeBugSwitches(
  'raft',
  bugs,
  [
    // The Figure 8 hunt's shrunk counterexample: an old-term entry counted on a majority is committed, then overwritten.
    {
      bug: 'commitPriorTermByCount',
      scenario: fixture('raft-bug-commitpriortermbycount.json'),
      caughtBy: /^(state-machine-safety|leader-completeness)$/,
    },
    // Caught first by the durability invariant when it runs (a vote forgotten across a restart).
    {
      bug: 'forgetVoteOnRestart',
      scenario: forgetVoteScenario,
      caughtBy: /^(election-safety|durable-term-and-vote)$/,
    },
    // Aggressive seed 5 on five nodes: a node missing committed entries wins an election.
    {
      bug: 'skipLogUpToDateCheck',
      scenario: aggressive.scenario(5, familyOptions(aggressive, { nodes: 5 })),
      caughtBy: 'leader-completeness',
    },
    { bug: 'readFromFollowerLocal', scenario: followerReadScenario, caughtBy: 'linearizable-kv' },
    { bug: 'leaseReadIgnoresClockDrift', scenario: leaseDriftScenario, caughtBy: 'linearizable-kv' },
    { bug: 'forgetTermOnRestart', scenario: forgetTermScenario, caughtBy: 'durable-term-and-vote' },
    { bug: 'noProbeOnHeartbeat', scenario: lostAppendWhileIdle, caughtBy: 'progress-after-heal' },
    { bug: 'leaderOutsideVoteLease', scenario: lossyLinkLeader, caughtBy: 'leader-ignores-votes' },
    { bug: 'applyDuplicateTwice', scenario: retryAfterTimeout, caughtBy: 'linearizable-kv' },
    { bug: 'noTimerResetOnVote', scenario: voteThenSilence, caughtBy: 'vote-restarts-election-timer' },
    { bug: 'leaseFromAckArrival', scenario: leaseReads, caughtBy: 'lease-timed-from-send' },
    // The leader counted its own copy before its disk had it, then crashed and lost it.
    {
      bug: 'countLeaderBeforeDurable',
      scenario: leaderDiskLagging,
      caughtBy: /^(leader-completeness|state-machine-safety|linearizable-kv)$/,
    },
    // The hunts' shrunk counterexamples: two changes from two operators reach the leader before the
    // first commits; and a new leader takes a change before its no-op commits (three crashes).
    {
      bug: 'concurrentConfChanges',
      scenario: fixture('raft-bug-concurrentconfchanges.json'),
      caughtBy: 'one-uncommitted-conf-change',
    },
    { bug: 'uncommittedRemovalStopsCampaigns', scenario: removedLeaderHoldsLongestLog, caughtBy: 'leader-after-heal' },
    {
      bug: 'noNoopBeforeConfChange',
      scenario: fixture('raft-bug-nonoopbeforeconfchange.json'),
      caughtBy: 'conf-change-after-own-term-commit',
    },
  ],
  registry,
);
