import { Type, type TObject, type TProperties, type TSchema } from '@sinclair/typebox/type';
import { Errors, ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { FAULT_TYPES } from '../faults/faults.ts';
import { NEMESIS_KINDS, PARTITION_SHAPES } from '../faults/nemesis.ts';
import { MAX_DRIFT_PPM } from '../kernel/clock.ts';
import { describeValue, DURATION_PATTERN } from '../time/time.ts';
import { LIMITS } from './limits.ts';
import type { ScenarioIssue } from './schema.ts';

/*
 * The shape of a scenario file as a TypeBox schema. TypeBox was chosen because its schemas are
 * JSON Schema objects already: the published scenario.schema.json is this value written out, with
 * nothing lost in a conversion, and `Errors` validates with it without compiling code at run
 * time (the visualizer's page forbids eval). Each `errorMessage` (the keyword VS Code's JSON
 * service shows) is the message dsim prints, so an editor and the CLI say the same thing.
 *
 * The schema checks shape: types, required fields, unknown fields, enumerations and fixed ranges.
 * What needs the rest of the scenario (a fault naming a node that exists, a bug switch the
 * protocol has, a crash of a node already down) stays with the checker in checker.ts and
 * resolve.ts, whose message for a field wins when both find a problem there.
 */

const closed = { additionalProperties: false } as const;

const Duration = Type.Union([Type.Integer(), Type.String({ pattern: DURATION_PATTERN.source })], {
  description: "A duration: integer microseconds, or a number with a unit (us, ms, s, m, h), e.g. '150ms', '2s'.",
  errorMessage:
    "must be a duration: an integer of microseconds or a number with a unit (us, ms, s, m, h), e.g. '150ms'",
});

const Probability = Type.Number({
  minimum: 0,
  maximum: 1,
  description: 'A probability from 0 to 1.',
  errorMessage: 'must be a probability between 0 and 1',
});

const NodeId = Type.String({
  minLength: 1,
  maxLength: LIMITS.nodeIdLength,
  description: 'A node id, e.g. n1.',
  errorMessage: 'must be a node id (a non-empty string)',
});

const NodeList = Type.Array(NodeId, { minItems: 1, errorMessage: 'must be a non-empty list of node ids' });

const Drift = Type.Number({
  minimum: -MAX_DRIFT_PPM,
  maximum: MAX_DRIFT_PPM,
  errorMessage: `must be a drift in parts per million within ±${MAX_DRIFT_PPM}`,
});

const optionalMin = { min: Type.Optional(Duration) };

const Latency = Type.Union(
  [
    Duration,
    Type.Object({ dist: Type.Literal('constant'), micros: Duration }, closed),
    Type.Object({ dist: Type.Literal('uniform'), min: Duration, max: Duration }, closed),
    Type.Object({ dist: Type.Literal('exponential'), mean: Duration, ...optionalMin }, closed),
    Type.Object({ dist: Type.Literal('normal'), mean: Duration, stddev: Duration, ...optionalMin }, closed),
    Type.Object(
      {
        dist: Type.Literal('lognormal'),
        median: Duration,
        sigma: Type.Number({
          minimum: 0,
          maximum: LIMITS.lognormalSigma,
          errorMessage: `must be a number from 0 to ${LIMITS.lognormalSigma}`,
        }),
        ...optionalMin,
      },
      closed,
    ),
  ],
  {
    description: "A constant duration, or a distribution such as { dist: 'uniform', min: '1ms', max: '5ms' }.",
    errorMessage:
      "must be a duration or a distribution such as { dist: 'uniform', min: '1ms', max: '5ms' } (dist: constant, uniform, exponential, normal or lognormal)",
  },
);

const LatencyTable = Type.Record(Type.String(), Latency);

const fault = <P extends TProperties>(type: (typeof FAULT_TYPES)[number], properties: P, description: string) =>
  Type.Object({ type: Type.Literal(type), ...properties }, { ...closed, description });

const NodeFault = (type: 'isolate' | 'restart' | 'pause' | 'resume', description: string) =>
  fault(type, { node: NodeId }, description);

const Fault = Type.Union(
  [
    fault(
      'partition',
      { groups: Type.Array(Type.Array(NodeId), { minItems: 1 }) },
      'Nodes in different groups cannot talk; nodes not listed form one more group.',
    ),
    NodeFault('isolate', 'One node cut off from every other node, both ways.'),
    fault(
      'bridge',
      { bridge: NodeId, groups: Type.Array(Type.Array(NodeId), { minItems: 2, maxItems: 2 }) },
      'Two sides that cannot talk, except through the bridge node.',
    ),
    fault('ring', {}, "Jepsen's majorities ring: each node sees a different majority."),
    fault('cut', { from: NodeList, to: NodeList }, 'One-way: messages from `from` to `to` are dropped.'),
    fault('heal', {}, 'Ends every network fault.'),
    fault(
      'crash',
      { node: NodeId, loseUnsyncedWrites: Type.Optional(Type.Boolean({ errorMessage: 'must be true or false' })) },
      'Volatile state and timers are lost until restart.',
    ),
    NodeFault('restart', 'Restarts a crashed node from its durable state.'),
    NodeFault('pause', 'Nothing runs on the node until resume (a GC pause, SIGSTOP).'),
    NodeFault('resume', 'Resumes a paused node.'),
    fault('clockJump', { node: NodeId, delta: Duration }, "The node's clock jumps by delta (negative: backwards)."),
    fault('clockDrift', { node: NodeId, ppm: Drift }, "The node's clock runs fast or slow by ppm from now on."),
    fault('loss', { probability: Probability }, 'Every message is lost with this probability (until heal).'),
    fault('duplicate', { probability: Probability }, 'Every message is delivered twice with this probability.'),
    fault('slow', { latency: Latency }, 'Every link gets this latency (until heal).'),
  ],
  { errorMessage: `must be a fault object with a 'type' (${FAULT_TYPES.join(', ')})` },
);

const Link = Type.Object(
  {
    from: Type.Union([Type.Literal('*'), NodeId], { description: "A node id, or '*' for every node." }),
    to: Type.Union([Type.Literal('*'), NodeId], { description: "A node id, or '*' for every node." }),
    latency: Type.Optional(Latency),
    loss: Type.Optional(Probability),
    duplicate: Type.Optional(Probability),
    bothWays: Type.Optional(
      Type.Boolean({
        description: 'Also the reverse direction (default true).',
        errorMessage: 'must be true or false',
      }),
    ),
  },
  closed,
);

const Network = Type.Object(
  {
    latency: Type.Optional(Latency),
    loss: Type.Optional(Probability),
    duplicate: Type.Optional(Probability),
    fifo: Type.Optional(
      Type.Boolean({ description: 'Deliver in send order on each link.', errorMessage: 'must be true or false' }),
    ),
    links: Type.Optional(Type.Array(Link)),
    clientLatency: Type.Optional(Latency),
    messageLatency: Type.Optional(LatencyTable),
  },
  closed,
);

const Nemesis = Type.Object(
  {
    faults: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: LIMITS.nemesisFaults,
        errorMessage: `must be a whole number of fault episodes from 0 to ${LIMITS.nemesisFaults}`,
      }),
    ),
    kinds: Type.Optional(
      Type.Array(Type.Union(NEMESIS_KINDS.map((kind) => Type.Literal(kind))), {
        minItems: 1,
        errorMessage: `must be a non-empty list of ${NEMESIS_KINDS.join(', ')}`,
      }),
    ),
    shapes: Type.Optional(
      Type.Array(Type.Union(PARTITION_SHAPES.map((shape) => Type.Literal(shape))), {
        minItems: 1,
        errorMessage: `must be a non-empty list of ${PARTITION_SHAPES.join(', ')}`,
      }),
    ),
    from: Type.Optional(Duration),
    healAt: Type.Optional(Duration),
    minDuration: Type.Optional(Duration),
    maxDuration: Type.Optional(Duration),
    clockJumpMax: Type.Optional(Duration),
    driftPpmMax: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: MAX_DRIFT_PPM,
        errorMessage: `must be a drift in parts per million from 0 to ${MAX_DRIFT_PPM}`,
      }),
    ),
    probability: Type.Optional(Probability),
    loseUnsyncedWrites: Type.Optional(Type.Boolean({ errorMessage: 'must be true or false' })),
    fitEpisodes: Type.Optional(Type.Boolean({ errorMessage: 'must be true or false' })),
    alwaysKinds: Type.Optional(
      Type.Array(Type.Union(NEMESIS_KINDS.map((kind) => Type.Literal(kind))), {
        errorMessage: `must be a list of ${NEMESIS_KINDS.join(', ')}`,
      }),
    ),
  },
  { ...closed, description: 'Faults generated from the seed, added to the written ones.' },
);

const Workload = Type.Object(
  {
    name: Type.String({ description: "A workload the protocol exports, e.g. 'kv'." }),
    clients: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: LIMITS.clients,
        errorMessage: `must be a whole number of clients from 1 to ${LIMITS.clients}`,
      }),
    ),
    thinkTime: Type.Optional(Duration),
    timeout: Type.Optional(Duration),
    startAt: Type.Optional(Duration),
    stopAt: Type.Optional(Duration),
    opsPerClient: Type.Optional(Type.Integer({ minimum: 0, errorMessage: 'must be a whole number' })),
    options: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { errorMessage: 'must be an object' })),
  },
  closed,
);

const flag = (description: string) =>
  Type.Optional(Type.Boolean({ description, errorMessage: 'must be true or false' }));

/** The scenario file's schema (as `dsim run` reads a JSON scenario). */
export const ScenarioSchema: TObject = Type.Object(
  {
    $schema: Type.Optional(Type.String({ description: 'Where editors find this schema.' })),
    name: Type.String({ minLength: 1, maxLength: LIMITS.nameLength, description: "The scenario's name." }),
    description: Type.Optional(Type.String()),
    protocol: Type.String({
      description: "A protocol name: a built-in ('raft') or one dsim.config registers.",
      errorMessage: "must be a protocol name such as 'raft'",
    }),
    nodes: Type.Union(
      [
        Type.Integer({ minimum: 1, maximum: LIMITS.nodes }),
        Type.Array(NodeId, { minItems: 1, maxItems: LIMITS.nodes }),
      ],
      {
        description: 'A node count (nodes n1..nN) or a list of node ids.',
        errorMessage: `must be a whole number of nodes from 1 to ${LIMITS.nodes} or a list of ids`,
      },
    ),
    seed: Type.Optional(
      Type.Integer({
        minimum: 0,
        description: 'The seed when the command line gives none.',
        errorMessage: 'must be a non-negative whole number',
      }),
    ),
    until: Duration,
    config: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: "Overrides of the protocol's defaults (deep-merged).",
        errorMessage: "must be an object of overrides for the protocol's defaults",
      }),
    ),
    bugs: Type.Optional(
      Type.Array(Type.String(), {
        description: 'Bug switches to turn on.',
        errorMessage: 'must be a list of bug switch names',
      }),
    ),
    network: Type.Optional(Network),
    storage: Type.Optional(
      Type.Object({ syncLatency: Type.Optional(Latency), nodes: Type.Optional(LatencyTable) }, closed),
    ),
    clocks: Type.Optional(
      Type.Record(
        Type.String(),
        Type.Object({ offset: Type.Optional(Duration), driftPpm: Type.Optional(Drift) }, closed),
        { description: 'Initial clock offset and drift per node id.' },
      ),
    ),
    faults: Type.Optional(
      Type.Array(Type.Object({ at: Duration, fault: Fault }, closed), {
        maxItems: LIMITS.scheduledFaults,
        description: 'An explicit fault schedule.',
      }),
    ),
    nemesis: Type.Optional(Nemesis),
    workload: Type.Optional(Workload),
    invariants: Type.Optional(
      Type.Array(Type.String(), {
        description: "Names of the protocol's invariants to check (default: all).",
        errorMessage: 'must be a list of invariant names',
      }),
    ),
    stopOnViolation: flag('Stop at the first violation (default true).'),
    traceFullState: flag("Record each node's full state in the trace (large; default false)."),
    budget: Type.Optional(
      Type.Object(
        {
          events: Type.Optional(Type.Integer({ minimum: 1, errorMessage: 'must be a positive whole number' })),
          messages: Type.Optional(Type.Integer({ minimum: 1, errorMessage: 'must be a positive whole number' })),
        },
        { ...closed, description: 'The most events and message sends the run may use.' },
      ),
    ),
  },
  {
    ...closed,
    title: 'dsim scenario',
    description: 'A dsim scenario: protocol, nodes, network, faults, workload and what must hold.',
  },
);

/** Subschemas used in many places, written once under `definitions` in the published file. */
const SHARED: Readonly<Record<string, TSchema>> = { Duration, Latency, NodeId, Probability, Fault };

/**
 * The published JSON Schema document (scenario.schema.json in @dsim/core): the schema as plain
 * JSON, with each shared subschema written once and referred to by `$ref`.
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  const plain = (schema: TSchema): unknown => JSON.parse(JSON.stringify(schema));
  const shared = new Map(Object.entries(SHARED).map(([name, schema]) => [JSON.stringify(plain(schema)), name]));
  const share = (value: unknown, top = false): unknown => {
    if (Array.isArray(value)) return value.map((item) => share(item));
    if (typeof value !== 'object' || value === null) return value;
    const name = top ? undefined : shared.get(JSON.stringify(value));
    if (name) return { $ref: `#/definitions/${name}` };
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, share(item)]));
  };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    ...(share(plain(ScenarioSchema)) as Record<string, unknown>),
    definitions: Object.fromEntries(Object.entries(SHARED).map(([name, schema]) => [name, share(plain(schema), true)])),
  };
}

/** The file's text, as committed: two-space indents and a final newline. */
export function scenarioJsonSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}

/**
 * Every problem the schema finds in a scenario, with its field ('faults[0].fault.node') and a
 * message that says what the field must be. A value that fails a union (a fault, a latency) is
 * checked against the variant its `type` or `dist` names, so the message is about that variant's
 * field and not "matches none of 15 forms".
 */
export function schemaIssues(value: unknown, schema: TSchema = ScenarioSchema, path = ''): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  for (const error of Errors(schema, value)) {
    const at = joinPath(path, error.path);
    if (error.type === ValueErrorType.Union) {
      const variant = chosenVariant(error.schema, error.value);
      if (variant) {
        issues.push(...schemaIssues(error.value, variant, at));
        continue;
      }
    }
    issues.push({ path: at, message: messageFor(error) });
  }
  return issues;
}

/** The union member whose discriminating literal (`type`, `dist`) the value names. */
function chosenVariant(union: TSchema, value: unknown): TSchema | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  for (const variant of (union.anyOf ?? []) as TSchema[]) {
    const properties = variant.properties as Record<string, TSchema> | undefined;
    if (!properties) continue;
    for (const key of ['type', 'dist'])
      if (properties[key]?.const !== undefined && (value as Record<string, unknown>)[key] === properties[key].const)
        return variant;
  }
  return undefined;
}

function messageFor(error: ValueError): string {
  const got = `, got ${describeValue(error.value)}`;
  switch (error.type) {
    case ValueErrorType.ObjectAdditionalProperties:
      return `unknown field (known fields: ${Object.keys((error.schema.properties ?? {}) as object).join(', ')})`;
    case ValueErrorType.ObjectRequiredProperty:
      return `is required${error.schema.description ? `: ${String(error.schema.description)}` : ''}`;
    default:
      break;
  }
  if (typeof error.schema.errorMessage === 'string') return `${error.schema.errorMessage}${got}`;
  switch (error.type) {
    case ValueErrorType.Boolean:
      return `must be true or false${got}`;
    case ValueErrorType.String:
      return `must be a string${got}`;
    case ValueErrorType.Integer:
      return `must be a whole number${got}`;
    case ValueErrorType.Number:
      return `must be a number${got}`;
    case ValueErrorType.Array:
      return `must be a list${got}`;
    case ValueErrorType.Object:
      return `must be an object${got}`;
    case ValueErrorType.Literal:
      return `must be ${describeValue(error.schema.const)}${got}`;
    default:
      return `${error.message.replace(/^Expected/, 'must be')}${got}`;
  }
}

/** '/faults/0/fault/node' under '' → 'faults[0].fault.node' (JSON Pointer escapes undone). */
function joinPath(base: string, pointer: string): string {
  let path = base;
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    path = /^\d+$/.test(segment) ? `${path}[${segment}]` : path === '' ? segment : `${path}.${segment}`;
  }
  return path;
}
