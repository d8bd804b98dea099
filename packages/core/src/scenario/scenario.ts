import { MAX_DRIFT_PPM } from '../kernel/clock.ts';
import { NETWORK_FAULTS, nodesNamedBy, type Fault, type ScheduledFault } from '../faults/faults.ts';
import { intern } from '../kernel/intern.ts';
import type { Invariant } from '../author/invariant.ts';
import type { LatencyDistribution } from '../kernel/latency.ts';
import {
  NEMESIS_KINDS,
  PARTITION_SHAPES,
  generateFaultSchedule,
  type NemesisSpec,
  type ResolvedNemesis,
} from '../faults/nemesis.ts';
import type { ResolvedLinkOverride, ResolvedNetwork } from '../kernel/network.ts';
import type { AnyProtocol, NodeId } from '../author/protocol.ts';
import { createRandom } from '../random/random.ts';
import { describeValue, parseDuration, type Duration, type Micros } from '../time/time.ts';
import type { WorkloadSpec } from '../author/workload.ts';

/** A latency distribution as a user writes it: durations may carry units, a bare duration means constant. */
export type LatencySpec =
  | Duration
  | { readonly dist: 'constant'; readonly micros: Duration }
  | { readonly dist: 'uniform'; readonly min: Duration; readonly max: Duration }
  | { readonly dist: 'exponential'; readonly mean: Duration; readonly min?: Duration }
  | { readonly dist: 'normal'; readonly mean: Duration; readonly stddev: Duration; readonly min?: Duration }
  | { readonly dist: 'lognormal'; readonly median: Duration; readonly sigma: number; readonly min?: Duration };

export interface LinkSpec {
  /** A node id, or '*' for every node. */
  readonly from: NodeId | '*';
  readonly to: NodeId | '*';
  readonly latency?: LatencySpec;
  readonly loss?: number;
  readonly duplicate?: number;
  /** Also apply to the reverse direction. Default true. */
  readonly bothWays?: boolean;
}

export interface NetworkSpec {
  /** Default: uniform 1ms..5ms. */
  readonly latency?: LatencySpec;
  /** Probability each message is lost. Default 0. */
  readonly loss?: number;
  /** Probability each message is delivered twice. Default 0. */
  readonly duplicate?: number;
  /** Deliver in send order on each link, as TCP does. Default false (latency variance reorders). */
  readonly fifo?: boolean;
  readonly links?: readonly LinkSpec[];
  /** Latency between clients and nodes. Default: the network latency. */
  readonly clientLatency?: LatencySpec;
}

export interface ClockSpec {
  /** Initial offset of the local clock from global time. */
  readonly offset?: Duration;
  /** Drift in parts per million (positive runs fast). */
  readonly driftPpm?: number;
}

/**
 * A scenario: which protocol, which nodes, what network, what faults, what clients do, and
 * what must hold. Plain data (JSON works as well as TypeScript), except that a TypeScript
 * scenario may pass a protocol object and extra invariants.
 */
export interface Scenario {
  readonly name: string;
  readonly description?: string;
  /** A protocol name from the registry ('raft'), or a protocol object. */
  readonly protocol: string | AnyProtocol;
  /** A count (nodes n1..nN) or explicit ids. */
  readonly nodes: number | readonly NodeId[];
  /** Default seed when none is given on the command line. */
  readonly seed?: number;
  /** The run stops at this global time. */
  readonly until: Duration;
  /** Overrides of the protocol's defaults (deep-merged). */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Bug switches to turn on (names from the protocol's `bugs`). */
  readonly bugs?: readonly string[];
  readonly network?: NetworkSpec;
  /** Initial clock state per node. */
  readonly clocks?: Readonly<Record<NodeId, ClockSpec>>;
  /** An explicit fault schedule. */
  readonly faults?: readonly ScheduledFault[];
  /** Faults generated from the seed, added to the explicit ones. */
  readonly nemesis?: NemesisSpec;
  readonly workload?: WorkloadSpec;
  /**
   * Which invariants to check: names of the protocol's invariants and/or invariant objects.
   * Default: all of the protocol's.
   */
  readonly invariants?: ReadonlyArray<string | Invariant>;
  /** Stop at the first violation. Default true. */
  readonly stopOnViolation?: boolean;
  /** Record each node's full state in the trace whenever it changes (large). Default false. */
  readonly traceFullState?: boolean;
}

/** Identity function that type-checks a scenario in a `.ts` file. */
export function defineScenario<S extends Scenario>(scenario: S): S {
  return scenario;
}

export interface ScenarioIssue {
  /** Where in the scenario: 'faults[2].fault.node'. */
  readonly path: string;
  readonly message: string;
}

/** A scenario that cannot run. Its message lists every problem with its field and a fix. */
export class ScenarioError extends Error {
  constructor(
    readonly issues: readonly ScenarioIssue[],
    readonly source?: string,
  ) {
    super(
      `${source ? `${source}: ` : ''}the scenario is not valid:\n` +
        issues.map((issue) => `  - ${issue.path ? `${issue.path}: ` : ''}${issue.message}`).join('\n'),
    );
    this.name = 'ScenarioError';
  }
}

export interface ResolvedWorkload {
  readonly name: string;
  readonly clients: number;
  readonly thinkTime: Micros;
  readonly timeout: Micros;
  readonly startAt: Micros;
  readonly stopAt: Micros;
  readonly opsPerClient: number;
  readonly options: Readonly<Record<string, unknown>>;
}

/** A scenario with every default applied, every duration in microseconds, and faults generated. */
export interface ResolvedScenario {
  readonly name: string;
  readonly description?: string;
  readonly protocol: AnyProtocol;
  readonly nodes: readonly NodeId[];
  readonly seed: number;
  readonly until: Micros;
  readonly config: unknown;
  readonly bugs: readonly string[];
  readonly network: ResolvedNetwork;
  readonly clocks: ReadonlyArray<readonly [NodeId, Micros, number]>;
  readonly faults: ReadonlyArray<{ readonly at: Micros; readonly fault: Fault }>;
  readonly faultsEndAt: Micros;
  readonly workload?: ResolvedWorkload;
  readonly invariants: readonly Invariant[];
  readonly stopOnViolation: boolean;
  readonly traceFullState: boolean;
}

export type ProtocolRegistry = Readonly<Record<string, AnyProtocol>>;

export interface ResolveOptions {
  readonly registry?: ProtocolRegistry;
  readonly seed?: number;
  readonly until?: Duration;
  /** Where the scenario came from, for error messages. */
  readonly source?: string;
}

const DEFAULT_LATENCY: LatencyDistribution = { dist: 'uniform', min: 1_000, max: 5_000 };
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
  'clocks',
  'faults',
  'nemesis',
  'workload',
  'invariants',
  'stopOnViolation',
  'traceFullState',
]);

/**
 * Validates a scenario and applies every default. Throws a ScenarioError that lists all problems
 * at once, each with its field and a fix; never a stack trace from deep inside the kernel.
 */
export function resolveScenario(input: unknown, options: ResolveOptions = {}): ResolvedScenario {
  const issues: ScenarioIssue[] = [];
  const fail = (path: string, message: string) => issues.push({ path, message });
  const duration = (value: unknown, path: string, fallback: Micros, { allowNegative = false } = {}): Micros => {
    if (value === undefined) return fallback;
    const parsed = parseDuration(value);
    if (typeof parsed !== 'number') {
      fail(path, parsed.error);
      return fallback;
    }
    if (!allowNegative && parsed < 0) {
      fail(path, `must not be negative (got ${String(value)})`);
      return fallback;
    }
    return parsed;
  };
  const probability = (value: unknown, path: string): number => {
    if (value === undefined) return 0;
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
      fail(path, `must be a probability between 0 and 1, got ${describeValue(value)}`);
      return 0;
    }
    return value;
  };

  if (!isRecord(input))
    throw new ScenarioError(
      [{ path: '', message: `a scenario must be an object, got ${describeValue(input)}` }],
      options.source,
    );
  const scenario = input as Record<string, unknown>;
  for (const key of Object.keys(scenario)) {
    if (!SCENARIO_FIELDS.has(key)) fail(key, `unknown field (known fields: ${[...SCENARIO_FIELDS].join(', ')})`);
  }

  // name
  const name = typeof scenario.name === 'string' && scenario.name.trim() !== '' ? scenario.name : 'unnamed';
  if (typeof scenario.name !== 'string' || scenario.name.trim() === '')
    fail('name', `give the scenario a name (a non-empty string)`);

  // protocol
  let protocol: AnyProtocol | undefined;
  if (typeof scenario.protocol === 'string') {
    protocol = options.registry?.[scenario.protocol];
    if (!protocol) {
      const known = Object.keys(options.registry ?? {});
      fail(
        'protocol',
        `unknown protocol '${scenario.protocol}'${known.length ? ` (known: ${known.join(', ')})` : ' (no protocol registry was given)'}`,
      );
    }
  } else if (isRecord(scenario.protocol) && typeof scenario.protocol.init === 'function') {
    protocol = scenario.protocol as unknown as AnyProtocol;
  } else {
    fail(
      'protocol',
      `must be a protocol name such as 'raft' or a protocol object, got ${describeValue(scenario.protocol)}`,
    );
  }

  // nodes
  let nodes: NodeId[] = [];
  if (typeof scenario.nodes === 'number') {
    if (!Number.isInteger(scenario.nodes) || scenario.nodes < 1)
      fail('nodes', `must be a positive whole number of nodes or a list of ids, got ${scenario.nodes}`);
    else nodes = Array.from({ length: scenario.nodes }, (_, i) => `n${i + 1}`);
  } else if (Array.isArray(scenario.nodes)) {
    const seen = new Set<string>();
    scenario.nodes.forEach((node, i) => {
      if (typeof node !== 'string' || node === '' || node === '*')
        fail(`nodes[${i}]`, `a node id must be a non-empty string other than '*', got ${describeValue(node)}`);
      else if (seen.has(node)) fail(`nodes[${i}]`, `duplicate node id '${node}'`);
      else seen.add(node);
    });
    nodes = [...seen];
    if (scenario.nodes.length === 0) fail('nodes', 'list at least one node');
  } else {
    fail('nodes', `must be a node count or a list of node ids, got ${describeValue(scenario.nodes)}`);
  }
  nodes = nodes.map(intern);
  const nodeSet = new Set(nodes);
  const checkNode = (value: unknown, path: string) => {
    if (typeof value !== 'string' || !nodeSet.has(value)) {
      fail(path, `unknown node ${describeValue(value)} (nodes are ${nodes.join(', ')})`);
      return false;
    }
    return true;
  };

  // seed and time
  let seed = options.seed ?? scenario.seed ?? 1;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
    fail('seed', `must be a non-negative whole number, got ${describeValue(seed)}`);
    seed = 1;
  }
  const until = duration(options.until ?? scenario.until, 'until', 0);
  if (scenario.until === undefined && options.until === undefined)
    fail('until', `say when the run ends, e.g. until: '30s'`);
  else if (until <= 0) fail('until', 'must be after time 0');

  // config and bugs
  let config: unknown = protocol?.defaults;
  if (scenario.config !== undefined) {
    if (!isRecord(scenario.config)) fail('config', `must be an object of overrides for the protocol's defaults`);
    else if (protocol) {
      for (const key of Object.keys(scenario.config)) {
        if (isRecord(protocol.defaults) && !(key in protocol.defaults)) {
          fail(
            `config.${key}`,
            `'${protocol.name}' has no setting '${key}' (settings: ${Object.keys(protocol.defaults).join(', ')})`,
          );
        }
      }
      config = deepMerge(protocol.defaults, scenario.config);
    }
  }
  if (protocol?.validateConfig && issues.length === 0) {
    for (const problem of protocol.validateConfig(config, nodes)) fail('config', problem);
  }
  const bugs: string[] = [];
  if (scenario.bugs !== undefined) {
    if (!Array.isArray(scenario.bugs)) fail('bugs', 'must be a list of bug switch names');
    else
      scenario.bugs.forEach((bug, i) => {
        if (protocol && (typeof bug !== 'string' || !protocol.bugs?.[bug])) {
          const known = Object.keys(protocol.bugs ?? {});
          fail(
            `bugs[${i}]`,
            `'${protocol.name}' has no bug switch ${describeValue(bug)}${known.length ? ` (switches: ${known.join(', ')})` : ''}`,
          );
        } else if (typeof bug === 'string') bugs.push(bug);
      });
  }

  // network
  const latency = (value: unknown, path: string, fallback: LatencyDistribution): LatencyDistribution => {
    if (value === undefined) return fallback;
    if (typeof value === 'number' || typeof value === 'string')
      return { dist: 'constant', micros: duration(value, path, 0) };
    if (!isRecord(value)) {
      fail(path, `must be a duration or a distribution such as { dist: 'uniform', min: '1ms', max: '5ms' }`);
      return fallback;
    }
    const d = (field: string, fallbackMicros = 0) => duration(value[field], `${path}.${field}`, fallbackMicros);
    const need = (...fields: string[]) =>
      fields.forEach(
        (field) =>
          value[field] === undefined &&
          fail(`${path}.${field}`, `a '${String(value.dist)}' distribution needs '${field}'`),
      );
    switch (value.dist) {
      case 'constant':
        need('micros');
        return { dist: 'constant', micros: d('micros') };
      case 'uniform': {
        need('min', 'max');
        const min = d('min');
        const max = d('max');
        if (max < min) fail(`${path}.max`, `max (${max}us) is below min (${min}us)`);
        return { dist: 'uniform', min, max: Math.max(min, max) };
      }
      case 'exponential':
        need('mean');
        return { dist: 'exponential', mean: d('mean'), min: d('min') };
      case 'normal':
        need('mean', 'stddev');
        return { dist: 'normal', mean: d('mean'), stddev: d('stddev'), min: d('min') };
      case 'lognormal':
        need('median', 'sigma');
        if (typeof value.sigma !== 'number' || value.sigma < 0) fail(`${path}.sigma`, 'must be a non-negative number');
        return {
          dist: 'lognormal',
          median: d('median'),
          sigma: typeof value.sigma === 'number' ? value.sigma : 0,
          min: d('min'),
        };
      default:
        fail(
          `${path}.dist`,
          `unknown distribution ${describeValue(value.dist)} (use constant, uniform, exponential, normal or lognormal)`,
        );
        return fallback;
    }
  };
  const networkInput = scenario.network === undefined ? {} : scenario.network;
  if (!isRecord(networkInput)) fail('network', 'must be an object');
  const net = isRecord(networkInput) ? networkInput : {};
  const baseLatency = latency(net.latency, 'network.latency', DEFAULT_LATENCY);
  const links: ResolvedLinkOverride[] = [];
  if (net.links !== undefined) {
    if (!Array.isArray(net.links)) fail('network.links', 'must be a list of link overrides');
    else
      net.links.forEach((link: unknown, i: number) => {
        const path = `network.links[${i}]`;
        if (!isRecord(link)) return fail(path, 'must be an object like { from: "n1", to: "n2", latency: "50ms" }');
        const okFrom = link.from === '*' || checkNode(link.from, `${path}.from`);
        const okTo = link.to === '*' || checkNode(link.to, `${path}.to`);
        if (!okFrom || !okTo) return;
        const override: ResolvedLinkOverride = {
          from: link.from as string,
          to: link.to as string,
          ...(link.latency !== undefined ? { latency: latency(link.latency, `${path}.latency`, baseLatency) } : {}),
          ...(link.loss !== undefined ? { loss: probability(link.loss, `${path}.loss`) } : {}),
          ...(link.duplicate !== undefined ? { duplicate: probability(link.duplicate, `${path}.duplicate`) } : {}),
        };
        links.push(override);
        if (link.bothWays !== false && link.from !== link.to)
          links.push({ ...override, from: override.to, to: override.from });
      });
  }
  if (net.fifo !== undefined && typeof net.fifo !== 'boolean') fail('network.fifo', 'must be true or false');
  const network: ResolvedNetwork = {
    latency: baseLatency,
    loss: probability(net.loss, 'network.loss'),
    duplicate: probability(net.duplicate, 'network.duplicate'),
    fifo: net.fifo === true,
    links,
    clientLatency: latency(net.clientLatency, 'network.clientLatency', baseLatency),
  };

  // clocks
  const clocks: Array<[NodeId, Micros, number]> = nodes.map((node) => [node, 0, 0]);
  if (scenario.clocks !== undefined) {
    if (!isRecord(scenario.clocks)) fail('clocks', `must map node ids to { offset, driftPpm }`);
    else
      for (const [node, spec] of Object.entries(scenario.clocks)) {
        if (!checkNode(node, `clocks.${node}`)) continue;
        if (!isRecord(spec)) {
          fail(`clocks.${node}`, 'must be { offset?: duration, driftPpm?: number }');
          continue;
        }
        const entry = clocks.find(([id]) => id === node)!;
        entry[1] = duration(spec.offset, `clocks.${node}.offset`, 0, { allowNegative: true });
        if (spec.driftPpm !== undefined) {
          if (typeof spec.driftPpm !== 'number' || Math.abs(spec.driftPpm) > MAX_DRIFT_PPM) {
            fail(`clocks.${node}.driftPpm`, `must be a number of parts per million within ±${MAX_DRIFT_PPM}`);
          } else entry[2] = spec.driftPpm;
        }
      }
  }

  // faults
  const faults: Array<{ at: Micros; fault: Fault }> = [];
  if (scenario.faults !== undefined) {
    if (!Array.isArray(scenario.faults)) fail('faults', 'must be a list of { at, fault } records');
    else
      scenario.faults.forEach((entry: unknown, i: number) => {
        const path = `faults[${i}]`;
        if (!isRecord(entry)) return fail(path, `must be { at: '5s', fault: { type: 'crash', node: 'n1' } }`);
        const at = duration(entry.at, `${path}.at`, 0);
        if (entry.at === undefined) fail(`${path}.at`, 'say when the fault happens');
        if (at >= until && until > 0)
          fail(`${path}.at`, `the fault at ${at}us comes after the run ends (until ${until}us)`);
        const fault = validateFault(entry.fault, `${path}.fault`, fail, checkNode, latency, probability, duration);
        if (fault) faults.push({ at, fault });
      });
  }

  // nemesis
  if (scenario.nemesis !== undefined && issues.length === 0) {
    const resolved = resolveNemesis(scenario.nemesis, until, fail, duration);
    if (resolved) {
      const random = createRandom(seed as number, 'nemesis');
      faults.push(...generateFaultSchedule(nodes, resolved, random));
    }
  }
  // Stable sort: explicit faults keep their written order at equal times.
  faults.sort((a, b) => a.at - b.at);
  checkFaultSequence(faults, fail);
  const faultsEndAt = faults.length ? faults[faults.length - 1]!.at : 0;

  // workload
  let workload: ResolvedWorkload | undefined;
  if (scenario.workload !== undefined) {
    const spec = scenario.workload;
    if (!isRecord(spec)) fail('workload', `must be { name: 'kv', clients: 3, ... }`);
    else {
      if (typeof spec.name !== 'string') fail('workload.name', "name one of the protocol's workloads");
      else if (protocol && !protocol.workloads?.[spec.name]) {
        fail(
          'workload.name',
          `'${protocol.name}' has no workload '${spec.name}'${protocol.workloads ? ` (workloads: ${Object.keys(protocol.workloads).join(', ')})` : ''}`,
        );
      }
      const clients = spec.clients ?? 3;
      if (typeof clients !== 'number' || !Number.isInteger(clients) || clients < 1)
        fail('workload.clients', 'must be a positive whole number');
      const opsPerClient = spec.opsPerClient ?? Number.MAX_SAFE_INTEGER;
      if (typeof opsPerClient !== 'number' || !Number.isInteger(opsPerClient) || opsPerClient < 0)
        fail('workload.opsPerClient', 'must be a whole number');
      if (spec.options !== undefined && !isRecord(spec.options)) fail('workload.options', 'must be an object');
      const timeout = duration(spec.timeout, 'workload.timeout', 1_000_000);
      if (timeout === 0) fail('workload.timeout', 'must be positive: a client needs time to hear back');
      workload = {
        name: String(spec.name),
        clients: clients as number,
        thinkTime: duration(spec.thinkTime, 'workload.thinkTime', 10_000),
        timeout,
        startAt: duration(spec.startAt, 'workload.startAt', 0),
        stopAt: duration(spec.stopAt, 'workload.stopAt', until),
        opsPerClient: opsPerClient as number,
        options: (spec.options as Record<string, unknown>) ?? {},
      };
      const clientIds = Array.from({ length: workload.clients }, (_, i) => `c${i + 1}`);
      for (const id of clientIds)
        if (nodeSet.has(id))
          fail('nodes', `node id '${id}' clashes with a client id; clients are c1..c${workload.clients}`);
    }
  }

  // invariants
  const invariants: Invariant[] = [];
  const available = new Map((protocol?.invariants ?? []).map((invariant) => [invariant.name, invariant]));
  if (scenario.invariants === undefined) invariants.push(...available.values());
  else if (!Array.isArray(scenario.invariants))
    fail('invariants', 'must be a list of invariant names or invariant objects');
  else
    scenario.invariants.forEach((entry: unknown, i: number) => {
      if (typeof entry === 'string') {
        const found = available.get(entry);
        if (found) invariants.push(found);
        else
          fail(
            `invariants[${i}]`,
            `'${protocol?.name ?? '?'}' has no invariant '${entry}' (invariants: ${[...available.keys()].join(', ') || 'none'})`,
          );
      } else if (isRecord(entry) && typeof entry.check === 'function' && typeof entry.name === 'string')
        invariants.push(entry as unknown as Invariant);
      else fail(`invariants[${i}]`, 'must be an invariant name or an invariant object { name, kind, check }');
    });

  for (const flag of ['stopOnViolation', 'traceFullState'] as const) {
    if (scenario[flag] !== undefined && typeof scenario[flag] !== 'boolean') fail(flag, 'must be true or false');
  }

  if (issues.length > 0 || !protocol) throw new ScenarioError(issues, options.source);
  return {
    name,
    description: typeof scenario.description === 'string' ? scenario.description : undefined,
    protocol,
    nodes,
    seed: seed as number,
    until,
    config,
    bugs,
    network,
    clocks,
    faults,
    faultsEndAt,
    workload,
    invariants,
    stopOnViolation: scenario.stopOnViolation !== false,
    traceFullState: scenario.traceFullState === true,
  };
}

type Fail = (path: string, message: string) => void;

function validateFault(
  value: unknown,
  path: string,
  fail: Fail,
  checkNode: (value: unknown, path: string) => boolean,
  latency: (value: unknown, path: string, fallback: LatencyDistribution) => LatencyDistribution,
  probability: (value: unknown, path: string) => number,
  duration: (value: unknown, path: string, fallback: Micros, options?: { allowNegative?: boolean }) => Micros,
): Fault | undefined {
  if (!isRecord(value) || typeof value.type !== 'string') {
    fail(path, `must be a fault object with a 'type' (${FAULT_TYPES.join(', ')})`);
    return undefined;
  }
  const nodeList = (field: string): boolean => {
    const list = value[field];
    if (!Array.isArray(list) || list.length === 0) {
      fail(`${path}.${field}`, 'must be a non-empty list of node ids');
      return false;
    }
    return list.every((node, i) => checkNode(node, `${path}.${field}[${i}]`));
  };
  switch (value.type) {
    case 'partition': {
      if (!Array.isArray(value.groups) || value.groups.length === 0) {
        fail(`${path}.groups`, `must be a list of node groups, e.g. [['n1','n2'], ['n3','n4','n5']]`);
        return undefined;
      }
      const seen = new Set<string>();
      let ok = true;
      value.groups.forEach((group: unknown, g: number) => {
        if (!Array.isArray(group)) {
          fail(`${path}.groups[${g}]`, 'must be a list of node ids');
          ok = false;
          return;
        }
        group.forEach((node: unknown, i: number) => {
          if (!checkNode(node, `${path}.groups[${g}][${i}]`)) ok = false;
          else if (seen.has(node as string)) {
            fail(`${path}.groups[${g}][${i}]`, `node '${String(node)}' is in two groups`);
            ok = false;
          } else seen.add(node as string);
        });
      });
      return ok ? (value as unknown as Fault) : undefined;
    }
    case 'bridge': {
      const ok = checkNode(value.bridge, `${path}.bridge`);
      if (!Array.isArray(value.groups) || value.groups.length !== 2) {
        fail(`${path}.groups`, 'a bridge needs exactly two groups');
        return undefined;
      }
      const okGroups = value.groups.every(
        (group: unknown, g: number) =>
          Array.isArray(group) && group.every((node, i) => checkNode(node, `${path}.groups[${g}][${i}]`)),
      );
      return ok && okGroups ? (value as unknown as Fault) : undefined;
    }
    case 'cut':
      return nodeList('from') && nodeList('to') ? (value as unknown as Fault) : undefined;
    case 'ring':
    case 'heal':
      return { type: value.type };
    case 'isolate':
    case 'restart':
    case 'pause':
    case 'resume':
      return checkNode(value.node, `${path}.node`) ? ({ type: value.type, node: value.node } as Fault) : undefined;
    case 'crash':
      if (value.loseUnsyncedWrites !== undefined && typeof value.loseUnsyncedWrites !== 'boolean')
        fail(`${path}.loseUnsyncedWrites`, 'must be true or false');
      return checkNode(value.node, `${path}.node`) ? (value as unknown as Fault) : undefined;
    case 'clockJump': {
      if (value.delta === undefined) fail(`${path}.delta`, `say how far the clock jumps, e.g. '-2s' or '500ms'`);
      const delta = duration(value.delta, `${path}.delta`, 0, { allowNegative: true });
      return checkNode(value.node, `${path}.node`)
        ? { type: 'clockJump', node: value.node as string, delta }
        : undefined;
    }
    case 'clockDrift':
      if (typeof value.ppm !== 'number' || Math.abs(value.ppm) > MAX_DRIFT_PPM) {
        fail(`${path}.ppm`, `must be a drift in parts per million within ±${MAX_DRIFT_PPM}`);
        return undefined;
      }
      return checkNode(value.node, `${path}.node`) ? (value as unknown as Fault) : undefined;
    case 'loss':
    case 'duplicate':
      if (value.probability === undefined) fail(`${path}.probability`, 'say how likely, between 0 and 1');
      return { type: value.type, probability: probability(value.probability, `${path}.probability`) };
    case 'slow':
      if (value.latency === undefined) fail(`${path}.latency`, 'give the latency during the fault');
      return { type: 'slow', latency: latency(value.latency, `${path}.latency`, DEFAULT_LATENCY) };
    default:
      fail(`${path}.type`, `unknown fault type '${value.type}' (known: ${FAULT_TYPES.join(', ')})`);
      return undefined;
  }
}

const FAULT_TYPES = [
  'partition',
  'isolate',
  'bridge',
  'ring',
  'cut',
  'heal',
  'crash',
  'restart',
  'pause',
  'resume',
  'clockJump',
  'clockDrift',
  'loss',
  'duplicate',
  'slow',
];

/** Rejects schedules that cannot happen: crashing a crashed node, restarting a running one, pausing a crashed one. */
function checkFaultSequence(faults: ReadonlyArray<{ at: Micros; fault: Fault }>, fail: Fail): void {
  const crashed = new Map<string, Micros>();
  const paused = new Map<string, Micros>();
  for (const [i, { at, fault }] of faults.entries()) {
    if (NETWORK_FAULTS.has(fault.type)) continue;
    const node = nodesNamedBy(fault)[0]!;
    const where = `faults (time order #${i}, at ${at}us)`;
    switch (fault.type) {
      case 'crash':
        if (crashed.has(node))
          fail(where, `crashes ${node}, which is already down since ${crashed.get(node)}us; restart it first`);
        crashed.set(node, at);
        paused.delete(node);
        break;
      case 'restart':
        if (!crashed.has(node)) fail(where, `restarts ${node}, which is running; crash it first`);
        crashed.delete(node);
        break;
      case 'pause':
        if (crashed.has(node)) fail(where, `pauses ${node}, which is crashed`);
        else if (paused.has(node)) fail(where, `pauses ${node}, which is already paused since ${paused.get(node)}us`);
        else paused.set(node, at);
        break;
      case 'resume':
        if (!paused.has(node)) fail(where, `resumes ${node}, which is not paused`);
        paused.delete(node);
        break;
      default:
        break;
    }
  }
}

function resolveNemesis(
  value: unknown,
  until: Micros,
  fail: Fail,
  duration: (value: unknown, path: string, fallback: Micros, options?: { allowNegative?: boolean }) => Micros,
): ResolvedNemesis | undefined {
  if (!isRecord(value)) {
    fail('nemesis', `must be an object such as { faults: 5, kinds: ['partition', 'crash'] }`);
    return undefined;
  }
  const kinds = (value.kinds as unknown[] | undefined) ?? ['partition', 'crash', 'pause'];
  if (!Array.isArray(kinds) || kinds.length === 0 || !kinds.every((kind) => NEMESIS_KINDS.includes(kind as never))) {
    fail('nemesis.kinds', `must be a non-empty list of ${NEMESIS_KINDS.join(', ')}`);
    return undefined;
  }
  const shapes = (value.shapes as unknown[] | undefined) ?? PARTITION_SHAPES;
  if (
    !Array.isArray(shapes) ||
    shapes.length === 0 ||
    !shapes.every((shape) => PARTITION_SHAPES.includes(shape as never))
  ) {
    fail('nemesis.shapes', `must be a non-empty list of ${PARTITION_SHAPES.join(', ')}`);
    return undefined;
  }
  const faults = value.faults ?? 5;
  if (typeof faults !== 'number' || !Number.isInteger(faults) || faults < 0)
    fail('nemesis.faults', 'must be a whole number of fault episodes');
  const from = duration(value.from, 'nemesis.from', Math.min(1_000_000, Math.floor(until / 10)));
  const healAt = duration(value.healAt, 'nemesis.healAt', Math.floor((until * 2) / 3));
  if (healAt >= until)
    fail('nemesis.healAt', `must be before the end of the run (${until}us) so a quiet period follows`);
  if (healAt < from) fail('nemesis.healAt', `must not be before nemesis.from`);
  const minDuration = duration(value.minDuration, 'nemesis.minDuration', 200_000);
  const maxDuration = duration(value.maxDuration, 'nemesis.maxDuration', 5_000_000);
  if (maxDuration < minDuration) fail('nemesis.maxDuration', 'must not be below minDuration');
  const probability = value.probability ?? 0.3;
  if (typeof probability !== 'number' || probability < 0 || probability > 1)
    fail('nemesis.probability', 'must be between 0 and 1');
  return {
    faults: faults as number,
    kinds: kinds as ResolvedNemesis['kinds'],
    shapes: shapes as ResolvedNemesis['shapes'],
    from,
    healAt,
    minDuration,
    maxDuration,
    clockJumpMax: duration(value.clockJumpMax, 'nemesis.clockJumpMax', 500_000),
    driftPpmMax: typeof value.driftPpmMax === 'number' ? value.driftPpmMax : 1_000,
    probability: probability as number,
    loseUnsyncedWrites: value.loseUnsyncedWrites === true,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Merges plain objects recursively; arrays and other values in `override` replace. */
export function deepMerge(base: unknown, override: unknown): unknown {
  if (!isRecord(base) || !isRecord(override)) return override === undefined ? base : override;
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) result[key] = deepMerge(base[key], value);
  return result;
}
