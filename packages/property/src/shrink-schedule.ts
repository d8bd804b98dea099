import {
  NETWORK_FAULTS,
  resolveScenario,
  type Fault,
  type FaultEpisode,
  type Micros,
  type ProtocolRegistry,
  type RunResult,
  type Scenario,
  type StateMode,
} from '@dsim/core';
import { serializableScenario } from './serializable-scenario.ts';
import { removeEpisodes, runOnce, type Drawn, type RunSetup } from './simulation-property.ts';

export interface ShrinkScheduleOptions {
  /** Names the run in messages. */
  readonly name: string;
  /** A failing scenario; its nemesis (drawn from the seed) becomes an explicit schedule, then shrinks. */
  readonly scenario: Scenario;
  /** The seed that failed. */
  readonly seed: number;
  readonly registry?: ProtocolRegistry;
  readonly stateMode?: StateMode;
}

export type ShrunkSchedule =
  | { readonly shrunk: false; readonly reason: string }
  | {
      readonly shrunk: true;
      /** The smaller scenario as plain JSON: `dsim run` replays it, the visualizer opens its trace. */
      readonly scenario: Record<string, unknown>;
      /** Its run, traced in memory. */
      readonly result: RunResult;
      readonly violation: string;
      readonly episodesBefore: number;
      readonly episodesAfter: number;
      readonly omittedInvariants: readonly string[];
    };

/**
 * Shrinks a failing seed's fault schedule with the property runner's removal passes (see
 * removeEpisodes), then halves each remaining episode's duration while the run still fails. A
 * sweep's seed draws its faults from the seed; shrinking needs them as data, so the schedule the
 * seed drew is written out as episodes first (a fault and its undo: crash and restart, pause and
 * resume, a partition or a loss burst and the heal after it), with the seed kept, so every other
 * draw of the run (latencies, timeouts, the workload) stays as it was.
 */
export function shrinkFaultSchedule(options: ShrinkScheduleOptions): ShrunkSchedule {
  const resolved = resolveScenario(options.scenario, {
    ...(options.registry ? { registry: options.registry } : {}),
    seed: options.seed,
  });
  const faults = resolved.faults;
  if (faults.length === 0) return { shrunk: false, reason: 'the run has no faults to shrink' };
  const { episodes, healAt } = scheduleToEpisodes(faults);
  const { nemesis: _nemesis, faults: _faults, ...base } = options.scenario;
  const setup: RunSetup = {
    base: { ...base, seed: options.seed },
    healAt,
    options: {
      name: options.name,
      scenario: base,
      ...(options.registry ? { registry: options.registry } : {}),
      faults: { healAt },
      stateMode: options.stateMode ?? 'mutable',
    },
  };
  const start: Drawn = { seed: options.seed, episodes };
  if (runOnce(setup, start, 'off').failure === undefined)
    return {
      shrunk: false,
      reason:
        'the seed’s schedule, written out as fault episodes, no longer fails (its faults overlap in a way episodes cannot say)',
    };
  let current = removeEpisodes(setup, start).drawn;
  current = shortenEpisodes(setup, current);
  const replay = runOnce(setup, current, 'memory');
  const { scenario, omittedInvariants } = serializableScenario(replay.scenario, resolved);
  return {
    shrunk: true,
    scenario,
    result: replay.result!,
    violation: replay.failure ?? 'the shrunk scenario passed when re-run: the simulation is not deterministic',
    episodesBefore: episodes.length,
    episodesAfter: current.episodes.length,
    omittedInvariants,
  };
}

/** Halves each episode's duration while the run still fails: shorter windows read more easily. Bounded: at most 10 tries per episode. */
function shortenEpisodes(setup: RunSetup, start: Drawn): Drawn {
  let current = start;
  for (let i = 0; i < current.episodes.length; i++) {
    for (let tries = 0; tries < 10; tries++) {
      const episode = current.episodes[i]!;
      if (episode.durationMicros <= 1) break;
      const shorter = { ...episode, durationMicros: Math.floor(episode.durationMicros / 2) };
      const candidate: Drawn = { ...current, episodes: current.episodes.map((e, j) => (j === i ? shorter : e)) };
      if (runOnce(setup, candidate, 'off').failure === undefined) break;
      current = candidate;
    }
  }
  return current;
}

/**
 * A time-ordered schedule as episodes: each fault paired with the first later fault that undoes
 * it (a restart, a resume, a drift back to 0, a heal for network faults). The last heal becomes
 * `healAt`; a fault never undone lasts until then.
 */
export function scheduleToEpisodes(faults: ReadonlyArray<{ readonly at: Micros; readonly fault: Fault }>): {
  episodes: FaultEpisode[];
  healAt: Micros;
} {
  const heals = faults.filter(({ fault }) => fault.type === 'heal');
  const healAt = heals.length > 0 ? heals[heals.length - 1]!.at : faults[faults.length - 1]!.at + 1;
  const episodes: FaultEpisode[] = [];
  faults.forEach(({ at, fault }, index) => {
    if (isUndo(fault)) return;
    const end = faults.slice(index + 1).find((later) => undoes(later.fault, fault));
    episodes.push({ at, durationMicros: fault.type === 'clockJump' ? 0 : (end?.at ?? healAt) - at, fault });
  });
  return { episodes, healAt };
}

function isUndo(fault: Fault): boolean {
  return (
    fault.type === 'heal' ||
    fault.type === 'restart' ||
    fault.type === 'resume' ||
    (fault.type === 'clockDrift' && fault.ppm === 0)
  );
}

function undoes(later: Fault, fault: Fault): boolean {
  if (NETWORK_FAULTS.has(fault.type)) return later.type === 'heal';
  switch (fault.type) {
    case 'crash':
      return later.type === 'restart' && later.node === fault.node;
    case 'pause':
      return later.type === 'resume' && later.node === fault.node;
    case 'clockDrift':
      return later.type === 'clockDrift' && later.node === fault.node && later.ppm === 0;
    default:
      return false;
  }
}
