import {
  always,
  defineMemory,
  eventually,
  failure,
  sometimes,
  type HistoryEntry,
  type Invariant,
  type InvariantFailure,
  type Micros,
  type NodeId,
  type WorldChange,
  type WorldView,
} from '@dsim/core';
import { convergenceBoundMicros, defaults, memberDownBoundMicros, type DistroConfig } from './config.ts';
import { isResponsible } from './mapper.ts';
import type { ClientCopy, DistroState } from './state.ts';

type World = WorldView<DistroState>;

/** After the faults end, this long passes before the bounded-staleness promise applies: member views agree again and restarted nodes have loaded. */
export const settleMicros: Micros = 20_000_000;
/**
 * Slack on top of the derived detection bound in writes-reach-a-live-owner. Time the forwarder
 * spent paused is not counted at all: a paused node notices nothing, as a GC-paused Nacos server.
 */
const detectionSlackMicros: Micros = 10_000_000;

interface Expectation {
  readonly revision: number | null; // null: deleted
  readonly owner: NodeId;
  readonly atMicros: Micros;
}

/** What the Distro invariants remember over a run. */
export interface DistroMemory {
  historyRead: number;
  invokes: Map<number, HistoryEntry>;
  /** Clients whose deregister completed ok, and when; removed if they register or beat again. */
  deregistered: Map<string, Micros>;
  /** Clients with a register or beat of unknown outcome: it may still land, so they are exempt from no-resurrection. */
  uncertain: Set<string>;
  /** Deregistered clients that were once absent from every running node. */
  gone: Set<string>;
  resurrected: InvariantFailure | null;
  /** A resurrection during the faults or before the cluster settled: Nacos allows it (SPECS §1.10). */
  transientResurrection: boolean;
  readFailure: InvariantFailure | null;
  deadOwnerWrite: InvariantFailure | null;
  /** Per node: the global time its current pause began. */
  pausedSince: Map<NodeId, Micros>;
  /** Per node: its finished pauses as [from, to) in global time, in order. */
  pauses: Map<NodeId, Array<readonly [Micros, Micros]>>;
  staleRead: boolean;
  /** The last answer to a read of each service: the node, its instance list and when. */
  lastReads: Map<string, { node: NodeId; value: readonly string[]; time: Micros }>;
  /** Per node: the revision of each client it held when last observed, and whether it was ready. */
  seen: Map<NodeId, Map<string, number>>;
  ready: Map<NodeId, boolean>;
  emptyStart: InvariantFailure | null;
  loadedFromLoadingPeer: boolean;
  /** The newest change each owner made to each client, for bounded staleness. */
  expectations: Map<string, Expectation>;
  staleness: InvariantFailure | null;
  /** Per node: lastBeatLocal of each client it owns, and the global time it last moved (a beat applied). */
  beats: Map<NodeId, Map<string, { local: Micros; global: Micros }>>;
  /** Global time each client last invoked a beat. */
  beatInvoked: Map<string, Micros>;
  falseExpiry: InvariantFailure | null;
  expiredWhileBeating: boolean;
  /** Per node: its expiry count when last observed, to tell an expiry from a delete pushed by another node. */
  expiries: Map<NodeId, number>;
  /** Some node's key set or the deregistered set changed since the last resurrection check (fast path only). */
  presenceMoved: boolean;
  /** Per node: the fast observation's mirror of what it held (see NodeMirror); the plain maps lag behind it. */
  mirrors: Map<NodeId, NodeMirror>;
}

function readHistory(memory: DistroMemory, world: World): void {
  const history = world.history;
  const config = world.config as DistroConfig;
  for (; memory.historyRead < history.length; memory.historyRead++) {
    const entry = history[memory.historyRead]!;
    if (entry.type === 'invoke') {
      memory.invokes.set(entry.process, entry);
      if ((entry.f === 'register' || entry.f === 'beat') && entry.key) {
        if (memory.deregistered.delete(entry.key)) memory.presenceMoved = true;
        memory.beatInvoked.set(entry.key, entry.time);
      }
      continue;
    }
    const invoke = memory.invokes.get(entry.process);
    memory.invokes.delete(entry.process);
    if (!invoke) continue;
    const key = invoke.key ?? '';
    if (invoke.f === 'read') {
      if (entry.type === 'fail' && entry.error !== 'starting')
        memory.readFailure ??= failure(
          `a read of ${key} at ${invoke.node ?? '?'} failed: ${entry.error ?? ''}`,
          invoke.node === undefined ? [] : [invoke.node],
        );
      if (entry.type === 'ok' && invoke.node) {
        const value = (entry.value ?? []) as readonly string[];
        const last = memory.lastReads.get(key);
        if (last && last.node !== invoke.node && !sameList(last.value, value) && entry.time - last.time < 1_000_000)
          memory.staleRead = true;
        memory.lastReads.set(key, { node: invoke.node, value, time: entry.time });
      }
      continue;
    }
    if (entry.type === 'info' && (invoke.f === 'register' || invoke.f === 'beat')) memory.uncertain.add(key);
    if (invoke.f === 'deregister' && entry.type === 'ok') {
      memory.deregistered.set(key, entry.time);
      memory.presenceMoved = true;
    }
    // A proxy that timed out names its target: a member down for longer than the detection bound
    // should have left the healthy list by then.
    const match = entry.type === 'info' ? /^forward to (\S+) timed out$/.exec(entry.error ?? '') : null;
    if (match && invoke.node) {
      const target = match[1]!;
      const downSince = world.downSince(target);
      const forwarderUpSince = world.upSince(invoke.node);
      const bound =
        memberDownBoundMicros(config, world.nodes.length) + config.forwardTimeoutMicros + detectionSlackMicros;
      if (downSince === undefined || forwarderUpSince === undefined || forwarderUpSince > downSince) continue;
      const running = invoke.time - downSince - pausedWithin(memory, invoke.node, downSince, invoke.time);
      if (running > bound)
        memory.deadOwnerWrite ??= failure(
          `${invoke.node} still forwarded ${invoke.f} ${key} to ${target}, down for ${((invoke.time - downSince) / 1e6).toFixed(1)}s, ${(running / 1e6).toFixed(1)}s of them while ${invoke.node} ran (bound ${(bound / 1e6).toFixed(1)}s)`,
          [invoke.node, target],
        );
    }
  }
}

/** How long `node` was paused within [from, to), in global time. */
function pausedWithin(memory: DistroMemory, node: NodeId, from: Micros, to: Micros): Micros {
  let paused = 0;
  const overlap = (start: Micros, end: Micros) => Math.max(0, Math.min(end, to) - Math.max(start, from));
  for (const [start, end] of memory.pauses.get(node) ?? []) paused += overlap(start, end);
  const open = memory.pausedSince.get(node);
  if (open !== undefined) paused += overlap(open, to);
  return paused;
}

/** Pauses and resumes are faults, so the kernel reports them as a change of the whole world. */
function observePauses(memory: DistroMemory, world: World): void {
  for (const node of world.nodes) {
    const since = memory.pausedSince.get(node);
    const paused = world.isUp(node) && world.isPaused(node);
    if (paused && since === undefined) memory.pausedSince.set(node, world.time);
    else if (!paused && since !== undefined) {
      memory.pausedSince.delete(node);
      const list = memory.pauses.get(node) ?? [];
      list.push([since, world.time]);
      memory.pauses.set(node, list);
    }
  }
}

/**
 * The plain observation of one node, as the rules read: rebuild what the node holds and which
 * clients it owns, and compare with the previous observation. The fast path below must agree with it.
 */
function observeNodePlain(memory: DistroMemory, world: World, node: NodeId): void {
  const state = world.state(node);
  if (!state) {
    memory.seen.delete(node);
    memory.beats.delete(node);
    memory.expiries.delete(node);
    memory.ready.set(node, false);
    return;
  }
  const wasReady = memory.ready.get(node) ?? false;
  memory.ready.set(node, state.ready);
  if (state.ready && !wasReady) checkStart(memory, world, node, state);
  const previous = memory.seen.get(node) ?? new Map<string, number>();
  const current = new Map<string, number>();
  for (const id of Object.keys(state.clients)) {
    const revision = state.clients[id]!.revision;
    current.set(id, revision);
    if (previous.get(id) !== revision && wasReady && isResponsible(id, state.healthyList, node))
      memory.expectations.set(id, { revision, owner: node, atMicros: world.time });
  }
  for (const id of previous.keys()) {
    if (!current.has(id) && wasReady && isResponsible(id, state.healthyList, node))
      memory.expectations.set(id, { revision: null, owner: node, atMicros: world.time });
  }
  memory.seen.set(node, current);
  observeBeats(memory, world, node, state);
}

/**
 * What the fast observation remembers of one node, as arrays in the order of the node's client
 * record: the copy objects themselves (a mutable-mode handler changes a copy in place, an
 * immutable-mode one replaces it), the revisions and, for owned clients, the beat records.
 */
interface NodeMirror {
  /** The client record and its counts of copies added and removed when mirrored. */
  readonly record: Readonly<Record<string, ClientCopy>>;
  readonly clientsAdded: number;
  readonly clientsRemoved: number;
  /** The node's count of writes to held copies when the loop below last read them (copies.ts). */
  copyWrites: number;
  readonly ids: string[];
  readonly copies: ClientCopy[];
  readonly revisions: number[];
  /** The beat record of each owned client; undefined for a client the node does not own. */
  readonly beats: ({ local: Micros; global: Micros } | undefined)[];
  readonly healthyList: readonly NodeId[];
  readonly ready: boolean;
}

/**
 * The same observation, fast on the common step that adds, removes or replaces no client and
 * changes neither the healthy list nor readiness: then the owned set is unchanged and no client can
 * have been expired, so only revisions and beat times that moved are written, by index, and
 * responsibility is not re-hashed; when the node wrote no copy's revision or renewal time
 * (stats.copyWrites, counted by copies.ts) not even those are read. Any other step writes the mirror back into the plain maps, takes
 * the plain path and mirrors its result, so both end in the same memory (a test holds them equal).
 */
function observeNodeFast(memory: DistroMemory, world: World, node: NodeId): void {
  const state = world.state(node);
  const mirror = memory.mirrors.get(node);
  if (
    state === undefined ||
    mirror === undefined ||
    state.ready !== mirror.ready ||
    !sameList(mirror.healthyList, state.healthyList) ||
    !sameClients(mirror, state)
  ) {
    if (mirror !== undefined) writeBack(memory, node, mirror);
    observeNodePlain(memory, world, node);
    memory.presenceMoved = true;
    if (state === undefined) memory.mirrors.delete(node);
    else memory.mirrors.set(node, mirrorOf(memory, node, state));
    return;
  }
  // No revision or renewal time was written since the last pass: nothing below could differ.
  if (state.stats.copyWrites === mirror.copyWrites) {
    memory.expiries.set(node, state.stats.expiries);
    return;
  }
  mirror.copyWrites = state.stats.copyWrites;
  const { ids, copies, revisions, beats } = mirror;
  for (let i = 0; i < copies.length; i++) {
    const copy = copies[i]!;
    const revision = copy.revision;
    if (revision !== revisions[i]) {
      revisions[i] = revision;
      if (mirror.ready && isResponsible(ids[i]!, state.healthyList, node))
        memory.expectations.set(ids[i]!, { revision, owner: node, atMicros: world.time });
    }
    const beat = beats[i];
    if (beat !== undefined && beat.local !== copy.lastBeatLocal)
      beats[i] = { local: copy.lastBeatLocal, global: world.time };
  }
  memory.expiries.set(node, state.stats.expiries);
}

/**
 * Whether the node holds exactly the mirrored clients, as the same objects, in the same order: the
 * record is the same object and no copy was added to or removed from it since (every addition and
 * removal is counted, copies.ts), and a handler changes a held copy in place. In the immutable mode
 * a changed record is a new object, so the plain path sees it. Enumerating the record instead
 * (for-in, Object.keys) costs more than the whole fast observation: a record with deleted keys is a
 * dictionary, without V8's enumeration cache.
 */
function sameClients(mirror: NodeMirror, state: DistroState): boolean {
  return (
    state.clients === mirror.record &&
    state.stats.clientsAdded === mirror.clientsAdded &&
    state.stats.clientsRemoved === mirror.clientsRemoved
  );
}

function sameList(remembered: readonly NodeId[], list: readonly NodeId[]): boolean {
  if (remembered.length !== list.length) return false;
  for (let i = 0; i < list.length; i++) if (remembered[i] !== list[i]) return false;
  return true;
}

/** The plain maps of a node, as the mirror holds them. */
function writeBack(memory: DistroMemory, node: NodeId, mirror: NodeMirror): void {
  const seen = new Map<string, number>();
  const beats = new Map<string, { local: Micros; global: Micros }>();
  for (let i = 0; i < mirror.ids.length; i++) {
    const id = mirror.ids[i]!;
    seen.set(id, mirror.revisions[i]!);
    const beat = mirror.beats[i];
    if (beat !== undefined) beats.set(id, beat);
  }
  memory.seen.set(node, seen);
  memory.beats.set(node, beats);
}

/** A mirror of what the plain observation just remembered of a node. */
function mirrorOf(memory: DistroMemory, node: NodeId, state: DistroState): NodeMirror {
  const seen = memory.seen.get(node)!;
  const owned = memory.beats.get(node)!;
  const mirror: NodeMirror = {
    record: state.clients,
    clientsAdded: state.stats.clientsAdded,
    clientsRemoved: state.stats.clientsRemoved,
    copyWrites: state.stats.copyWrites,
    ids: [],
    copies: [],
    revisions: [],
    beats: [],
    healthyList: [...state.healthyList],
    ready: state.ready,
  };
  for (const [id, revision] of seen) {
    mirror.ids.push(id);
    mirror.copies.push(state.clients[id]!);
    mirror.revisions.push(revision);
    mirror.beats.push(owned.get(id));
  }
  return mirror;
}

/** The plain maps brought up to date from the mirrors, for comparing the two observations. */
export function writeBackMirrors(memory: DistroMemory): void {
  for (const [node, mirror] of memory.mirrors) writeBack(memory, node, mirror);
}

/**
 * The owner times a client's silence on its own clock, as Nacos does. Measured in global time, an
 * owner that expires a client less than removeAfter (minus the clock tolerance) after it last
 * applied one of its beats expired an alive, connected client: a clock jump did it.
 */
function observeBeats(memory: DistroMemory, world: World, node: NodeId, state: DistroState): void {
  const config = world.config as DistroConfig;
  const previous = memory.beats.get(node) ?? new Map<string, { local: Micros; global: Micros }>();
  const current = new Map<string, { local: Micros; global: Micros }>();
  for (const id of Object.keys(state.clients)) {
    if (!isResponsible(id, state.healthyList, node)) continue;
    const local = state.clients[id]!.lastBeatLocal;
    const before = previous.get(id);
    // A client that just became owned (responsibility moved) has no observed beat yet: its copy's
    // time came from verify renewals, so only a beat applied while owned starts the clock.
    current.set(
      id,
      !before ? { local, global: -Infinity } : before.local === local ? before : { local, global: world.time },
    );
  }
  const expiredNow = state.stats.expiries > (memory.expiries.get(node) ?? 0);
  memory.expiries.set(node, state.stats.expiries);
  for (const [id, renewed] of previous) {
    if (!expiredNow || state.clients[id] || memory.deregistered.has(id)) continue;
    const silentMicros = world.time - renewed.global;
    if (silentMicros < config.removeAfterMicros - config.clockToleranceMicros)
      memory.falseExpiry ??= failure(
        `${node} expired ${id} ${(silentMicros / 1e6).toFixed(1)}s after it last applied its beat (timeout ${(config.removeAfterMicros / 1e6).toFixed(0)}s)`,
        [node],
      );
    const invoked = memory.beatInvoked.get(id);
    if (invoked !== undefined && world.time - invoked < 2 * config.beatCheckIntervalMicros)
      memory.expiredWhileBeating = true;
  }
  memory.beats.set(node, current);
}

/** A node that starts serving must not serve an empty registry while every other serving node agrees on some client. */
function checkStart(memory: DistroMemory, world: World, node: NodeId, state: DistroState): void {
  if (state.loadedFromLoadingPeer) memory.loadedFromLoadingPeer = true;
  if (Object.keys(state.clients).length > 0 || state.loadedFromLoadingPeer) return;
  let common: Set<string> | null = null;
  for (const other of world.nodes) {
    const otherState = other === node ? undefined : world.state(other);
    if (!otherState?.ready) continue;
    const ids = new Set(Object.keys(otherState.clients));
    common = common === null ? ids : new Set<string>([...(common as Set<string>)].filter((id) => ids.has(id)));
  }
  if (common !== null && common.size > 0)
    memory.emptyStart ??= failure(
      `${node} started serving with no clients while every serving peer holds ${common.size} (e.g. ${[...common][0]!})`,
      [node],
    );
}

function checkResurrection(memory: DistroMemory, world: World): void {
  for (const [client] of memory.deregistered) {
    if (memory.uncertain.has(client)) continue;
    let held: NodeId | null = null;
    for (const node of world.nodes) if (world.state(node)?.clients[client]) held = node;
    if (held === null) memory.gone.add(client);
    else if (memory.gone.has(client)) {
      if (world.time < world.faultsEndAt + settleMicros) {
        // While member views disagree, a node that still believes it owns the client pushes its
        // copy after the owner's delete and wins (last push wins, SPECS §1.10): Nacos' stale
        // registration. Allowed then, counted as reached, and it must not happen once settled.
        memory.transientResurrection = true;
        memory.gone.delete(client);
      } else
        memory.resurrected ??= failure(
          `${client} was deregistered and gone from every node, but ${held} holds it again`,
          [held],
        );
    }
  }
}

function checkStaleness(memory: DistroMemory, world: World): void {
  const config = world.config as DistroConfig;
  const bound = config.syncDelayMicros + config.engineTickMicros + config.syncSlackMicros;
  for (const [client, expected] of memory.expectations) {
    if (expected.atMicros < world.faultsEndAt + settleMicros) {
      memory.expectations.delete(client);
      continue;
    }
    if (world.time - expected.atMicros <= bound) continue;
    let lagging: NodeId | null = null;
    for (const node of world.nodes) {
      const state = world.state(node);
      if (!state?.ready || node === expected.owner) continue;
      const revision = state.clients[client]?.revision ?? null;
      if (revision !== expected.revision) lagging = node;
    }
    if (lagging === null) memory.expectations.delete(client);
    else
      memory.staleness ??= failure(
        `${lagging} still lags ${expected.owner}'s ${expected.revision === null ? 'delete' : `revision ${expected.revision}`} of ${client} ${((world.time - expected.atMicros) / 1e6).toFixed(2)}s later (bound ${(bound / 1e6).toFixed(2)}s, no fault since ${(world.faultsEndAt / 1e6).toFixed(1)}s)`,
        [lagging, expected.owner],
      );
  }
}

/** A fresh run memory. */
export function createDistroMemory(): DistroMemory {
  return {
    historyRead: 0,
    invokes: new Map(),
    deregistered: new Map(),
    uncertain: new Set(),
    gone: new Set(),
    resurrected: null,
    transientResurrection: false,
    readFailure: null,
    deadOwnerWrite: null,
    pausedSince: new Map(),
    pauses: new Map(),
    staleRead: false,
    lastReads: new Map(),
    seen: new Map(),
    ready: new Map(),
    emptyStart: null,
    loadedFromLoadingPeer: false,
    expectations: new Map(),
    staleness: null,
    beats: new Map(),
    beatInvoked: new Map(),
    falseExpiry: null,
    expiredWhileBeating: false,
    expiries: new Map(),
    mirrors: new Map(),
    presenceMoved: true,
  };
}

/**
 * Brings the run memory up to date after a change of the world: `fast` observes nodes by the fast
 * path, otherwise by the plain one (the twin a test holds it equal to).
 */
export function observeDistroRun(memory: DistroMemory, world: World, change: WorldChange, fast: boolean): void {
  const observeNode = fast ? observeNodeFast : observeNodePlain;
  if (change.node === undefined) observePauses(memory, world);
  readHistory(memory, world);
  if (change.node !== undefined) observeNode(memory, world, change.node);
  else for (const node of world.nodes) observeNode(memory, world, node);
  // Which nodes hold a deregistered client changes only with a node's key set (the fast path's
  // plain branch) or the deregistered set: otherwise a pass would find what the last one found.
  if (memory.deregistered.size > 0 && (!fast || memory.presenceMoved)) checkResurrection(memory, world);
  memory.presenceMoved = false;
  if (memory.expectations.size > 0) checkStaleness(memory, world);
}

export const distroMemory = defineMemory<DistroState, DistroMemory>({
  name: 'distro-run',
  create: createDistroMemory,
  observe(memory, world, change: WorldChange) {
    observeDistroRun(memory, world, change, true);
  },
});

const withMemory = (description: string) => ({ description, memory: distroMemory });

/** Distro's reason to exist: every running node answers reads from its full local copy, partitioned or not. */
export const readAvailability = always<DistroState, DistroMemory>(
  'read-availability',
  (_world, memory) => memory.readFailure ?? true,
  withMemory(
    'Every serving node answers every read from its local copy, during partitions too (only a node still loading refuses).',
  ),
);

/** After the heal, every live node holds the same clients at the same revisions. */
export const convergence = eventually<DistroState>(
  'convergence',
  (world: World) => {
    let reference: string | null = null;
    let referenceNode = '';
    for (const node of world.nodes) {
      const state = world.state(node);
      if (!state) continue;
      if (!state.ready) return failure(`${node} is still loading`, [node]);
      const ids = Object.keys(state.clients).sort();
      const text = ids
        .map((id) => {
          const copy = state.clients[id]!;
          return `${id}@${copy.revision}:${copy.instance.service}:${copy.instance.healthy ? 'h' : 'u'}`;
        })
        .join(' ');
      if (reference === null) {
        reference = text;
        referenceNode = node;
      } else if (text !== reference)
        return failure(`${node} and ${referenceNode} hold different registries`, [node, referenceNode]);
    }
    return true;
  },
  {
    withinMicros: convergenceBoundMicros(defaults),
    stable: true,
    description: `After the faults end, every live node holds the same clients at the same revisions within ${convergenceBoundMicros(defaults) / 1e6}s (member recovery, then the longest of a re-registration plus a verify repair, the 30 s expiry of a client that died during the partition plus a repair, or the 3 min collection of an orphaned copy, possibly loaded 30 s late by a node restarted just before the heal).`,
  },
);

export const noResurrection = always<DistroState, DistroMemory>(
  'no-resurrection',
  (_world, memory) => memory.resurrected ?? true,
  withMemory(
    'Once the cluster has settled after the last fault (20 s), a client deregistered (and never registered again, with no write of unknown outcome in flight) that has left every node never comes back; before that a stale owner may resurrect it (resurrection-during-split-view).',
  ),
);

export const startsServingWithData = always<DistroState, DistroMemory>(
  'starts-serving-with-data',
  (_world, memory) => memory.emptyStart ?? true,
  withMemory(
    'A node that starts serving has loaded a snapshot: it never serves an empty registry while its serving peers agree on some client.',
  ),
);

export const writesReachALiveOwner = always<DistroState, DistroMemory>(
  'writes-reach-a-live-owner',
  (_world, memory) => memory.deadOwnerWrite ?? true,
  withMemory(
    'A write is not proxied to a member that has been down for longer than member health takes to notice (it has left the healthy list).',
  ),
);

export const boundedStaleness = always<DistroState, DistroMemory>(
  'bounded-staleness',
  (_world, memory) => memory.staleness ?? true,
  withMemory(
    'Once the cluster has settled after the last fault, every change an owner makes reaches every serving node within the sync delay plus one engine tick and delivery slack.',
  ),
);

export const aliveClientNotExpired = always<DistroState, DistroMemory>(
  'alive-client-not-expired',
  (_world, memory) => memory.falseExpiry ?? true,
  withMemory(
    'An owner deletes an ephemeral instance only after its client has been silent towards it for the removal timeout (30 s), measured in true time: an alive client whose beats reach its owner is never expired.',
  ),
);

export const loadedFromLoadingPeer = sometimes<DistroState, DistroMemory>(
  'loaded-from-loading-peer',
  (_world, memory) => memory.loadedFromLoadingPeer,
  withMemory(
    'A starting node loaded its snapshot from a member that was itself still loading (Nacos answers snapshot requests before its own load is done).',
  ),
);

export const resurrectionDuringSplitView = sometimes<DistroState, DistroMemory>(
  'resurrection-during-split-view',
  (_world, memory) => memory.transientResurrection,
  withMemory(
    'A deregistered client came back on some node before member views agreed again: a node that still believed it owned the client pushed its stale copy after the owner pushed the delete.',
  ),
);

export const expiredWhileBeating = sometimes<DistroState, DistroMemory>(
  'expired-while-beating',
  (_world, memory) => memory.expiredWhileBeating,
  withMemory(
    'An owner expired a client that was still beating (its beats did not reach the owner in time: a partition, a pause, a clock fault).',
  ),
);

/** Only the responsible node expires a client (HealthCheckResponsibleInterceptor). */
export const expiryOnlyByOwner = always<DistroState>(
  'expiry-only-by-owner',
  (world: World) => {
    for (const node of world.nodes) {
      const state = world.state(node);
      if (state && state.stats.expiriesNotOwned > 0)
        return failure(`${node} expired ${state.stats.expiriesNotOwned} client(s) it was not responsible for`, [node]);
    }
    return true;
  },
  'Only the node responsible for a client (by its own healthy list) runs its beat check and expires it.',
);

export const verifyRepair = sometimes<DistroState>(
  'verify-repair',
  (world: World) => world.nodes.some((node) => (world.state(node)?.stats.verifyRepairs ?? 0) > 0),
  'Some verify round found a replica missing or behind and the owner pushed it the client.',
);

export const responsibilityChange = sometimes<DistroState>(
  'responsibility-change',
  (world: World) => world.nodes.some((node) => (world.state(node)?.stats.rehashes ?? 0) > 0),
  'Some node rebuilt its healthy list after a member changed state, moving responsibility for clients.',
);

export const staleRead = sometimes<DistroState, DistroMemory>(
  'stale-read',
  (_world, memory) => memory.staleRead,
  withMemory('Two nodes answered reads of the same service within a second with different instance lists.'),
);

/** The safety and liveness invariants every run checks by default. */
export const invariants: Invariant<DistroState>[] = [
  readAvailability,
  convergence,
  noResurrection,
  startsServingWithData,
  writesReachALiveOwner,
  boundedStaleness,
  expiryOnlyByOwner,
  aliveClientNotExpired,
];

/** Proofs that a scenario reached what it exists to show; scenarios name the ones they promise. */
export const reachInvariants = {
  verifyRepair,
  responsibilityChange,
  staleRead,
  expiredWhileBeating,
  loadedFromLoadingPeer,
  resurrectionDuringSplitView,
} as const;
