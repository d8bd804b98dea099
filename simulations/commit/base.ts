import type { NemesisKind, Scenario } from '@dsim/core';

/**
 * The base scenario of the fault sweeps and property runs: a coordinator and three participants,
 * three clients sending random transfers (each enlists all three participants: payer, payee and
 * fee account), faults for the first 10 s, then a 6 s quiet period in which every transaction
 * begun before the heal must resolve ('resolved-after-heal').
 *
 * Not a scenario file itself (it is a builder); the sweep and the property tests share it.
 */
export interface CommitSweepOptions {
  readonly protocol: '2pc' | '3pc';
  readonly variant?: 'skeen' | 'simplified';
  readonly kinds?: readonly NemesisKind[];
  readonly faults?: number;
  readonly bugs?: readonly string[];
  readonly seed?: number;
}

export const ALL_KINDS: readonly NemesisKind[] = ['partition', 'crash', 'pause', 'loss', 'duplicate'];

export function commitSweepScenario(options: CommitSweepOptions): Scenario {
  const kinds = options.kinds ?? ALL_KINDS;
  return {
    name: `${options.protocol}${options.variant ? `-${options.variant}` : ''}-sweep${kinds.length ? `-${kinds.join('+')}` : ''}${options.bugs?.length ? `-bug-${options.bugs.join('+')}` : ''}`,
    description: kinds.length
      ? `Random transfers under generated ${kinds.join('/')} faults until 10s, then quiet`
      : 'Random transfers; the property runner adds the faults',
    protocol: options.protocol,
    nodes: ['c', 'p1', 'p2', 'p3'],
    seed: options.seed ?? 1,
    until: '16s',
    ...(options.variant ? { config: { variant: options.variant } } : {}),
    ...(options.bugs?.length ? { bugs: options.bugs } : {}),
    workload: { name: 'transfers', clients: 3, thinkTime: '50ms', timeout: '1s' },
    nemesis: {
      faults: options.faults ?? 5,
      kinds,
      from: '500ms',
      healAt: '10s',
      minDuration: '50ms',
      maxDuration: '3s',
    },
    invariants: ['atomicity', 'validity', 'no-overdraft', 'money-conserved', 'resolved-after-heal'],
  };
}

/** One transfer that enlists all three participants (payer p1, payee p2, fee account p3). */
export const ONE_TRANSFER = [{ from: 'p1/a0', to: 'p2/a0', amount: 10, fee: 1, feeTo: 'p3/a0' }] as const;

/** Four transfers, each enlisting all three participants in a different role. */
export const FOUR_TRANSFERS = [
  { from: 'p1/a0', to: 'p2/a0', amount: 10, fee: 1, feeTo: 'p3/a0' },
  { from: 'p2/a1', to: 'p3/a1', amount: 5, fee: 1, feeTo: 'p1/a1' },
  { from: 'p3/a2', to: 'p1/a2', amount: 7, fee: 1, feeTo: 'p2/a2' },
  { from: 'p1/a0', to: 'p2/a0', amount: 20, fee: 1, feeTo: 'p3/a0' },
] as const;

/** The safety invariants every commit scenario checks. */
export const SAFETY_INVARIANTS = ['atomicity', 'validity', 'no-overdraft', 'money-conserved'] as const;

/**
 * What the scripted scenarios share: the coordinator c and participants p1-p3, constant 2 ms links
 * (so the scripted fault times land between known messages), and one client sending `transfers`
 * in order. Each scenario file adds its protocol, variant, faults and invariants.
 */
export function scriptedSites(transfers: ReadonlyArray<(typeof FOUR_TRANSFERS)[number]>) {
  return {
    nodes: ['c', 'p1', 'p2', 'p3'],
    seed: 1,
    until: '5s',
    network: { latency: '2ms', clientLatency: '2ms' },
    workload: { name: 'scripted', clients: 1, timeout: '1s', options: { transfers } },
  } as const;
}
