import type { NemesisKind, Scenario } from '@dsim/core';
import { swarm } from './swarm.ts';

/** Every fault kind of the aggressive family: the kinds @dsim/commit's sweeps use, so the protocols meet the same faults. */
export const AGGRESSIVE_KINDS: readonly NemesisKind[] = ['partition', 'crash', 'pause', 'loss', 'duplicate'];

/**
 * Links of 1–5 ms, except from the coordinator `c` to the participants: 1–300 ms, without FIFO.
 * A Try sent before the global timeout (250 ms here) can arrive after the Cancel the timeout sent
 * (the reordering the barrier exists for), and a retried Confirm can overtake its first copy.
 * Bounded, so the default fence clean-up period (2 s) outlasts any message in flight.
 */
export const REORDERING_NETWORK = {
  latency: { dist: 'uniform', min: '1ms', max: '5ms' },
  links: [{ from: 'c', to: '*', bothWays: false, latency: { dist: 'uniform', min: '1ms', max: '300ms' } }],
  clientLatency: '1ms',
} as const;

/** The sweep's timeouts, fitted to REORDERING_NETWORK: most Tries answer within the global timeout, some do not. */
export const REORDERING_CONFIG = { globalTimeoutMicros: 250_000, stepTimeoutMicros: 400_000 } as const;

export interface TxnSweepOptions {
  readonly protocol: 'tcc' | 'saga';
  readonly kinds?: readonly NemesisKind[];
  readonly faults?: number;
  readonly bugs?: readonly string[];
  readonly seed?: number;
}

/**
 * The base of the sweeps and property runs: a coordinator and three participants, three clients
 * sending random transfers, faults from 0.5 s to 10 s over a reordering network, then an 8 s quiet
 * period in which every transaction begun before the heal must end ('semantic-atomicity').
 */
export function txnSweepScenario(options: TxnSweepOptions): Scenario {
  const kinds = options.kinds ?? AGGRESSIVE_KINDS;
  return {
    name: `${options.protocol}-sweep${kinds.length ? `-${kinds.join('+')}` : ''}${options.bugs?.length ? `-bug-${options.bugs.join('+')}` : ''}`,
    description: kinds.length
      ? `Random transfers over a reordering network under generated ${kinds.join('/')} faults until 10s, then quiet`
      : 'Random transfers over a reordering network; the property runner adds the faults',
    protocol: options.protocol,
    nodes: ['c', 'p1', 'p2', 'p3'],
    seed: options.seed ?? 1,
    until: '19s',
    network: REORDERING_NETWORK,
    config: REORDERING_CONFIG,
    ...(options.bugs?.length ? { bugs: options.bugs } : {}),
    workload: { name: 'transfers', clients: 3, thinkTime: '50ms', timeout: '2s' },
    ...(kinds.length > 0
      ? {
          nemesis: {
            faults: options.faults ?? 5,
            kinds,
            from: '500ms',
            healAt: '10s',
            minDuration: '50ms',
            maxDuration: '3s',
          },
        }
      : {}),
  };
}

/** Seed families for `dsim sweep --family <protocol>/<name>`: pure functions from a seed to a scenario. */
export function familiesOf(protocol: 'tcc' | 'saga') {
  const choreographed = {
    description: 'The aggressive family with the saga choreographed: participants publish the next event themselves.',
    scenario(seed: number, options?: Readonly<Record<string, unknown>>): Scenario {
      const bugs = Array.isArray(options?.bugs) ? (options.bugs as string[]) : [];
      const base = txnSweepScenario({ protocol, seed, bugs });
      return { ...base, name: `${base.name}-choreographed`, config: { ...base.config, style: 'choreographed' } };
    },
    swarm,
  };
  return {
    ...(protocol === 'saga' ? { choreographed } : {}),
    aggressive: {
      description:
        'Random transfers over links of 1–300 ms without FIFO (a Try can overtake its Cancel), with partitions, crashes of coordinator ' +
        'and participants, pauses, loss and duplication until 10 s, then an 8 s quiet period.',
      scenario(seed: number, options?: Readonly<Record<string, unknown>>): Scenario {
        const bugs = Array.isArray(options?.bugs) ? (options.bugs as string[]) : [];
        return txnSweepScenario({ protocol, seed, bugs });
      },
      swarm,
    },
  };
}
