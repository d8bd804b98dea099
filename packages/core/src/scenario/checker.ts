import { MAX_DRIFT_PPM } from '../kernel/clock.ts';
import { FAULT_TYPES, NETWORK_FAULTS, nodesNamedBy, type Fault } from '../faults/faults.ts';
import type { LatencyDistribution } from '../kernel/latency.ts';
import { NEMESIS_KINDS, PARTITION_SHAPES, type ResolvedNemesis } from '../faults/nemesis.ts';
import type { NodeId } from '../author/protocol.ts';
import { describeValue, formatMicros, parseDuration, type Micros } from '../time/time.ts';
import { LIMITS } from './limits.ts';
import { isRecord } from './merge.ts';
import type { ScenarioIssue } from './schema.ts';

export const DEFAULT_LATENCY: LatencyDistribution = { dist: 'uniform', min: 1_000, max: 5_000 };

const NEMESIS_FIELDS = [
  'faults',
  'kinds',
  'shapes',
  'from',
  'healAt',
  'minDuration',
  'maxDuration',
  'clockJumpMax',
  'driftPpmMax',
  'probability',
  'loseUnsyncedWrites',
  'fitEpisodes',
  'alwaysKinds',
];

/**
 * Reads the parts of a scenario a user writes by hand (durations, probabilities, latencies, node
 * ids, faults, the nemesis) and collects every problem, each with its field and a fix, so that a
 * scenario's errors are reported all at once. Each method returns a usable value even when it
 * finds a problem, so that reading goes on and finds the others.
 */
export class ScenarioChecker {
  readonly issues: ScenarioIssue[] = [];
  private nodes: readonly NodeId[] = [];
  private nodeSet: ReadonlySet<string> = new Set();

  fail(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  /** No problem found so far. */
  get ok(): boolean {
    return this.issues.length === 0;
  }

  /** The scenario's node ids, for `node`. */
  knowNodes(nodes: readonly NodeId[]): void {
    this.nodes = nodes;
    this.nodeSet = new Set(nodes);
  }

  hasNode(id: string): boolean {
    return this.nodeSet.has(id);
  }

  duration(
    value: unknown,
    path: string,
    fallback: Micros,
    { allowNegative = false, max = LIMITS.durationMicros }: { allowNegative?: boolean; max?: Micros } = {},
  ): Micros {
    if (value === undefined) return fallback;
    const parsed = parseDuration(value);
    if (typeof parsed !== 'number') {
      this.fail(path, parsed.error);
      return fallback;
    }
    if (!allowNegative && parsed < 0) {
      this.fail(path, `must not be negative (got ${describeValue(value)})`);
      return fallback;
    }
    // Beyond a bound an instant stops being exact (2^53us) or a run stops ending: see limits.ts.
    if (Math.abs(parsed) > max) {
      this.fail(
        path,
        `${describeValue(value)} is ${allowNegative ? 'further from zero' : 'longer'} than the ${formatMicros(max)} allowed (${max}us)`,
      );
      return fallback;
    }
    return parsed;
  }

  probability(value: unknown, path: string): number {
    if (value === undefined) return 0;
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
      this.fail(path, `must be a probability between 0 and 1, got ${describeValue(value)}`);
      return 0;
    }
    return value;
  }

  /** Whether `value` names one of the scenario's nodes. */
  node(value: unknown, path: string): boolean {
    if (typeof value !== 'string' || !this.nodeSet.has(value)) {
      this.fail(path, `unknown node ${describeValue(value)} (nodes are ${this.nodes.join(', ')})`);
      return false;
    }
    return true;
  }

  latency(value: unknown, path: string, fallback: LatencyDistribution): LatencyDistribution {
    if (value === undefined) return fallback;
    if (typeof value === 'number' || typeof value === 'string')
      return { dist: 'constant', micros: this.duration(value, path, 0) };
    if (!isRecord(value)) {
      this.fail(path, `must be a duration or a distribution such as { dist: 'uniform', min: '1ms', max: '5ms' }`);
      return fallback;
    }
    const d = (field: string, fallbackMicros = 0) => this.duration(value[field], `${path}.${field}`, fallbackMicros);
    const need = (...fields: string[]) =>
      fields.forEach(
        (field) =>
          value[field] === undefined &&
          this.fail(`${path}.${field}`, `a '${String(value.dist)}' distribution needs '${field}'`),
      );
    switch (value.dist) {
      case 'constant':
        need('micros');
        return { dist: 'constant', micros: d('micros') };
      case 'uniform': {
        need('min', 'max');
        const min = d('min');
        const max = d('max');
        if (max < min) this.fail(`${path}.max`, `max (${max}us) is below min (${min}us)`);
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
        if (typeof value.sigma !== 'number' || !(value.sigma >= 0 && value.sigma <= LIMITS.lognormalSigma))
          this.fail(
            `${path}.sigma`,
            `must be a number from 0 to ${LIMITS.lognormalSigma} (σ=1 already spreads a tail ~50× the median), got ${describeValue(value.sigma)}`,
          );
        return {
          dist: 'lognormal',
          median: d('median'),
          sigma:
            typeof value.sigma === 'number' && value.sigma >= 0 && value.sigma <= LIMITS.lognormalSigma
              ? value.sigma
              : 0,
          min: d('min'),
        };
      default:
        this.fail(
          `${path}.dist`,
          `unknown distribution ${describeValue(value.dist)} (use constant, uniform, exponential, normal or lognormal)`,
        );
        return fallback;
    }
  }

  /** A fault record, checked field by field; undefined when it cannot be used. */
  fault(value: unknown, path: string): Fault | undefined {
    if (!isRecord(value) || typeof value.type !== 'string') {
      this.fail(path, `must be a fault object with a 'type' (${FAULT_TYPES.join(', ')})`);
      return undefined;
    }
    const nodeList = (field: string): boolean => {
      const list = value[field];
      if (!Array.isArray(list) || list.length === 0) {
        this.fail(`${path}.${field}`, 'must be a non-empty list of node ids');
        return false;
      }
      return list.every((node, i) => this.node(node, `${path}.${field}[${i}]`));
    };
    switch (value.type) {
      case 'partition': {
        if (!Array.isArray(value.groups) || value.groups.length === 0) {
          this.fail(`${path}.groups`, `must be a list of node groups, e.g. [['n1','n2'], ['n3','n4','n5']]`);
          return undefined;
        }
        const seen = new Set<string>();
        let ok = true;
        value.groups.forEach((group: unknown, g: number) => {
          if (!Array.isArray(group)) {
            this.fail(`${path}.groups[${g}]`, 'must be a list of node ids');
            ok = false;
            return;
          }
          group.forEach((node: unknown, i: number) => {
            if (!this.node(node, `${path}.groups[${g}][${i}]`)) ok = false;
            else if (seen.has(node as string)) {
              this.fail(`${path}.groups[${g}][${i}]`, `node '${String(node)}' is in two groups`);
              ok = false;
            } else seen.add(node as string);
          });
        });
        return ok ? (value as unknown as Fault) : undefined;
      }
      case 'bridge': {
        const ok = this.node(value.bridge, `${path}.bridge`);
        if (!Array.isArray(value.groups) || value.groups.length !== 2) {
          this.fail(`${path}.groups`, 'a bridge needs exactly two groups');
          return undefined;
        }
        const okGroups = value.groups.every(
          (group: unknown, g: number) =>
            Array.isArray(group) && group.every((node, i) => this.node(node, `${path}.groups[${g}][${i}]`)),
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
        return this.node(value.node, `${path}.node`) ? ({ type: value.type, node: value.node } as Fault) : undefined;
      case 'crash':
        if (value.loseUnsyncedWrites !== undefined && typeof value.loseUnsyncedWrites !== 'boolean')
          this.fail(`${path}.loseUnsyncedWrites`, 'must be true or false');
        return this.node(value.node, `${path}.node`) ? (value as unknown as Fault) : undefined;
      case 'clockJump': {
        if (value.delta === undefined) this.fail(`${path}.delta`, `say how far the clock jumps, e.g. '-2s' or '500ms'`);
        const delta = this.duration(value.delta, `${path}.delta`, 0, { allowNegative: true });
        return this.node(value.node, `${path}.node`)
          ? { type: 'clockJump', node: value.node as string, delta }
          : undefined;
      }
      case 'clockDrift':
        if (typeof value.ppm !== 'number' || !(Math.abs(value.ppm) <= MAX_DRIFT_PPM)) {
          this.fail(`${path}.ppm`, `must be a drift in parts per million within ±${MAX_DRIFT_PPM}`);
          return undefined;
        }
        return this.node(value.node, `${path}.node`) ? (value as unknown as Fault) : undefined;
      case 'loss':
      case 'duplicate':
        if (value.probability === undefined) this.fail(`${path}.probability`, 'say how likely, between 0 and 1');
        return { type: value.type, probability: this.probability(value.probability, `${path}.probability`) };
      case 'slow':
        if (value.latency === undefined) this.fail(`${path}.latency`, 'give the latency during the fault');
        return { type: 'slow', latency: this.latency(value.latency, `${path}.latency`, DEFAULT_LATENCY) };
      default:
        this.fail(`${path}.type`, `unknown fault type '${value.type}' (known: ${FAULT_TYPES.join(', ')})`);
        return undefined;
    }
  }

  /** Rejects schedules that cannot happen: crashing a crashed node, restarting a running one, pausing a crashed one. */
  faultSequence(faults: ReadonlyArray<{ at: Micros; fault: Fault }>): void {
    const crashed = new Map<string, Micros>();
    const paused = new Map<string, Micros>();
    for (const [i, { at, fault }] of faults.entries()) {
      if (NETWORK_FAULTS.has(fault.type)) continue;
      const node = nodesNamedBy(fault)[0]!;
      const where = `faults (time order #${i}, at ${at}us)`;
      switch (fault.type) {
        case 'crash':
          if (crashed.has(node))
            this.fail(where, `crashes ${node}, which is already down since ${crashed.get(node)}us; restart it first`);
          crashed.set(node, at);
          paused.delete(node);
          break;
        case 'restart':
          if (!crashed.has(node)) this.fail(where, `restarts ${node}, which is running; crash it first`);
          crashed.delete(node);
          break;
        case 'pause':
          if (crashed.has(node)) this.fail(where, `pauses ${node}, which is crashed`);
          else if (paused.has(node))
            this.fail(where, `pauses ${node}, which is already paused since ${paused.get(node)}us`);
          else paused.set(node, at);
          break;
        case 'resume':
          if (!paused.has(node)) this.fail(where, `resumes ${node}, which is not paused`);
          paused.delete(node);
          break;
        default:
          break;
      }
    }
  }

  /** The nemesis settings with their defaults; undefined when they cannot be used. */
  nemesis(value: unknown, until: Micros): ResolvedNemesis | undefined {
    const issuesBefore = this.issues.length;
    const resolved = this.readNemesis(value, until);
    // Settings with a problem never reach the generator (a budget of 10^9 faults would run it out of memory).
    return this.issues.length === issuesBefore ? resolved : undefined;
  }

  private readNemesis(value: unknown, until: Micros): ResolvedNemesis | undefined {
    if (!isRecord(value)) {
      this.fail('nemesis', `must be an object such as { faults: 5, kinds: ['partition', 'crash'] }`);
      return undefined;
    }
    const kinds = (value.kinds as unknown[] | undefined) ?? ['partition', 'crash', 'pause'];
    if (!Array.isArray(kinds) || kinds.length === 0 || !kinds.every((kind) => NEMESIS_KINDS.includes(kind as never))) {
      this.fail('nemesis.kinds', `must be a non-empty list of ${NEMESIS_KINDS.join(', ')}`);
      return undefined;
    }
    const shapes = (value.shapes as unknown[] | undefined) ?? PARTITION_SHAPES;
    if (
      !Array.isArray(shapes) ||
      shapes.length === 0 ||
      !shapes.every((shape) => PARTITION_SHAPES.includes(shape as never))
    ) {
      this.fail('nemesis.shapes', `must be a non-empty list of ${PARTITION_SHAPES.join(', ')}`);
      return undefined;
    }
    const alwaysKinds = (value.alwaysKinds as unknown[] | undefined) ?? [];
    if (!Array.isArray(alwaysKinds) || !alwaysKinds.every((kind) => kinds.includes(kind as never))) {
      this.fail('nemesis.alwaysKinds', `must be a list of kinds from nemesis.kinds (${kinds.join(', ')})`);
      return undefined;
    }
    const faults = value.faults ?? 5;
    if (typeof faults !== 'number' || !Number.isInteger(faults) || faults < 0 || faults > LIMITS.nemesisFaults)
      this.fail('nemesis.faults', `must be a whole number of fault episodes from 0 to ${LIMITS.nemesisFaults}`);
    const from = this.duration(value.from, 'nemesis.from', Math.min(1_000_000, Math.floor(until / 10)));
    const healAt = this.duration(value.healAt, 'nemesis.healAt', Math.floor((until * 2) / 3));
    if (healAt >= until)
      this.fail('nemesis.healAt', `must be before the end of the run (${until}us) so a quiet period follows`);
    if (healAt < from) this.fail('nemesis.healAt', `must not be before nemesis.from`);
    const minDuration = this.duration(value.minDuration, 'nemesis.minDuration', 200_000);
    const maxDuration = this.duration(value.maxDuration, 'nemesis.maxDuration', 5_000_000);
    if (maxDuration < minDuration) this.fail('nemesis.maxDuration', 'must not be below minDuration');
    const probability = value.probability ?? 0.3;
    if (typeof probability !== 'number' || !(probability >= 0 && probability <= 1))
      this.fail('nemesis.probability', 'must be between 0 and 1');
    const driftPpmMax = value.driftPpmMax ?? 1_000;
    if (typeof driftPpmMax !== 'number' || !(driftPpmMax >= 0 && driftPpmMax <= MAX_DRIFT_PPM))
      this.fail('nemesis.driftPpmMax', `must be a drift in parts per million from 0 to ${MAX_DRIFT_PPM}`);
    for (const key of Object.keys(value))
      if (!NEMESIS_FIELDS.includes(key))
        this.fail(`nemesis.${key}`, `unknown field (known fields: ${NEMESIS_FIELDS.join(', ')})`);
    return {
      faults: faults as number,
      kinds: kinds as ResolvedNemesis['kinds'],
      shapes: shapes as ResolvedNemesis['shapes'],
      from,
      healAt,
      minDuration,
      maxDuration,
      clockJumpMax: this.duration(value.clockJumpMax, 'nemesis.clockJumpMax', 500_000),
      driftPpmMax: driftPpmMax as number,
      probability: probability as number,
      loseUnsyncedWrites: value.loseUnsyncedWrites === true,
      fitEpisodes: value.fitEpisodes === true,
      alwaysKinds: alwaysKinds as ResolvedNemesis['alwaysKinds'],
    };
  }
}
