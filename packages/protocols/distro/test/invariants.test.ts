import { runScenario, worldViewOf, type HandMadeWorld, type HistoryEntry, type Invariant } from '@dsim/core';
import { registry } from '@dsim/registry';
import { describe, expect, it } from 'vitest';
import {
  aliveClientNotExpired,
  boundedStaleness,
  convergence,
  defaults,
  expiryOnlyByOwner,
  noResurrection,
  readAvailability,
  resurrectionDuringSplitView,
  startsServingWithData,
  writesReachALiveOwner,
  type DistroState,
} from '../src/index.ts';
import { mapServer, sortedHealthyList } from '../src/mapper.ts';
import { bugFixture } from './bug-fixtures.ts';

const nodes = ['n1', 'n2', 'n3'];

/** A serving node holding the given clients (id → revision), all members UP. */
function node(self: string, clients: Record<string, number>, extra: Partial<DistroState> = {}): DistroState {
  return {
    incarnation: 1,
    ready: true,
    loadCursor: -1,
    loadedFrom: null,
    loadedFromLoadingPeer: false,
    members: nodes.filter((id) => id !== self).map((id) => ({ id, state: 'UP', failAccessCount: 0 })),
    reportCursor: 0,
    healthyList: sortedHealthyList(nodes),
    clients: Object.fromEntries(
      Object.entries(clients).map(([id, revision]) => [
        id,
        { id, revision, instance: { service: 's', ephemeral: true, healthy: true }, lastBeatLocal: 0 },
      ]),
    ),
    healthyByService: Object.keys(clients).length > 0 ? { s: Object.keys(clients).sort() } : {},
    tally: { responsible: 0, healthy: Object.keys(clients).length, persistent: 0 },
    tasks: {},
    inflight: {},
    forwards: {},
    nextId: 0,
    stats: {
      pushes: 0,
      pushRetries: 0,
      verifyRounds: 0,
      verifyRepairs: 0,
      rehashes: 0,
      expiries: 0,
      expiriesNotOwned: 0,
      clientsAdded: 0,
      clientsRemoved: 0,
      copyWrites: 0,
      collected: 0,
      pushesFrom: {},
    },
    ...extra,
  };
}

const op = (
  index: number,
  process: number,
  type: HistoryEntry['type'],
  f: string,
  key: string,
  time: number,
  extra: Partial<HistoryEntry> = {},
): HistoryEntry => ({
  index,
  process,
  type,
  f,
  key,
  time,
  node: 'n1',
  ...extra,
});

/**
 * An invariant checked on a hand-made world with a run memory of its own, reporting the nodes it
 * names (HandMadeWorld's `check` gives the message only): call it after each change, as a run would.
 */
function reporter(world: HandMadeWorld<DistroState>, invariant: Invariant<DistroState>) {
  const memory: unknown = invariant.memory?.create(world);
  return () => {
    invariant.memory?.observe(memory, world, { node: undefined });
    return invariant.check(world, memory);
  };
}

describe('distro invariants on hand-made states', () => {
  it('convergence holds when every live node holds the same clients at the same revisions', () => {
    const world = worldViewOf(
      { n1: node('n1', { a: 1 }), n2: node('n2', { a: 1 }), n3: undefined },
      { config: defaults },
    );
    expect(world.check(convergence)).toBe(true);
    world.set('n2', node('n2', { a: 2 }));
    expect(world.check(convergence)).toMatch(/different registries/);
    world.set('n2', node('n2', { a: 1 }, { ready: false }));
    expect(world.check(convergence)).toMatch(/still loading/);
  });

  it('read-availability fails when a serving node refuses a read, not when a loading one does', () => {
    const ok = worldViewOf(
      { n1: node('n1', {}) },
      {
        config: defaults,
        history: [op(0, 0, 'invoke', 'read', 's', 1), op(1, 0, 'fail', 'read', 's', 2, { error: 'starting' })],
      },
    );
    expect(ok.check(readAvailability)).toBe(true);
    const bad = worldViewOf(
      { n1: node('n1', {}) },
      {
        config: defaults,
        history: [op(0, 0, 'invoke', 'read', 's', 1), op(1, 0, 'fail', 'read', 's', 2, { error: 'no leader' })],
      },
    );
    expect(bad.check(readAvailability)).toMatch(/failed: no leader/);
    // The node that refused the read.
    expect(reporter(bad, readAvailability)()).toEqual({
      message: 'a read of s at n1 failed: no leader',
      nodes: ['n1'],
    });
  });

  it('no-resurrection: once settled, a deregistered client gone from every node must not come back', () => {
    const history = [op(0, 0, 'invoke', 'deregister', 'a', 1), op(1, 0, 'ok', 'deregister', 'a', 2)];
    const world = worldViewOf(
      { n1: node('n1', { a: 1 }), n2: node('n2', {}) },
      { config: defaults, history, faultsEndAt: 10_000_000, time: 15_000_000 },
    );
    const named = reporter(world, noResurrection);
    expect(world.check(noResurrection)).toBe(true); // still on n1: a pending delete, not a resurrection
    world.set('n1', node('n1', {}));
    expect(world.check(noResurrection)).toBe(true);
    expect(named()).toBe(true);
    world.set('n2', node('n2', { a: 1 }));
    expect(world.check(noResurrection)).toBe(true); // before the cluster settled: a stale owner's push may win
    expect(world.check(resurrectionDuringSplitView)).toBe(true);
    expect(named()).toBe(true);
    world.time = 31_000_000;
    world.set('n2', node('n2', {}));
    expect(world.check(noResurrection)).toBe(true);
    expect(named()).toBe(true);
    world.set('n1', node('n1', { a: 1 }));
    expect(world.check(noResurrection)).toMatch(/holds it again/);
    // The node holding the resurrected client.
    expect(named()).toEqual({
      message: 'a was deregistered and gone from every node, but n1 holds it again',
      nodes: ['n1'],
    });
  });

  it('starts-serving-with-data: an empty node turning ready while its peers agree on clients', () => {
    const world = worldViewOf(
      { n1: node('n1', { a: 1 }), n2: node('n2', { a: 1 }), n3: node('n3', {}, { ready: false }) },
      { config: defaults },
    );
    expect(world.check(startsServingWithData)).toBe(true);
    world.set('n3', node('n3', {}));
    expect(world.check(startsServingWithData)).toMatch(/n3 started serving with no clients/);
  });

  it('expiry-only-by-owner reads the count of expiries of clients a node did not own', () => {
    const owner = node('n1', {});
    const world = worldViewOf({ n1: owner }, { config: defaults });
    expect(world.check(expiryOnlyByOwner)).toBe(true);
    world.set('n1', { ...owner, stats: { ...owner.stats, expiriesNotOwned: 1 } });
    expect(world.check(expiryOnlyByOwner)).toMatch(/not responsible/);
  });

  it('alive-client-not-expired: an owner expiring a client seconds after applying its beat', () => {
    // Find a client n1 owns over n1,n2,n3.
    const world = worldViewOf(
      { n1: node('n1', { c2: 1, c3: 1, c5: 1 }), n2: node('n2', {}) },
      { config: defaults, time: 1_000_000 },
    );
    const named = reporter(world, aliveClientNotExpired);
    expect(world.check(aliveClientNotExpired)).toBe(true);
    expect(named()).toBe(true);
    const before = world.state('n1')!;
    world.time = 2_000_000;
    world.set('n1', {
      ...before,
      clients: Object.fromEntries(
        Object.entries(before.clients).map(([id, copy]) => [id, { ...copy, lastBeatLocal: 5 }]),
      ),
    });
    expect(world.check(aliveClientNotExpired)).toBe(true);
    expect(named()).toBe(true);
    world.time = 5_000_000;
    world.set('n1', { ...before, clients: {}, stats: { ...before.stats, expiries: 3 } });
    expect(world.check(aliveClientNotExpired)).toMatch(/expired c\d 3\.0s after/);
    // The owner that expired it (the client is not a node).
    expect(named()).toMatchObject({ nodes: ['n1'] });
  });

  it('bounded-staleness: a change the owner made after the cluster settled must reach every node within the sync bound', () => {
    const list = sortedHealthyList(nodes);
    const client = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'].find((id) => mapServer(id, list, 'n1') === 'n1')!;
    const world = worldViewOf(
      { n1: node('n1', { [client]: 1 }), n2: node('n2', { [client]: 1 }), n3: node('n3', { [client]: 1 }) },
      { config: defaults, time: 30_000_000 },
    );
    const named = reporter(world, boundedStaleness);
    expect(world.check(boundedStaleness)).toBe(true);
    expect(named()).toBe(true);
    world.time = 40_000_000;
    world.set('n1', node('n1', { [client]: 2 }));
    expect(world.check(boundedStaleness)).toBe(true);
    expect(named()).toBe(true);
    world.time = 41_000_000;
    world.set('n3', node('n3', { [client]: 2 }));
    expect(world.check(boundedStaleness)).toBe(true); // within the 1.6 s bound
    expect(named()).toBe(true);
    world.time = 42_000_000;
    world.set('n3', node('n3', { [client]: 2 }));
    expect(world.check(boundedStaleness)).toMatch(new RegExp(`n2 still lags n1's revision 2 of ${client}`));
    // The lagging node, then the owner it lags.
    expect(named()).toMatchObject({ nodes: ['n2', 'n1'] });
  });
  it("writes-reach-a-live-owner counts only the forwarder's running time since the owner went down", () => {
    // n3 is down from the start; n1 proxies a beat to it at 40 s and the proxy times out at 42 s.
    const forwardAt = (world: ReturnType<typeof worldViewOf<DistroState>>, history: HistoryEntry[]) => {
      world.time = 40_000_000;
      history.push(op(0, 1, 'invoke', 'beat', 'c1', 40_000_000));
      world.set('n2', node('n2', {}));
      world.time = 42_000_000;
      history.push(op(1, 1, 'info', 'beat', 'c1', 42_000_000, { error: 'forward to n3 timed out' }));
      world.set('n2', node('n2', {}));
      return world.check(writesReachALiveOwner);
    };
    const running: HistoryEntry[] = [];
    const ranThroughout = worldViewOf<DistroState>(
      { n1: node('n1', {}), n2: node('n2', {}), n3: undefined },
      { config: defaults, history: running },
    );
    expect(forwardAt(ranThroughout, running)).toMatch(
      /n1 still forwarded beat c1 to n3, down for 40\.0s, 40\.0s of them while n1 ran/,
    );
    // Paused from 1 s to 36 s (a GC pause), n1 could notice nothing: 5 s of running time before the forward is within the bound.
    const paused: HistoryEntry[] = [];
    const wasPaused = worldViewOf<DistroState>(
      { n1: node('n1', {}), n2: node('n2', {}), n3: undefined },
      { config: defaults, history: paused },
    );
    wasPaused.time = 1_000_000;
    wasPaused.setPaused('n1', true);
    expect(wasPaused.check(writesReachALiveOwner)).toBe(true);
    wasPaused.time = 36_000_000;
    wasPaused.setPaused('n1', false);
    expect(forwardAt(wasPaused, paused)).toBe(true);
  });
});

/** A violation names the nodes whose states or actions break the rule: on each bug switch's shrunk counterexample. */
describe('violations name the nodes involved', () => {
  const firstViolation = (bug: Parameters<typeof bugFixture>[0]) =>
    runScenario(bugFixture(bug), { registry }, { trace: 'off', stateMode: 'mutable' }).violations[0];

  it('an expiry by a non-owner, a start with no data: the node that did it', () => {
    expect(firstViolation('expireWithoutResponsibilityCheck')).toMatchObject({
      invariant: 'expiry-only-by-owner',
      message: 'n3 expired 1 client(s) it was not responsible for',
      nodes: ['n3'],
    });
    expect(firstViolation('noLoadOnStart')).toMatchObject({
      invariant: 'starts-serving-with-data',
      message: expect.stringMatching(/^n1 started serving with no clients/),
      nodes: ['n1'],
    });
  });

  it('a write proxied to a long-dead owner: the forwarder, then the dead target', () => {
    expect(firstViolation('hashOverAllMembers')).toMatchObject({
      invariant: 'writes-reach-a-live-owner',
      message: expect.stringMatching(/^n3 still forwarded beat c3 to n1, /),
      nodes: ['n3', 'n1'],
    });
  });

  it('registries that never converge: the two nodes that differ', () => {
    for (const bug of ['noVerify', 'syncOnlyToOwner'] as const)
      expect(firstViolation(bug)).toMatchObject({
        invariant: 'convergence',
        message: expect.stringMatching(/: n2 and n1 hold different registries$/),
        nodes: ['n2', 'n1'],
      });
  });
});
