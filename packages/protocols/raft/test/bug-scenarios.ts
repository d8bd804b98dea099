import { toMicros, type Scenario } from '@dsim/core';
import { invariants, raft } from '../src/index.ts';

/**
 * Small scripted schedules that make each bug switch bite, used by bugs.test.ts. Each runs
 * cleanly without its switch.
 */

/**
 * forgetVoteOnRestart: n1 and n2 campaign for term 1 at the same moment, each unable to reach
 * the other (a bridge through n3). n3 hears n1 first and votes for it; n1 wins. n3 crashes and
 * restarts before n2's slower request arrives, and, having forgotten its vote, grants it too:
 * two leaders in term 1.
 */
export const forgetVoteScenario: Scenario = {
  name: 'raft-bug-forget-vote',
  protocol: raft,
  nodes: 3,
  seed: 1,
  until: '1s',
  config: {
    preVote: false,
    checkQuorum: false,
    nodeElectionTimeoutMicros: { n1: 100_000, n2: 100_000, n3: 5_000_000 },
  },
  network: {
    latency: '1ms',
    links: [
      { from: 'n1', to: 'n3', latency: '10ms', bothWays: false },
      { from: 'n2', to: 'n3', latency: '15ms', bothWays: false },
    ],
  },
  faults: [
    { at: 0, fault: { type: 'bridge', bridge: 'n3', groups: [['n1'], ['n2']] } },
    { at: '112ms', fault: { type: 'crash', node: 'n3' } },
    { at: '113ms', fault: { type: 'restart', node: 'n3' } },
  ],
  invariants: ['election-safety', 'log-matching', 'state-machine-safety'],
};

/**
 * readFromFollowerLocal: n5 is cut off while c2 keeps writing through the leader; c1 reads only
 * from n5, which answers from its frozen state machine.
 */
export const followerReadScenario: Scenario = {
  name: 'raft-bug-follower-read',
  protocol: raft,
  nodes: 5,
  seed: 1,
  until: '3s',
  config: { nodeElectionTimeoutMicros: { n1: 100_000 } },
  workload: {
    name: 'kv',
    clients: 2,
    thinkTime: '20ms',
    timeout: '300ms',
    options: { keys: 1, pin: { c1: 'n5' }, mix: { get: 1, put: 1, append: 0, cas: 0 } },
  },
  faults: [
    { at: '1s', fault: { type: 'isolate', node: 'n5' } },
    { at: '2s', fault: { type: 'heal' } },
  ],
  invariants: ['election-safety', 'state-machine-safety', 'linearizable-kv'],
};

/**
 * leaseReadIgnoresClockDrift: n1 leads with lease reads; at 2 s it is cut off and its clock jumps
 * back 55 ms, less than the 60 ms drift bound the correct lease allows for. n2 (pinned to a
 * 150 ms election timeout) takes over as fast as Raft allows and c2 writes through it, while c1
 * keeps reading from n1. The correct lease (150 − 60 ms) has expired by then; the bug's full
 * 150 ms lease has not, and n1 answers with the old value.
 */
export const leaseDriftScenario: Scenario = {
  name: 'raft-bug-lease-drift',
  protocol: raft,
  nodes: 5,
  seed: 1,
  until: '4s',
  config: {
    readMode: 'lease',
    checkQuorum: true,
    leaseClockBoundMicros: 60_000,
    nodeElectionTimeoutMicros: { n1: 100_000, n2: 150_000 },
  },
  network: { latency: '1ms' },
  workload: {
    name: 'kv',
    clients: 2,
    thinkTime: '2ms',
    timeout: '100ms',
    options: { keys: 1, pin: { c1: 'n1', c2: 'n2' }, readers: ['c1'], mix: { get: 1, put: 1, append: 0, cas: 0 } },
  },
  faults: [
    { at: '2s', fault: { type: 'partition', groups: [['n1'], ['n2', 'n3', 'n4', 'n5']] } },
    { at: '2s', fault: { type: 'clockJump', node: 'n1', delta: '-55ms' } },
    { at: '3s', fault: { type: 'heal' } },
  ],
  invariants: ['election-safety', 'state-machine-safety', 'linearizable-kv'],
};

/**
 * One lost AppendEntries while the leader is idle: n1 leads and has replicated its no-op to
 * everyone (so n3's progress streams, in replicate mode). At 1 s the link n1 → n3 is cut, one
 * client write goes out at 1.1 s and reaches n2 only, and the link heals at 1.3 s. No more writes
 * follow. The heartbeat answers from n3 show it behind; the leader's empty AppendEntries finds the
 * gap and the entry is sent again (etcd: sendAppend on MsgHeartbeatResp).
 */
export const lostAppendWhileIdle: Scenario = {
  name: 'raft-lost-append-idle',
  protocol: raft,
  nodes: 3,
  seed: 1,
  until: '12s',
  config: { nodeElectionTimeoutMicros: { n1: 100_000 } },
  network: { latency: '1ms' },
  workload: {
    name: 'kv',
    clients: 1,
    startAt: '1.1s',
    opsPerClient: 1,
    timeout: '500ms',
    options: { keys: 1, pin: { c1: 'n1' }, mix: { get: 0, put: 1, append: 0, cas: 0 } },
  },
  faults: [
    { at: '1s', fault: { type: 'cut', from: ['n1'], to: ['n3'] } },
    { at: '1.3s', fault: { type: 'heal' } },
  ],
};

/**
 * forgetTermOnRestart: n3 is cut off while n1 wins term 1, so it votes for nobody and learns the
 * term only from n1's heartbeats after the heal. It crashes at 1 s and restarts at 1.1 s: with the
 * switch its durable term is still 0.
 */
export const forgetTermScenario: Scenario = {
  name: 'raft-bug-forget-term',
  protocol: raft,
  nodes: 3,
  seed: 1,
  until: '3s',
  config: { nodeElectionTimeoutMicros: { n1: 100_000, n3: 5_000_000 } },
  network: { latency: '1ms' },
  faults: [
    { at: 0, fault: { type: 'isolate', node: 'n3' } },
    { at: '500ms', fault: { type: 'heal' } },
    { at: '1s', fault: { type: 'crash', node: 'n3' } },
    { at: '1.1s', fault: { type: 'restart', node: 'n3' } },
  ],
};

/**
 * One lossy link under CheckQuorum and PreVote: n1 leads three nodes and the link between n1 and
 * n3 loses half its messages both ways, so n3 now and then misses enough heartbeats to campaign.
 * n2 hears n1 and ignores n3 (its vote lease); n1 must ignore it too, since it leads a quorum.
 * No client: a campaign is the only thing that can change the leader.
 */
export const lossyLinkLeader: Scenario = {
  name: 'raft-lossy-link-leader',
  protocol: raft,
  nodes: 3,
  seed: 1,
  until: '60s',
  config: { nodeElectionTimeoutMicros: { n1: 100_000 } },
  network: { latency: '1ms', links: [{ from: 'n1', to: 'n3', loss: 0.5 }] },
};

/**
 * applyDuplicateTwice: clients that retry (the kv-retry workload) with a client timeout shorter
 * than a slow write's round trip (1 ms to the server, 2-12 ms a hop between servers, 15 ms
 * timeout). Many writes time out after they reached the log and are sent again with the same
 * session sequence number; the sessions must apply each once.
 */
export const retryAfterTimeout: Scenario = {
  name: 'raft-retry-after-timeout',
  protocol: raft,
  nodes: 3,
  seed: 1,
  until: '3s',
  config: { nodeElectionTimeoutMicros: { n1: 100_000 } },
  network: { latency: { dist: 'uniform', min: 2_000, max: 12_000 }, clientLatency: '1ms' },
  workload: {
    name: 'kv-retry',
    clients: 2,
    thinkTime: '5ms',
    timeout: '15ms',
    stopAt: '2s',
    options: { keys: 1, mix: { get: 1, put: 0, append: 2, cas: 0 } },
  },
};

/**
 * noTimerResetOnVote: under the paper's timer rule (a higher term alone does not restart the
 * timer), without PreVote or CheckQuorum. n1 leads and crashes at 1 s; n2 (150 ms timeout)
 * campaigns first and n3 (300 ms) grants its vote. The link n2 → n3 is cut just after, so n3 does
 * not hear n2 lead: only the granted vote stands between n3 and an early campaign of its own.
 */
export const voteThenSilence: Scenario = {
  name: 'raft-vote-then-silence',
  protocol: raft,
  nodes: 3,
  seed: 1,
  until: '6s',
  config: {
    preVote: false,
    checkQuorum: false,
    resetElectionTimerOnHigherTerm: false,
    nodeElectionTimeoutMicros: { n1: 100_000, n2: 150_000, n3: 300_000 },
  },
  network: { latency: '1ms' },
  faults: [
    { at: '1s', fault: { type: 'crash', node: 'n1' } },
    { at: '1.105s', fault: { type: 'cut', from: ['n2'], to: ['n3'] } },
    { at: '1.6s', fault: { type: 'heal' } },
    { at: '1.7s', fault: { type: 'restart', node: 'n1' } },
  ],
};

/** leaseFromAckArrival: lease reads on three nodes; the first acknowledged heartbeat shows it. */
export const leaseReads: Scenario = {
  name: 'raft-lease-reads',
  protocol: raft,
  nodes: 3,
  seed: 1,
  until: '2s',
  config: { readMode: 'lease', checkQuorum: true, nodeElectionTimeoutMicros: { n1: 100_000 } },
  network: { latency: '2ms' },
  workload: {
    name: 'kv',
    clients: 2,
    thinkTime: '10ms',
    timeout: '200ms',
    stopAt: '1.5s',
    options: { keys: 1, mix: { get: 3, put: 1, append: 0, cas: 0 } },
  },
};

/**
 * countLeaderBeforeDurable: n1's disk takes 50 ms a sync, the others' are instant. n1 leads; at 1 s
 * n3 is cut off, and at 1.1 s one write reaches n1. n2 acknowledges it 2 ms later, long before
 * n1's own write is on disk. At 1.12 s n1 crashes and loses that write; it restarts cut off from
 * n2 and with n3, and whichever of them leads next lacks the entry. With the switch n1 had counted
 * itself and committed the entry (and answered the client): a committed entry is lost. Without
 * it the entry was never committed, and the client's answer is "unknown".
 */
export const leaderDiskLagging: Scenario = {
  name: 'raft-leader-disk-lagging',
  protocol: raft,
  nodes: 3,
  seed: 1,
  until: '3s',
  config: { nodeElectionTimeoutMicros: { n1: 100_000 } },
  network: { latency: '1ms' },
  storage: { nodes: { n1: '50ms' } },
  workload: {
    name: 'kv',
    clients: 1,
    startAt: '1.1s',
    opsPerClient: 1,
    timeout: '500ms',
    options: { keys: 1, pin: { c1: 'n1' }, mix: { get: 0, put: 1, append: 0, cas: 0 } },
  },
  faults: [
    { at: '1s', fault: { type: 'partition', groups: [['n1', 'n2'], ['n3']] } },
    { at: '1.12s', fault: { type: 'crash', node: 'n1', loseUnsyncedWrites: true } },
    { at: '1.2s', fault: { type: 'restart', node: 'n1' } },
    { at: '1.2s', fault: { type: 'partition', groups: [['n1', 'n3'], ['n2']] } },
    { at: '2.2s', fault: { type: 'heal' } },
  ],
};

/**
 * Dissertation §4.2.2: "a server that is not part of its own latest configuration should still
 * start new elections, as it might still be needed until the C_new entry is committed". Voters
 * n1 and n2; n1 leads and appends its own removal ({n2}) while cut off from n2, so only n1 holds
 * that entry. CheckQuorum deposes n1. After the heal, n2's log is shorter, so n1 refuses n2's
 * votes; n1 itself must campaign (its own vote not counted) to win with n2's vote, commit {n2}
 * and step down. With uncommittedRemovalStopsCampaigns (etcd's `promotable` read against the
 * newest, uncommitted configuration) n1 never campaigns, and the two voters stay without a leader.
 */
export const removedLeaderHoldsLongestLog: Scenario = {
  name: 'raft-removed-leader-holds-longest-log',
  protocol: raft,
  nodes: 3,
  seed: 1,
  until: '7s',
  config: {
    preVote: false,
    checkQuorum: true,
    initialVoters: ['n1', 'n2'],
    nodeElectionTimeoutMicros: { n1: 100_000, n2: 300_000, n3: 300_000 },
  },
  network: { latency: '1ms' },
  faults: [
    { at: '950ms', fault: { type: 'partition', groups: [['n1'], ['n2', 'n3']] } },
    { at: '2s', fault: { type: 'heal' } },
  ],
  workload: {
    name: 'kv',
    clients: 2,
    thinkTime: '20ms',
    timeout: '50ms',
    stopAt: '6s',
    options: { membership: [{ at: '1s', change: { steps: [{ type: 'remove', node: 'n1' }] } }] },
  },
  invariants,
};

/**
 * A slow disk (every sync takes 40 ms): n3 is cut off while n1 wins term 1, and after the heal at
 * 1 s it learns the term from n1's first message (at 1.035 s), writes it, and answers once the
 * write is on disk (1.075 s). It crashes at `crashAt`, losing unsynced writes, and restarts 50 ms
 * later. Crashed at 1.05 s it loses term 1 before anyone heard it from n3: safe. Crashed at 1.2 s
 * the term was on disk, and only forgetTermOnRestart (which never wrote it) loses it.
 */
export function slowDiskCrashAfterLearningTerm(crashAt: string): Scenario {
  const restartAt = `${Math.round(toMicros(crashAt) / 1000) + 50}ms`;
  return {
    name: 'raft-slow-disk-learned-term',
    protocol: raft,
    nodes: 3,
    seed: 1,
    until: '3s',
    config: { nodeElectionTimeoutMicros: { n1: 100_000, n3: 5_000_000 } },
    network: { latency: '1ms' },
    storage: { syncLatency: '40ms' },
    faults: [
      { at: 0, fault: { type: 'isolate', node: 'n3' } },
      { at: '1s', fault: { type: 'heal' } },
      { at: crashAt, fault: { type: 'crash', node: 'n3', loseUnsyncedWrites: true } },
      { at: restartAt, fault: { type: 'restart', node: 'n3' } },
    ],
  };
}
