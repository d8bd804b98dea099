import type { Invariant } from '../author/invariant.ts';
import type { AnyProtocol, NodeId } from '../author/protocol.ts';
import { type Fault } from '../faults/faults.ts';
import { generateFaultSchedule } from '../faults/nemesis.ts';
import { MAX_DRIFT_PPM } from '../kernel/clock.ts';
import { intern } from '../kernel/intern.ts';
import type { LatencyDistribution } from '../kernel/latency.ts';
import type { ResolvedLinkOverride, ResolvedNetwork } from '../kernel/network.ts';
import { createRandom } from '../random/random.ts';
import { describeValue, type Micros } from '../time/time.ts';
import { DEFAULT_LATENCY, ScenarioChecker } from './checker.ts';
import { schemaIssues } from './json-schema.ts';
import { LIMITS } from './limits.ts';
import { deepMerge, isRecord } from './merge.ts';
import { copyPlainData } from './plain-data.ts';
import {
  ScenarioError,
  type ProtocolRegistry,
  type ResolveOptions,
  type ResolvedBudget,
  type ResolvedScenario,
  type ResolvedStorage,
  type ResolvedWorkload,
} from './schema.ts';

const SCENARIO_FIELDS = new Set([
  'name',
  'description',
  'protocol',
  'nodes',
  'seed',
  'until',
  'config',
  'bugs',
  'network',
  'storage',
  'clocks',
  'faults',
  'nemesis',
  'workload',
  'invariants',
  'stopOnViolation',
  'traceFullState',
  'budget',
]);

/**
 * The default budget: generous for any protocol that makes progress (a five-node Raft cluster
 * under 100 writes/s uses about 300 events per simulated second per node), and linear in the run's
 * length, so a message storm, which grows without bound, or a loop of zero-delay timers, which
 * never lets time advance, exceeds it long before it exhausts memory or patience.
 */
export const BUDGET_PER_NODE_SECOND = 100_000;
export const BUDGET_MINIMUM = 1_000_000;

type Fields = Record<string, unknown>;

/** Code a `.ts` scenario may pass, used as it is: a protocol object and invariant objects. */
const isCode = (path: string, value: unknown): boolean =>
  (path === 'protocol' || /^invariants\[\d+\]$/.test(path)) &&
  isRecord(value) &&
  Object.values(value).some((field) => typeof field === 'function');

/**
 * Validates a scenario and applies every default. Throws a ScenarioError that lists all problems
 * at once, each with its field and a fix; never a stack trace from deep inside the kernel. Each
 * part of the scenario is read by its own function below, in this order, into one checker.
 */
export function resolveScenario(input: unknown, options: ResolveOptions = {}): ResolvedScenario {
  if (!isRecord(input))
    throw new ScenarioError(
      [{ path: '', message: `a scenario must be an object, got ${describeValue(input)}` }],
      options.source,
    );
  // Every later read is of this copy: each value was read once, and is finite, acyclic and shallow.
  const { copy: scenario, issues: dataIssues } = copyPlainData(input, isCode);
  if (dataIssues.length > 0) throw new ScenarioError(dataIssues, options.source);
  const check = new ScenarioChecker();
  for (const key of Object.keys(scenario)) {
    // `$schema` points an editor at scenario.schema.json; the run does not read it.
    if (!SCENARIO_FIELDS.has(key) && key !== '$schema')
      check.fail(key, `unknown field (known fields: ${[...SCENARIO_FIELDS].join(', ')})`);
  }
  const name = typeof scenario.name === 'string' && scenario.name.trim() !== '' ? scenario.name : 'unnamed';
  if (typeof scenario.name !== 'string' || scenario.name.trim() === '')
    check.fail('name', `give the scenario a name (a non-empty string)`);
  else if (scenario.name.length > LIMITS.nameLength)
    check.fail('name', `a name of ${scenario.name.length} characters is longer than the ${LIMITS.nameLength} allowed`);
  const protocol = readProtocol(scenario.protocol, options.registry, check);
  const nodes = readNodes(scenario.nodes, check);
  check.knowNodes(nodes);
  const seed = readSeed(options.seed ?? (scenario.seed === undefined ? 1 : scenario.seed), check);
  const issuesBeforeUntil = check.issues.length;
  const until = check.duration(options.until ?? scenario.until, 'until', 0, { max: LIMITS.untilMicros });
  if (scenario.until === undefined && options.until === undefined)
    check.fail('until', `say when the run ends, e.g. until: '30s'`);
  else if (until <= 0 && check.issues.length === issuesBeforeUntil) check.fail('until', 'must be after time 0');
  const config = readConfig(scenario.config, protocol, nodes, check);
  const bugs = readBugs(scenario.bugs, protocol, check);
  const network = readNetwork(scenario.network, check);
  const storage = readStorage(scenario.storage, nodes, check);
  const clocks = readClocks(scenario.clocks, nodes, check);
  const faults = readFaults(scenario, until, seed, nodes, check);
  const workload = readWorkload(scenario.workload, protocol, until, check);
  const invariants = readInvariants(scenario.invariants, protocol, check);
  const budget = readBudget(scenario.budget, nodes.length, until, check);
  for (const flag of ['stopOnViolation', 'traceFullState'] as const) {
    if (scenario[flag] !== undefined && typeof scenario[flag] !== 'boolean') check.fail(flag, 'must be true or false');
  }

  checkShape(scenario, check);

  if (!check.ok || !protocol) throw new ScenarioError(check.issues, options.source);
  return {
    name,
    description: typeof scenario.description === 'string' ? scenario.description : undefined,
    protocol,
    nodes,
    seed,
    until,
    config,
    bugs,
    network,
    ...(storage ? { storage } : {}),
    clocks,
    faults,
    faultsEndAt: faults.length ? faults[faults.length - 1]!.at : 0,
    workload,
    invariants,
    stopOnViolation: scenario.stopOnViolation !== false,
    traceFullState: scenario.traceFullState === true,
    budget,
  };
}

/**
 * The schema's findings (scenario.schema.json, the one editors check files with) that the reads
 * above did not report at the same field: unknown fields in nested objects, a boolean written as
 * a string. Where both found a problem, the reader's message, which knows the scenario, is kept.
 * A protocol and invariants are the readers' alone: a `.ts` scenario may give objects there.
 */
function checkShape(scenario: Fields, check: ScenarioChecker): void {
  const reported = check.issues.map((issue) => issue.path);
  const overlaps = (a: string, b: string) =>
    a === b ||
    a === '' ||
    b === '' ||
    b.startsWith(`${a}.`) ||
    b.startsWith(`${a}[`) ||
    a.startsWith(`${b}.`) ||
    a.startsWith(`${b}[`);
  for (const issue of schemaIssues(scenario)) {
    if (issue.path === 'protocol' || issue.path.startsWith('invariants[')) continue;
    if (reported.some((path) => overlaps(path, issue.path))) continue;
    check.fail(issue.path, issue.message);
  }
}

function readProtocol(
  value: unknown,
  registry: ProtocolRegistry | undefined,
  check: ScenarioChecker,
): AnyProtocol | undefined {
  if (typeof value === 'string') {
    // Own entries only: 'toString' or '__proto__' would otherwise find Object.prototype's.
    const protocol = registry && Object.hasOwn(registry, value) ? registry[value] : undefined;
    if (!protocol) {
      const known = Object.keys(registry ?? {});
      check.fail(
        'protocol',
        `unknown protocol '${value}'${known.length ? ` (known: ${known.join(', ')})` : ' (no protocol registry was given)'}`,
      );
    }
    return protocol;
  }
  if (isRecord(value) && typeof value.init === 'function') return value as unknown as AnyProtocol;
  check.fail('protocol', `must be a protocol name such as 'raft' or a protocol object, got ${describeValue(value)}`);
  return undefined;
}

/** No control or invisible format characters (a bidi override would disguise an id in traces and the viewer). */
const NODE_ID_PATTERN = /^[^\p{Cc}\p{Cf}]+$/u;

/** The node ids, as the engine's unique copies (see intern.ts). */
function readNodes(value: unknown, check: ScenarioChecker): NodeId[] {
  let nodes: NodeId[] = [];
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 1 || value > LIMITS.nodes)
      check.fail(
        'nodes',
        `must be a whole number of nodes from 1 to ${LIMITS.nodes} or a list of ids, got ${describeValue(value)}`,
      );
    else nodes = Array.from({ length: value }, (_, i) => `n${i + 1}`);
  } else if (Array.isArray(value)) {
    const seen = new Set<string>();
    value.forEach((node, i) => {
      if (typeof node !== 'string' || node === '' || node === '*')
        check.fail(`nodes[${i}]`, `a node id must be a non-empty string other than '*', got ${describeValue(node)}`);
      else if (node.length > LIMITS.nodeIdLength || !NODE_ID_PATTERN.test(node))
        check.fail(
          `nodes[${i}]`,
          `a node id is up to ${LIMITS.nodeIdLength} printable characters (no control or format characters), got ${describeValue(node)}`,
        );
      else if (seen.has(node)) check.fail(`nodes[${i}]`, `duplicate node id '${node}'`);
      else seen.add(node);
    });
    nodes = [...seen];
    if (value.length === 0) check.fail('nodes', 'list at least one node');
    if (value.length > LIMITS.nodes) check.fail('nodes', `list at most ${LIMITS.nodes} nodes (got ${value.length})`);
  } else {
    check.fail('nodes', `must be a node count or a list of node ids, got ${describeValue(value)}`);
  }
  return nodes.map(intern);
}

function readSeed(seed: unknown, check: ScenarioChecker): number {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
    check.fail('seed', `must be a non-negative whole number, got ${describeValue(seed)}`);
    return 1;
  }
  return seed;
}

/** The protocol's defaults with the scenario's overrides merged in. */
function readConfig(
  value: unknown,
  protocol: AnyProtocol | undefined,
  nodes: readonly NodeId[],
  check: ScenarioChecker,
): unknown {
  let config: unknown = protocol?.defaults;
  if (value !== undefined) {
    if (!isRecord(value)) check.fail('config', `must be an object of overrides for the protocol's defaults`);
    else if (protocol) {
      for (const key of Object.keys(value)) {
        // Own settings only: 'toString' is in every object, and is no setting.
        if (isRecord(protocol.defaults) && !Object.hasOwn(protocol.defaults, key)) {
          check.fail(
            `config.${key}`,
            `'${protocol.name}' has no setting '${key}' (settings: ${Object.keys(protocol.defaults).join(', ')})`,
          );
        }
      }
      config = deepMerge(protocol.defaults, value);
    }
  }
  // A protocol's own checks see only a config that is otherwise sound.
  if (protocol?.validateConfig && check.ok) {
    for (const problem of protocol.validateConfig(config, nodes)) check.fail('config', problem);
  }
  return config;
}

function readBugs(value: unknown, protocol: AnyProtocol | undefined, check: ScenarioChecker): string[] {
  const bugs: string[] = [];
  if (value === undefined) return bugs;
  if (!Array.isArray(value)) {
    check.fail('bugs', 'must be a list of bug switch names');
    return bugs;
  }
  value.forEach((bug, i) => {
    if (protocol && (typeof bug !== 'string' || !protocol.bugs?.[bug])) {
      const known = Object.keys(protocol.bugs ?? {});
      check.fail(
        `bugs[${i}]`,
        `'${protocol.name}' has no bug switch ${describeValue(bug)}${known.length ? ` (switches: ${known.join(', ')})` : ''}`,
      );
    } else if (typeof bug === 'string') bugs.push(bug);
  });
  return bugs;
}

function readNetwork(value: unknown, check: ScenarioChecker): ResolvedNetwork {
  const networkInput = value === undefined ? {} : value;
  if (!isRecord(networkInput)) check.fail('network', 'must be an object');
  const net = isRecord(networkInput) ? networkInput : {};
  const baseLatency = check.latency(net.latency, 'network.latency', DEFAULT_LATENCY);
  const links: ResolvedLinkOverride[] = [];
  if (net.links !== undefined) {
    if (!Array.isArray(net.links)) check.fail('network.links', 'must be a list of link overrides');
    else
      net.links.forEach((link: unknown, i: number) => {
        const path = `network.links[${i}]`;
        if (!isRecord(link))
          return check.fail(path, 'must be an object like { from: "n1", to: "n2", latency: "50ms" }');
        const okFrom = link.from === '*' || check.node(link.from, `${path}.from`);
        const okTo = link.to === '*' || check.node(link.to, `${path}.to`);
        if (!okFrom || !okTo) return;
        const override: ResolvedLinkOverride = {
          from: link.from as string,
          to: link.to as string,
          ...(link.latency !== undefined
            ? { latency: check.latency(link.latency, `${path}.latency`, baseLatency) }
            : {}),
          ...(link.loss !== undefined ? { loss: check.probability(link.loss, `${path}.loss`) } : {}),
          ...(link.duplicate !== undefined
            ? { duplicate: check.probability(link.duplicate, `${path}.duplicate`) }
            : {}),
        };
        links.push(override);
        if (link.bothWays !== false && link.from !== link.to)
          links.push({ ...override, from: override.to, to: override.from });
      });
  }
  if (net.fifo !== undefined && typeof net.fifo !== 'boolean') check.fail('network.fifo', 'must be true or false');
  const messageLatency = readLatencyTable(net.messageLatency, 'network.messageLatency', 'InstallSnapshot', check);
  return {
    latency: baseLatency,
    loss: check.probability(net.loss, 'network.loss'),
    duplicate: check.probability(net.duplicate, 'network.duplicate'),
    fifo: net.fifo === true,
    links,
    clientLatency: check.latency(net.clientLatency, 'network.clientLatency', baseLatency),
    ...(messageLatency ? { messageLatency } : {}),
  };
}

/** A table of latencies by name (a message kind, a node), or undefined when absent or empty. */
function readLatencyTable(
  value: unknown,
  path: string,
  exampleKey: string,
  check: ScenarioChecker,
  isKey: (key: string, keyPath: string) => boolean = () => true,
): Record<string, LatencyDistribution> | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) {
    check.fail(path, `must be an object like { ${exampleKey}: '20ms' }`);
    return undefined;
  }
  const table: Record<string, LatencyDistribution> = {};
  for (const key of Object.keys(value).sort()) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') {
      check.fail(`${path}.${key}`, `'${key}' cannot name a latency`);
      continue;
    }
    if (!isKey(key, `${path}.${key}`)) continue;
    table[key] = check.latency(value[key], `${path}.${key}`, DEFAULT_LATENCY);
  }
  return Object.keys(table).length > 0 ? table : undefined;
}

function readStorage(value: unknown, nodes: readonly NodeId[], check: ScenarioChecker): ResolvedStorage | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) {
    check.fail('storage', `must be an object like { syncLatency: '2ms' }`);
    return undefined;
  }
  for (const key of Object.keys(value))
    if (key !== 'syncLatency' && key !== 'nodes')
      check.fail(`storage.${key}`, 'unknown field (known: syncLatency, nodes)');
  const all =
    value.syncLatency === undefined ? null : check.latency(value.syncLatency, 'storage.syncLatency', DEFAULT_LATENCY);
  const perNode = readLatencyTable(value.nodes, 'storage.nodes', nodes[0] ?? 'n1', check, (key, keyPath) =>
    check.node(key, keyPath),
  );
  const syncLatency = nodes.map((node) => perNode?.[node] ?? all);
  return syncLatency.some((latency) => latency !== null) ? { syncLatency } : undefined;
}

/** Each node's [id, offset, drift], in node order. */
function readClocks(value: unknown, nodes: readonly NodeId[], check: ScenarioChecker): Array<[NodeId, Micros, number]> {
  const clocks: Array<[NodeId, Micros, number]> = nodes.map((node) => [node, 0, 0]);
  if (value === undefined) return clocks;
  if (!isRecord(value)) {
    check.fail('clocks', `must map node ids to { offset, driftPpm }`);
    return clocks;
  }
  for (const [node, spec] of Object.entries(value)) {
    if (!check.node(node, `clocks.${node}`)) continue;
    if (!isRecord(spec)) {
      check.fail(`clocks.${node}`, 'must be { offset?: duration, driftPpm?: number }');
      continue;
    }
    const entry = clocks.find(([id]) => id === node)!;
    entry[1] = check.duration(spec.offset, `clocks.${node}.offset`, 0, { allowNegative: true });
    if (spec.driftPpm !== undefined) {
      if (typeof spec.driftPpm !== 'number' || !(Math.abs(spec.driftPpm) <= MAX_DRIFT_PPM)) {
        check.fail(`clocks.${node}.driftPpm`, `must be a number of parts per million within ±${MAX_DRIFT_PPM}`);
      } else entry[2] = spec.driftPpm;
    }
  }
  return clocks;
}

/** The written faults and the nemesis's, in time order (written ones keep their order at equal times). */
function readFaults(
  scenario: Fields,
  until: Micros,
  seed: number,
  nodes: readonly NodeId[],
  check: ScenarioChecker,
): Array<{ at: Micros; fault: Fault }> {
  const faults: Array<{ at: Micros; fault: Fault }> = [];
  if (scenario.faults !== undefined) {
    if (!Array.isArray(scenario.faults)) check.fail('faults', 'must be a list of { at, fault } records');
    else if (scenario.faults.length > LIMITS.scheduledFaults)
      check.fail('faults', `list at most ${LIMITS.scheduledFaults} faults (got ${scenario.faults.length})`);
    else
      scenario.faults.forEach((entry: unknown, i: number) => {
        const path = `faults[${i}]`;
        if (!isRecord(entry)) return check.fail(path, `must be { at: '5s', fault: { type: 'crash', node: 'n1' } }`);
        const at = check.duration(entry.at, `${path}.at`, 0);
        if (entry.at === undefined) check.fail(`${path}.at`, 'say when the fault happens');
        if (at >= until && until > 0)
          check.fail(`${path}.at`, `the fault at ${at}us comes after the run ends (until ${until}us)`);
        const fault = check.fault(entry.fault, `${path}.fault`);
        if (fault) faults.push({ at, fault });
      });
  }
  // The nemesis draws its schedule only for an otherwise sound scenario.
  if (scenario.nemesis !== undefined && check.ok) {
    const resolved = check.nemesis(scenario.nemesis, until);
    if (resolved) faults.push(...generateFaultSchedule(nodes, resolved, createRandom(seed, 'nemesis')));
  }
  faults.sort((a, b) => a.at - b.at);
  check.faultSequence(faults);
  return faults;
}

function readWorkload(
  spec: unknown,
  protocol: AnyProtocol | undefined,
  until: Micros,
  check: ScenarioChecker,
): ResolvedWorkload | undefined {
  if (spec === undefined) return undefined;
  if (!isRecord(spec)) {
    check.fail('workload', `must be { name: 'kv', clients: 3, ... }`);
    return undefined;
  }
  if (typeof spec.name !== 'string') check.fail('workload.name', "name one of the protocol's workloads");
  else if (protocol && !protocol.workloads?.[spec.name]) {
    check.fail(
      'workload.name',
      `'${protocol.name}' has no workload '${spec.name}'${protocol.workloads ? ` (workloads: ${Object.keys(protocol.workloads).join(', ')})` : ''}`,
    );
  }
  const clients = spec.clients ?? 3;
  const clientsOk =
    typeof clients === 'number' && Number.isInteger(clients) && clients >= 1 && clients <= LIMITS.clients;
  if (!clientsOk) check.fail('workload.clients', `must be a whole number of clients from 1 to ${LIMITS.clients}`);
  const opsPerClient = spec.opsPerClient ?? Number.MAX_SAFE_INTEGER;
  if (typeof opsPerClient !== 'number' || !Number.isInteger(opsPerClient) || opsPerClient < 0)
    check.fail('workload.opsPerClient', 'must be a whole number');
  if (spec.options !== undefined && !isRecord(spec.options)) check.fail('workload.options', 'must be an object');
  const timeout = check.duration(spec.timeout, 'workload.timeout', 1_000_000);
  if (timeout === 0) check.fail('workload.timeout', 'must be positive: a client needs time to hear back');
  const workload: ResolvedWorkload = {
    name: String(spec.name),
    clients: clientsOk ? clients : 1,
    thinkTime: check.duration(spec.thinkTime, 'workload.thinkTime', 10_000),
    timeout,
    startAt: check.duration(spec.startAt, 'workload.startAt', 0),
    stopAt: check.duration(spec.stopAt, 'workload.stopAt', until),
    opsPerClient: opsPerClient as number,
    options: (spec.options as Record<string, unknown>) ?? {},
  };
  for (let i = 1; i <= workload.clients; i++)
    if (check.hasNode(`c${i}`))
      check.fail('nodes', `node id 'c${i}' clashes with a client id; clients are c1..c${workload.clients}`);
  return workload;
}

function readBudget(value: unknown, nodes: number, until: Micros, check: ScenarioChecker): ResolvedBudget {
  const standard = Math.max(BUDGET_MINIMUM, Math.ceil((nodes * until * BUDGET_PER_NODE_SECOND) / 1_000_000));
  const budget = { events: standard, messages: standard };
  if (value === undefined) return budget;
  if (!isRecord(value)) {
    check.fail('budget', 'must be { events?: number, messages?: number }');
    return budget;
  }
  for (const key of Object.keys(value)) {
    if (key !== 'events' && key !== 'messages') {
      check.fail(`budget.${key}`, `unknown field (a budget has 'events' and 'messages')`);
      continue;
    }
    const limit = value[key];
    if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1)
      check.fail(`budget.${key}`, `must be a positive whole number, got ${describeValue(limit)}`);
    else budget[key] = limit;
  }
  return budget;
}

function readInvariants(value: unknown, protocol: AnyProtocol | undefined, check: ScenarioChecker): Invariant[] {
  const invariants: Invariant[] = [];
  const available = new Map((protocol?.invariants ?? []).map((invariant) => [invariant.name, invariant]));
  if (value === undefined) invariants.push(...available.values());
  else if (!Array.isArray(value)) check.fail('invariants', 'must be a list of invariant names or invariant objects');
  else
    value.forEach((entry: unknown, i: number) => {
      if (typeof entry === 'string') {
        const found = available.get(entry);
        if (found) invariants.push(found);
        else
          check.fail(
            `invariants[${i}]`,
            `'${protocol?.name ?? '?'}' has no invariant '${entry}' (invariants: ${[...available.keys()].join(', ') || 'none'})`,
          );
      } else if (isRecord(entry) && typeof entry.check === 'function' && typeof entry.name === 'string')
        invariants.push(entry as unknown as Invariant);
      else check.fail(`invariants[${i}]`, 'must be an invariant name or an invariant object { name, kind, check }');
    });
  return invariants;
}
