import type { Random } from '../random/random.ts';
import { exp } from '../random/deterministic-math.ts';
import type { Micros } from '../time/time.ts';

/**
 * How long a message takes on a link, in microseconds. Samples are rounded to whole microseconds
 * and never negative. Variance in latency is what reorders messages on non-FIFO links.
 */
export type LatencyDistribution =
  | { readonly dist: 'constant'; readonly micros: Micros }
  | { readonly dist: 'uniform'; readonly min: Micros; readonly max: Micros }
  /** `min` plus an exponential tail with the given mean: the classic queueing-delay shape. */
  | { readonly dist: 'exponential'; readonly mean: Micros; readonly min?: Micros }
  /** Normal, clamped below at `min` (default 0). */
  | { readonly dist: 'normal'; readonly mean: Micros; readonly stddev: Micros; readonly min?: Micros }
  /** Log-normal with the given median and shape σ: a long right tail, like real datacenter RPCs. */
  | { readonly dist: 'lognormal'; readonly median: Micros; readonly sigma: number; readonly min?: Micros };

/**
 * The longest latency a sample takes: a day, the longest run (see scenario/limits.ts). A
 * log-normal tail can overflow a double; a message that late arrives after any run has ended, so
 * clamping changes no run's outcome while keeping every instant a safe integer.
 */
export const MAX_LATENCY_MICROS = 86_400_000_000;

export function sampleLatency(distribution: LatencyDistribution, random: Random): Micros {
  const micros = sampleUnbounded(distribution, random);
  return micros <= MAX_LATENCY_MICROS ? micros : MAX_LATENCY_MICROS;
}

function sampleUnbounded(distribution: LatencyDistribution, random: Random): Micros {
  switch (distribution.dist) {
    case 'constant':
      return distribution.micros;
    case 'uniform':
      return random.int(distribution.min, distribution.max);
    case 'exponential':
      return (distribution.min ?? 0) + Math.round(random.exponential() * distribution.mean);
    case 'normal':
      return Math.max(distribution.min ?? 0, Math.round(distribution.mean + random.normal() * distribution.stddev));
    case 'lognormal':
      return Math.max(
        distribution.min ?? 0,
        Math.round(distribution.median * exp(distribution.sigma * random.normal())),
      );
  }
}

/** The mean of a distribution, for summaries and for choosing sensible timeouts. */
export function meanLatency(distribution: LatencyDistribution): Micros {
  switch (distribution.dist) {
    case 'constant':
      return distribution.micros;
    case 'uniform':
      return (distribution.min + distribution.max) / 2;
    case 'exponential':
      return (distribution.min ?? 0) + distribution.mean;
    case 'normal':
      return distribution.mean;
    case 'lognormal':
      return distribution.median * Math.exp((distribution.sigma * distribution.sigma) / 2);
  }
}

export function describeLatency(distribution: LatencyDistribution): string {
  switch (distribution.dist) {
    case 'constant':
      return `${distribution.micros}us`;
    case 'uniform':
      return `uniform ${distribution.min}..${distribution.max}us`;
    case 'exponential':
      return `${distribution.min ?? 0}us + exponential mean ${distribution.mean}us`;
    case 'normal':
      return `normal ${distribution.mean}±${distribution.stddev}us`;
    case 'lognormal':
      return `lognormal median ${distribution.median}us σ=${distribution.sigma}`;
  }
}
