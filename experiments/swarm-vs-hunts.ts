/**
 * Does a swarm sweep, with no hand-tuned fault schedule, catch each bug switch as fast as the
 * hand-tuned hunt the protocol package keeps for it? For every bug switch: the hunt's runs to its
 * first failure (the property runner, no shrinking) and a `--swarm` sweep's seeds to its first
 * failing seed (the protocol's seed family with the switch on, each seed drawing its fault kinds
 * and knobs), each over several independent trials (fast-check seeds for the hunt, disjoint seed
 * ranges for the swarm), reported as medians. A trial that does not catch within --runs counts
 * as more than --runs.
 *
 * A seed that fails with the switch on counts as a catch only if it passes with the switch off; the
 * seeds that fail both ways are listed (false alarms met during the races).
 *
 * --control also runs the swarm with the switch off: the correct protocol's false alarms (each must
 * be 0), over --control-runs seeds (default --runs). --swarm-only skips the hunts (they do not
 * depend on the swarm's ranges), to compare a change of the ranges against a known hunt column.
 *
 *   npx -y pnpm@10 experiment swarm-vs-hunts [raft|commit|distro|kafka|paxos|tcc] [--runs 100] [--trials 5] [--bug id[,id...]] [--control] [--control-runs n] [--swarm-only|--hunt-only]
 *
 * A bug switch that no hunt targets yet gets a row with the swarm's figure alone.
 */
import {
  familyOptions,
  familyScenario,
  runScenario,
  type FamilyOptionValue,
  type FamilyOptionValues,
  type SwarmRanges,
  type SeedFamily,
} from '@dsim/core';
import { bugHunts as commitHunts } from '@dsim/commit';
import { bugHunts as distroHunts } from '@dsim/distro';
import { kafkaHunts } from '@dsim/kafka';
import { paxosHunts } from '@dsim/paxos';
import { runsToFailure, type SimulationPropertyOptions } from '@dsim/property';
import { bugHunts as raftHunts } from '@dsim/raft';
import { families, registry } from '@dsim/registry';
import { bugHunts as txnHunts } from '@dsim/saga-tcc';
import { parseFlags, wholeNumber } from './lib/flags.ts';

export const description = 'swarm sweeps against the hand-tuned hunts: median runs to catch each bug switch';
export const usage =
  '[raft|commit|distro|kafka|paxos|tcc] [--runs 100] [--trials 5] [--bug id[,id...]] [--control] [--control-runs n] [--swarm-only|--hunt-only]';

interface Race {
  readonly protocol: string;
  readonly bug: string;
  /** The package's hand-tuned hunt; none for a switch no hunt targets yet (the swarm is measured alone). */
  readonly hunt?: Omit<SimulationPropertyOptions, 'numRuns'>;
  readonly family: string;
  readonly options: Readonly<Record<string, FamilyOptionValue>>;
  /** Swarm ranges narrower than the family's, where the protocol's own fault model is narrower. */
  readonly swarm?: SwarmRanges;
}

const protocolOf = (options: Omit<SimulationPropertyOptions, 'numRuns'>): string =>
  typeof options.scenario.protocol === 'string' ? options.scenario.protocol : options.scenario.protocol.name;

/** Races for the protocol's bug switches that no hunt targets: the swarm alone. */
function unhunted(protocol: string, hunted: readonly Race[], family: string): Race[] {
  const targeted = new Set(hunted.map((race) => race.bug));
  return Object.keys(registry[protocol]!.bugs ?? {})
    .filter((bug) => !targeted.has(bug))
    .map((bug) => ({ protocol, bug, family, options: {} }));
}

function races(): Record<string, Race[]> {
  const raft: Race[] = raftHunts
    .filter((hunt) => hunt.bug)
    .map((hunt) => ({ protocol: 'raft', bug: hunt.bug!, hunt, family: 'raft/aggressive', options: {} }));
  const kafka: Race[] = kafkaHunts.map(({ id, options }) => ({
    protocol: 'kafka',
    bug: id,
    hunt: options,
    family: 'kafka/aggressive',
    options: {},
  }));
  return {
    raft: [...raft, ...unhunted('raft', raft, 'raft/aggressive')],
    commit: commitHunts
      .filter((hunt) => hunt.bug)
      .map((hunt): Race => {
        const protocol = protocolOf(hunt);
        const options: Record<string, FamilyOptionValue> =
          protocol === '3pc' ? { protocol, variant: 'skeen' } : { protocol };
        return {
          protocol,
          bug: hunt.bug!,
          hunt,
          family: 'commit/transfers',
          options,
          // Skeen's 3PC assumes crashes only and a perfect failure detector: no partitions, loss or
          // duplication, and no timeouts a slow message can outlast. Its hunts keep to that, and so
          // does its swarm: the fault budget is all it draws.
          ...(protocol === '3pc' ? { swarm: { faultKinds: ['crash'], faults: { min: 1, max: 10 } } } : {}),
        };
      }),
    distro: distroHunts
      .filter((hunt) => hunt.bug)
      .map((hunt) => ({ protocol: 'distro', bug: hunt.bug!, hunt, family: 'distro/aggressive', options: {} })),
    kafka: [...kafka, ...unhunted('kafka', kafka, 'kafka/aggressive')],
    paxos: paxosHunts
      .filter(({ options }) => (options.scenario.bugs ?? []).length > 0)
      .map(({ options }) => {
        const protocol = protocolOf(options);
        return {
          protocol,
          bug: options.scenario.bugs![0]!,
          hunt: options,
          family: protocol === 'paxos' ? 'paxos/aggressive' : 'paxos/multiAggressive',
          options: {},
        };
      }),
    tcc: txnHunts.map(({ id, options }) => {
      const protocol = protocolOf(options);
      return {
        protocol: `${protocol} (${id.split(':').slice(2).join(':') || 'any'})`,
        bug: options.scenario.bugs![0]!,
        hunt: options,
        family: protocol === 'tcc' ? 'tcc/aggressive' : 'saga/aggressive',
        options: {},
      };
    }),
  };
}

/** Seeds the correct protocol failed on during the races (each a false alarm, not a catch), by race. */
const racedFalseAlarms = new Map<Race, number[]>();

/**
 * Seeds of a swarm sweep until the first that the switch makes fail, from `first`; undefined when
 * none of `runs` does. A seed that fails with the switch is run again without it: if the correct
 * protocol fails too, the seed is a false alarm (kept for the report), not a catch.
 */
function swarmRunsToCatch(race: Race, first: number, runs: number): number | undefined {
  const family = familyOf(race);
  const options = familyOptions(family, race.options, [race.bug]);
  const correct = familyOptions(family, race.options, []);
  for (let i = 0; i < runs; i++) {
    if (!fails(family, first + i, options)) continue;
    if (!fails(family, first + i, correct)) return i + 1;
    racedFalseAlarms.set(race, [...(racedFalseAlarms.get(race) ?? []), first + i]);
  }
  return undefined;
}

function fails(family: SeedFamily, seed: number, options: FamilyOptionValues): boolean {
  const { scenario } = familyScenario(family, seed, options, true);
  const result = runScenario(scenario, { registry, seed }, { trace: 'off', stateMode: 'mutable' });
  return result.violations.length > 0 || result.endReason === 'error';
}

function familyOf(race: Race): SeedFamily {
  const declared = families[race.family]!;
  return race.swarm ? { ...declared, swarm: race.swarm } : declared;
}

const controls = new Map<string, number>();

/**
 * Swarm seeds of the correct protocol (the switch off) that fail: false alarms, which make a catch
 * meaningless. Races of one family, options and ranges share one control run.
 */
function falseAlarms(race: Race, first: number, runs: number): number {
  const key = JSON.stringify([race.family, race.options, race.swarm ?? null, first, runs]);
  const known = controls.get(key);
  if (known !== undefined) return known;
  const failed = countFalseAlarms(race, first, runs);
  controls.set(key, failed);
  return failed;
}

function countFalseAlarms(race: Race, first: number, runs: number): number {
  const family = familyOf(race);
  const options = familyOptions(family, race.options, []);
  let failed = 0;
  for (let i = 0; i < runs; i++) if (fails(family, first + i, options)) failed++;
  return failed;
}

function median(values: ReadonlyArray<number | undefined>): number {
  const sorted = values.map((value) => value ?? Infinity).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const show = (value: number, cap: number) => (value === Infinity ? `>${cap}` : String(value));

export function main(args: readonly string[]): number {
  const { values, positional, on } = parseFlags(
    args,
    ['runs', 'trials', 'bug', 'control-runs'],
    ['control', 'swarm-only', 'hunt-only'],
  );
  const runs = wholeNumber(values.runs, 'runs', 100);
  const controlRuns = wholeNumber(values['control-runs'], 'control-runs', runs);
  const swarmOnly = on.has('swarm-only');
  const huntOnly = on.has('hunt-only');
  if (swarmOnly && huntOnly) throw new Error('--swarm-only and --hunt-only leave nothing to run; give one');
  const trials = wholeNumber(values.trials, 'trials', 5);
  const bugs = values.bug?.split(',');
  const all = races();
  const chosen = positional.length > 0 ? positional : Object.keys(all);
  for (const name of chosen)
    if (!all[name]) throw new Error(`no protocol '${name}' here; choose from ${Object.keys(all).join(', ')}`);
  console.log(
    `runs to the first failure, median of ${trials} trials (each capped at ${runs}); hunt: hand-tuned fault space, property runner; swarm: the seed family with --swarm`,
  );
  const control = on.has('control');
  console.log(
    [
      'protocol',
      'bug switch',
      'hunt',
      'swarm',
      'hunt trials',
      'swarm trials',
      'seeds failing without the switch too',
      ...(control ? [`swarm false alarms in ${controlRuns}`] : []),
      'seconds',
    ].join(' | '),
  );
  let slower = 0;
  for (const name of chosen) {
    for (const race of all[name]!) {
      if (bugs !== undefined && !bugs.includes(race.bug)) continue;
      const started = performance.now();
      const hunt: Array<number | undefined> = [];
      const swarm: Array<number | undefined> = [];
      for (let trial = 0; trial < trials; trial++) {
        if (!swarmOnly && race.hunt) {
          // Trial 0 is the hunt as its package runs it (fast-check's seed from its name).
          const report = runsToFailure({
            ...race.hunt,
            registry,
            numRuns: runs,
            ...(trial > 0 ? { seed: 7919 * trial } : {}),
          });
          hunt.push(report.found ? report.runs : undefined);
        }
        // Families pick some choices from the seed's residues (seed % 2, % 3, % 5...): ranges that
        // start 100,003 apart (a prime) begin on different residues, so their trials are independent.
        if (!huntOnly) swarm.push(swarmRunsToCatch(race, 1 + trial * 100_003, runs));
      }
      const [huntMedian, swarmMedian] = [median(hunt), median(swarm)];
      const raced = race.hunt !== undefined && !swarmOnly && !huntOnly;
      if (raced && swarmMedian > huntMedian) slower++;
      console.log(
        [
          race.protocol,
          race.bug,
          swarmOnly || !race.hunt ? '-' : show(huntMedian, runs),
          huntOnly ? '-' : show(swarmMedian, runs),
          hunt.map((value) => show(value ?? Infinity, runs)).join(' '),
          swarm.map((value) => show(value ?? Infinity, runs)).join(' '),
          (racedFalseAlarms.get(race) ?? []).join(' ') || '-',
          ...(control ? [String(falseAlarms(race, 900_001, controlRuns))] : []),
          ((performance.now() - started) / 1000).toFixed(0),
        ].join(' | '),
      );
    }
  }
  if (!swarmOnly && !huntOnly)
    console.log(`swarm slower than the hunt (median) on ${slower} bug switch${slower === 1 ? '' : 'es'}`);
  return 0;
}
