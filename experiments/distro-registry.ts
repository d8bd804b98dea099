/**
 * What a Nacos operator wants to know about Distro, measured on the simulator:
 *
 *   npx -y pnpm@10 experiment distro-registry [--seeds 3] [--clients 50] [--scale-clients 2000] [--sizes 3,5,10,20,50]
 *
 * 1. A 2|3 partition of five nodes from 20 s to 80 s with 50 clients, each connected to one node
 *    (pinned): read and write availability per side, stale reads (a read missing an alive
 *    instance), the stale-read window after the heal, and the convergence time after the heal,
 *    beside the same registry on Raft (CP) under the same partition.
 * 2. Detection of crashed clients (beat 5 s, unhealthy > 15 s, removed > 30 s, check every 5 s):
 *    from the client's last beat until no node answers it as healthy, and until no node holds it.
 * 3. Messages per second per node in steady state as the cluster grows, with a fixed number of
 *    instances (beats, forwards, verify, member reports; verify batched per member).
 */
import { runScenario, type HistoryEntry, type Invariant, type Micros, type Scenario, type WorldView } from '@dsim/core';
import { distro, type DistroState } from '@dsim/distro';
import { raft } from '@dsim/raft';
import { parseFlags, wholeNumber } from './lib/flags.ts';

export const description =
  'Distro: stale reads and convergence under a partition (vs Raft), crashed-client detection, messages per node';
export const usage = '[--seeds 3] [--clients 50] [--scale-clients 2000] [--sizes 3,5,10,20,50]';

const partitionAt = 20_000_000;
const healAt = 80_000_000;
const sideA = ['n1', 'n2'];
const sideB = ['n3', 'n4', 'n5'];
const run = (scenario: Scenario, extra: Invariant[] = []) =>
  runScenario(
    { ...scenario, invariants: [...((scenario.invariants as Invariant[]) ?? []), ...extra] },
    {},
    { trace: 'off', stateMode: 'mutable' },
  );

/** A probe that records, every 100 ms of global time, when the live nodes' registries last differed. */
function convergenceProbe(): { invariant: Invariant<DistroState>; lastDifferent: () => Micros } {
  let nextAt = 0;
  let lastDifferent = 0;
  const invariant: Invariant<DistroState> = {
    name: 'probe-convergence',
    kind: 'always',
    check(world: WorldView<DistroState>) {
      if (world.time < nextAt) return true;
      nextAt = world.time + 100_000;
      let reference: string | null = null;
      for (const node of world.nodes) {
        const state = world.state(node);
        if (!state) continue;
        const text = Object.keys(state.clients)
          .sort()
          .map((id) => `${id}@${state.clients[id]!.revision}${state.clients[id]!.instance.healthy ? 'h' : 'u'}`)
          .join(' ');
        if (reference === null) reference = text;
        else if (text !== reference) lastDifferent = world.time;
      }
      return true;
    },
  };
  return { invariant, lastDifferent: () => lastDifferent };
}

interface SideStats {
  reads: number;
  readsOk: number;
  staleReads: number;
  writes: number;
  writesOk: number;
}

const emptySide = (): SideStats => ({ reads: 0, readsOk: 0, staleReads: 0, writes: 0, writesOk: 0 });

/** Pairs invokes with completions; `truth(op)` says whether an ok read answered stale. */
function sideStats(
  history: readonly HistoryEntry[],
  from: Micros,
  to: Micros,
  isRead: (f: string) => boolean,
  stale: (invoke: HistoryEntry, done: HistoryEntry) => boolean,
): Record<'A' | 'B', SideStats> {
  const sides = { A: emptySide(), B: emptySide() };
  const invokes = new Map<number, HistoryEntry>();
  for (const entry of history) {
    if (entry.type === 'invoke') {
      invokes.set(entry.process, entry);
      continue;
    }
    const invoke = invokes.get(entry.process);
    invokes.delete(entry.process);
    if (!invoke || invoke.time < from || invoke.time >= to || !invoke.node) continue;
    const side = sideA.includes(invoke.node) ? sides.A : sides.B;
    if (isRead(invoke.f)) {
      side.reads += 1;
      if (entry.type === 'ok') {
        side.readsOk += 1;
        if (stale(invoke, entry)) side.staleReads += 1;
      }
    } else if (invoke.f !== 'transfer') {
      side.writes += 1;
      if (entry.type === 'ok') side.writesOk += 1;
    }
  }
  return sides;
}

function staleReadTimes(history: readonly HistoryEntry[], clients: number, services: number): Micros[] {
  const invokes = new Map<number, HistoryEntry>();
  const times: Micros[] = [];
  for (const entry of history) {
    if (entry.type === 'invoke') {
      invokes.set(entry.process, entry);
      continue;
    }
    const invoke = invokes.get(entry.process);
    invokes.delete(entry.process);
    if (
      invoke?.f === 'read' &&
      entry.type === 'ok' &&
      invoke.time > 10_000_000 &&
      isStale(invoke, entry, clients, services)
    )
      times.push(entry.time);
  }
  return times;
}

/** Every client registers in the first seconds and beats throughout: a read missing one of its service's clients is stale. */
function isStale(invoke: HistoryEntry, done: HistoryEntry, clients: number, services: number): boolean {
  const service = Number((invoke.key ?? 'svc0').slice(3));
  const expected = Array.from({ length: clients }, (_, i) => i).filter((i) => i % services === service).length;
  return (done.value as readonly string[]).length !== expected;
}

function partitionScenario(seed: number, clients: number): Scenario {
  return {
    name: `distro-partition-${seed}`,
    protocol: distro,
    nodes: 5,
    seed,
    until: '300s',
    network: { latency: { dist: 'uniform', min: 1_000, max: 5_000 }, fifo: true },
    faults: [
      { at: partitionAt, fault: { type: 'partition', groups: [sideA, sideB] } },
      { at: healAt, fault: { type: 'heal' } },
    ],
    workload: {
      name: 'registry',
      clients,
      thinkTime: '1s',
      timeout: '3s',
      startAt: '1s',
      options: { services: 5, pinned: true },
    },
    invariants: [],
  };
}

/** Raft's kv store as the registry (a put per registration or beat, a get per read), each client kept on its own side. */
function raftScenario(seed: number, clients: number): Scenario {
  const kv = raft.workloads!.kv!;
  const sideOf = (index: number) => (['n1', 'n2', 'n3', 'n4', 'n5'][index % 5]! <= 'n2' ? sideA : sideB);
  const protocol = {
    ...raft,
    workloads: {
      pinnedKv: ((options, context) => {
        const inner = kv(options, context);
        return {
          nextOp: (client) => inner.nextOp(client),
          chooseNode: (client, op, current) => {
            const side = sideOf(client.index);
            const next = inner.chooseNode ? inner.chooseNode(client, op, current) : current;
            // During the partition a client reaches only its own side; after the heal it follows redirects anywhere.
            if (client.now >= healAt || side.includes(next)) return next;
            return side[client.random.int(0, side.length - 1)]!;
          },
        };
      }) as typeof kv,
    },
  };
  return {
    name: `raft-partition-${seed}`,
    protocol,
    nodes: 5,
    seed,
    until: '120s',
    network: { latency: { dist: 'uniform', min: 1_000, max: 5_000 } },
    faults: [
      { at: partitionAt, fault: { type: 'partition', groups: [sideA, sideB] } },
      { at: healAt, fault: { type: 'heal' } },
    ],
    workload: {
      name: 'pinnedKv',
      clients,
      thinkTime: '1s',
      timeout: '3s',
      startAt: '1s',
      options: { keys: 5, mix: { get: 4, put: 1, append: 0, cas: 0 } },
    },
  };
}

const pct = (part: number, whole: number) => (whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`);
const seconds = (micros: number) => `${(micros / 1e6).toFixed(1)}s`;

function partitionStudy(seeds: number, clients: number): void {
  console.log(
    `\n## 1. A 2|3 partition of 5 nodes, ${seconds(partitionAt)}..${seconds(healAt)}, ${clients} clients pinned to their node, ${seeds} seeds\n`,
  );
  const rows: string[][] = [];
  const totals = { distro: { A: emptySide(), B: emptySide() }, raft: { A: emptySide(), B: emptySide() } };
  const convergence: number[] = [];
  const windows: number[] = [];
  let raftViolations = 0;
  const raftRecovery: number[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const probe = convergenceProbe();
    const result = run(partitionScenario(seed, clients), [probe.invariant as Invariant]);
    const sides = sideStats(
      result.history,
      partitionAt,
      healAt,
      (f) => f === 'read',
      (invoke, done) => isStale(invoke, done, clients, 5),
    );
    for (const side of ['A', 'B'] as const)
      for (const key of Object.keys(emptySide()) as (keyof SideStats)[]) totals.distro[side][key] += sides[side][key];
    convergence.push(probe.lastDifferent() - healAt);
    const stale = staleReadTimes(result.history, clients, 5).filter((time) => time >= healAt);
    windows.push(stale.length === 0 ? 0 : Math.max(...stale) - healAt);
    const raftResult = run(raftScenario(seed, clients));
    raftViolations += raftResult.violations.length;
    // Raft has no divergent replicas to merge: its minority is only unavailable. Its "convergence"
    // is the time until a client on the minority side gets an answer again.
    // Clients are named c1, c2, ...; client cK started on node n((K - 1) mod 5 + 1), so on side A when that is n1 or n2.
    const onSideA = (client: string | undefined) => client !== undefined && (Number(client.slice(1)) - 1) % 5 < 2;
    const firstOk = raftResult.history.find(
      (entry) => entry.type === 'ok' && entry.time >= healAt && onSideA(entry.client),
    );
    if (firstOk) raftRecovery.push(firstOk.time - healAt);
    const raftSides = sideStats(
      raftResult.history,
      partitionAt,
      healAt,
      (f) => f === 'get',
      () => false,
    );
    for (const side of ['A', 'B'] as const)
      for (const key of Object.keys(emptySide()) as (keyof SideStats)[]) totals.raft[side][key] += raftSides[side][key];
  }
  for (const [name, sides] of Object.entries(totals))
    for (const side of ['A', 'B'] as const) {
      const s = sides[side];
      rows.push([
        name,
        side === 'A' ? 'minority n1,n2' : 'majority n3-n5',
        pct(s.readsOk, s.reads),
        pct(s.writesOk, s.writes),
        pct(s.staleReads, s.readsOk),
      ]);
    }
  console.log('| protocol | side | reads answered | writes ok | stale reads (of answered) |');
  console.log('|---|---|---|---|---|');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  console.log(
    `\nDistro convergence after the heal (last moment two live nodes differed): ${convergence.map(seconds).join(', ')}`,
  );
  console.log(`Distro stale-read window after the heal (last stale read): ${windows.map(seconds).join(', ')}`);
  console.log(
    `Raft: ${raftViolations} invariant violations (linearizability included): no stale read; the minority answers nothing`,
  );
  console.log(`Raft: first answer to a minority-side client after the heal: ${raftRecovery.map(seconds).join(', ')}`);
}

function detectionStudy(seeds: number): void {
  console.log(
    `\n## 2. Crashed-client detection (3 nodes, 20 clients, every 4th client crashes at 30 s), ${seeds} seeds\n`,
  );
  const unhealthy: number[] = [];
  const removed: number[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const silentAt = 30_000_000 + seed * 733_000;
    const marks = new Map<string, { lastBeat: Micros; unhealthyAt?: Micros; removedAt?: Micros }>();
    let nextAt = 0;
    const probe: Invariant<DistroState> = {
      name: 'probe-detection',
      kind: 'always',
      check(world) {
        if (world.time < nextAt || world.time < silentAt) return true;
        nextAt = world.time + 50_000;
        for (const [client, mark] of marks) {
          let healthySomewhere = false;
          let heldSomewhere = false;
          for (const node of world.nodes) {
            const copy = world.state(node)?.clients[client];
            if (copy) heldSomewhere = true;
            if (copy?.instance.healthy) healthySomewhere = true;
          }
          if (!healthySomewhere) mark.unhealthyAt ??= world.time;
          if (!heldSomewhere) mark.removedAt ??= world.time;
        }
        return true;
      },
    };
    const scenario: Scenario = {
      name: `distro-detection-${seed}`,
      protocol: distro,
      nodes: 3,
      seed,
      until: '90s',
      network: { latency: { dist: 'uniform', min: 1_000, max: 5_000 }, fifo: true },
      workload: {
        name: 'registry',
        clients: 20,
        thinkTime: '1s',
        timeout: '3s',
        startAt: '1s',
        options: { services: 4, silentEvery: 4, silentAt },
      },
      invariants: [],
    };
    // The last beat of each crashing client, from a first run's history; the probe then watches it.
    const first = run(scenario);
    const lastInvoke = new Map<string, Micros>();
    const lastBeat = new Map<string, Micros>();
    for (const entry of first.history) {
      if (entry.type !== 'invoke' || !entry.client) continue;
      lastInvoke.set(entry.client, entry.time);
      if (entry.f === 'beat') lastBeat.set(entry.key!, entry.time);
    }
    // The crashed clients are the ones that invoked nothing after silentAt.
    for (const [client, time] of lastInvoke)
      if (time < silentAt && lastBeat.has(client)) marks.set(client, { lastBeat: lastBeat.get(client)! });
    run(scenario, [probe as Invariant]);
    for (const mark of marks.values()) {
      if (mark.unhealthyAt !== undefined) unhealthy.push(mark.unhealthyAt - mark.lastBeat);
      if (mark.removedAt !== undefined) removed.push(mark.removedAt - mark.lastBeat);
    }
  }
  const describe = (samples: number[]) =>
    samples.length === 0
      ? '-'
      : `min ${seconds(Math.min(...samples))}, mean ${seconds(samples.reduce((a, b) => a + b, 0) / samples.length)}, max ${seconds(Math.max(...samples))} (n=${samples.length})`;
  console.log(
    `from the last beat until no node answers it healthy: ${describe(unhealthy)}   (spec: 15-20 s + push 1-1.1 s)`,
  );
  console.log(
    `from the last beat until no node holds it:           ${describe(removed)}   (spec: 30-35 s + push 1-1.1 s)`,
  );
}

function scalingStudy(clients: number, sizes: readonly number[]): void {
  console.log(
    `\n## 3. Messages per second per node in steady state, ${clients} instances (20 s..40 s of simulated time)\n`,
  );
  console.log(
    '| nodes | messages/s/node | of which verify (batched) | Nacos per-client verify RPCs/s/node | client ops/s |',
  );
  console.log('|---|---|---|---|---|');
  for (const nodes of sizes) {
    const scenario = (until: string): Scenario => ({
      name: `distro-scale-${nodes}`,
      protocol: distro,
      nodes,
      seed: 1,
      until,
      network: { latency: { dist: 'uniform', min: 1_000, max: 5_000 }, fifo: true },
      workload: { name: 'registry', clients, thinkTime: '5s', timeout: '3s', startAt: '1s', options: { services: 20 } },
      invariants: [],
    });
    const early = run(scenario('20s'));
    const late = run(scenario('40s'));
    const window = 20;
    const perNode = (late.stats.messagesSent - early.stats.messagesSent) / window / nodes;
    const verifyPerNode = (nodes - 1) / 5;
    const nacosVerify = ((clients / nodes) * (nodes - 1)) / 5;
    console.log(
      `| ${nodes} | ${perNode.toFixed(1)} | ${verifyPerNode.toFixed(1)} | ${nacosVerify.toFixed(0)} | ${((late.stats.operations - early.stats.operations) / window).toFixed(0)} |`,
    );
  }
}

export function main(args: readonly string[]): number {
  const { values } = parseFlags(args, ['seeds', 'clients', 'scale-clients', 'sizes'], []);
  const seeds = wholeNumber(values.seeds, 'seeds', 3);
  const clients = wholeNumber(values.clients, 'clients', 50);
  const scaleClients = wholeNumber(values['scale-clients'], 'scale-clients', 2000);
  const sizes = (values.sizes ?? '3,5,10,20,50').split(',').map((text) => {
    const size = Number(text);
    if (!Number.isInteger(size) || size < 1)
      throw new Error(`--sizes: '${text}' is not a cluster size; give whole numbers like 3,5,10`);
    return size;
  });
  partitionStudy(seeds, clients);
  detectionStudy(seeds);
  scalingStudy(scaleClients, sizes);
  return 0;
}
