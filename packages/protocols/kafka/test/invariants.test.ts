import { worldViewOf } from '@dsim/core';
import { describe, expect, it } from 'vitest';
import {
  defaults,
  leaderCompleteness,
  logMatching,
  noAckedWriteLost,
  noDuplicates,
  noReadAboveHw,
  producerOrder,
  promisedInvariants,
  type BrokerState,
  type ConsumerState,
  type Entry,
  type KafkaState,
  type ProducerState,
  type Replica,
} from '../src/index.ts';

const config = { ...defaults, minInsyncReplicas: 2 };

function entries(...ids: string[]): Entry[] {
  return ids.map((id) => ({ epoch: 0, id, pid: -1, seq: 0 }));
}

function replica(role: Replica['role'], log: Entry[], hw: number, leaderEpoch = 0): Replica {
  return {
    partition: 0,
    meta: null,
    role,
    leaderEpoch,
    log,
    hw,
    flushed: log.length,
    epochCache: [[0, 0]],
    producers: {},
    leso: 0,
    followers: {},
    pendingIsr: null,
    parkedProduces: [],
    parkedFetches: {},
    fetchId: 0,
    fetchState: 'fetching',
    syncedInEpoch: true,
    isrShrinks: 0,
    isrExpands: 0,
    notEnoughReplicas: 0,
    truncatedEntries: 0,
  };
}

function broker(r: Replica): BrokerState {
  return { kind: 'broker', incarnation: 1, brokerEpoch: 1, controllerEpoch: 0, registered: true, replicas: { 0: r } };
}

function producer(acked: ProducerState['acked']): ProducerState {
  return {
    kind: 'producer',
    incarnation: 1,
    pid: -1,
    nextRecord: acked.length,
    nextRequestId: 1,
    nextSeq: { 0: 0 },
    queue: [],
    leaders: { 0: 'b1' },
    metadataPending: false,
    acked,
    sentUnacknowledged: [],
    failed: [],
    errors: {},
  };
}

describe('I-1 no acknowledged write lost', () => {
  it('holds while the leader has the record at its offset, and fails when a new leader lacks it', () => {
    const world = worldViewOf<KafkaState>(
      {
        b1: broker(replica('leader', entries('p1.1.0', 'p1.1.1'), 2)),
        b2: broker(replica('follower', entries('p1.1.0'), 1)),
        p1: producer([{ id: 'p1.1.1', partition: 0, offset: 1, acks: 'all' }]),
      },
      { config },
    );
    expect(world.check(noAckedWriteLost)).toBe(true);
    world.set('b1', undefined);
    world.set('b2', broker(replica('leader', entries('p1.1.0'), 1, 1)));
    expect(world.check(noAckedWriteLost)).toMatch(
      /^p1\.1\.1 was acknowledged \(acks=all\) at p0@1, but leader b2 .* \[promised;/,
    );
  });
});

describe('I-2 and I-5', () => {
  it('a consumer read at or above the serving HW is caught', () => {
    const consumer: ConsumerState = {
      kind: 'consumer',
      positions: { 0: 2 },
      fetchIds: { 0: 1 },
      leaders: { 0: null },
      reads: [{ partition: 0, offset: 1, id: 'p1.1.1', from: 'b1', servedHw: 1 }],
    };
    const world = worldViewOf<KafkaState>(
      { b1: broker(replica('leader', entries('p1.1.0', 'p1.1.1'), 1)), r1: consumer },
      { config },
    );
    expect(world.check(noReadAboveHw)).toMatch(/r1 read p1\.1\.1 at p0@1 from b1, whose HW was 1/);
  });

  it('a leader elected with an LEO below the true HW is caught', () => {
    const world = worldViewOf<KafkaState>(
      { b1: broker(replica('leader', entries('a', 'b', 'c'), 3)), b2: broker(replica('follower', entries('a'), 1)) },
      { config },
    );
    expect(world.check(leaderCompleteness)).toBe(true);
    world.set('b1', undefined);
    world.set('b2', broker(replica('leader', entries('a'), 1, 1)));
    expect(world.check(leaderCompleteness)).toMatch(/leader b2 of p0 \(epoch 1\) has LEO 1 below the true HW 3/);
  });
});

describe('I-4 log matching', () => {
  it('compares the whole prefix below both HWs of settled replicas, not only the last entry', () => {
    const diverged = worldViewOf<KafkaState>(
      {
        b1: broker(replica('leader', entries('m0', 'm1', 'p2'), 3)),
        b2: broker(replica('follower', entries('m0', 'n1', 'p2'), 3)),
      },
      { config },
    );
    expect(diverged.check(logMatching)).toMatch(/p0@1 differs below both HWs/);
    const restarting = replica('follower', entries('m0', 'n1', 'p2'), 3);
    restarting.syncedInEpoch = false;
    const settling = worldViewOf<KafkaState>(
      { b1: broker(replica('leader', entries('m0', 'm1', 'p2'), 3)), b2: broker(restarting) },
      { config },
    );
    expect(settling.check(logMatching)).toBe(true);
  });
});

describe('I-7 and I-8 over the final logs', () => {
  it('a record logged twice, and a producer’s records out of order', () => {
    const world = worldViewOf<KafkaState>(
      { b1: broker(replica('leader', entries('p1.1.0', 'p1.1.2', 'p1.1.1', 'p1.1.2'), 4)) },
      { config },
    );
    expect(world.check(noDuplicates)).toMatch(/p1\.1\.2 is in b1's log of p0 twice, at 1 and 3/);
    expect(world.check(producerOrder)).toMatch(/has p1\.1\.1 at 2 after p1\.1\.2 at 1/);
  });
});

describe('which invariants Kafka promises', () => {
  it('current Kafka with acks=all and min ISR 2 promises all of them', () => {
    expect(Object.values(promisedInvariants(config)).every((promise) => promise === true)).toBe(true);
  });

  it('each weaker configuration says why a promise does not hold', () => {
    expect(promisedInvariants({ ...config, acks: '1', enableIdempotence: false })['no-acked-write-lost']).toBe(
      'acks=1',
    );
    expect(promisedInvariants({ ...config, uncleanLeaderElection: true, truncation: 'kip101' })['log-matching']).toBe(
      'truncation=kip101 with unclean election',
    );
    expect(promisedInvariants({ ...config, elr: false })['committed-never-lost']).toMatch(/last replica standing/);
    expect(promisedInvariants({ ...config, enableIdempotence: false })['no-duplicates']).toBe('idempotence off');
    expect(promisedInvariants({ ...config, enableIdempotence: false, maxInFlight: 1 })['producer-order']).toBe(true);
    expect(promisedInvariants({ ...config, minInsyncReplicas: 1 })['no-read-above-hw']).toBe(true);
  });
});
