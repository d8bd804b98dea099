import { defineSeedFamily, formatMicros, type NemesisKind, type Scenario, type SeedFamily } from '@dsim/core';
import { swarm } from './swarm.ts';
import { blockedTimeProbe, transactionOutcomes } from './measurements.ts';

/** Every fault kind a commit sweep draws by default. */
export const ALL_KINDS: readonly NemesisKind[] = ['partition', 'crash', 'pause', 'loss', 'duplicate'];

export interface TransfersScenarioOptions {
  readonly protocol: '2pc' | '3pc';
  readonly variant?: 'skeen' | 'simplified';
  readonly kinds?: readonly NemesisKind[];
  readonly faults?: number;
  readonly bugs?: readonly string[];
  readonly seed?: number;
}

/**
 * The base scenario of the fault sweeps and property runs: a coordinator and three participants,
 * three clients sending random transfers (each enlists all three participants: payer, payee and
 * fee account), faults for the first 10 s, then a 6 s quiet period in which every transaction
 * begun before the heal must resolve ('resolved-after-heal'). With no fault kinds, the property
 * runner supplies the faults.
 */
export function transfersScenario(options: TransfersScenarioOptions): Scenario {
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

/**
 * The commit package's seed families, run by `dsim sweep --family commit/<name>`. `transfers`
 * sweeps 2PC or 3PC under generated faults and reports, beside the verdicts, what blocking cost
 * (global time a participant held locks while blocked, measured by a probe at every step) and what
 * became of the clients' transfers.
 */
export const families: Record<string, SeedFamily> = {
  transfers: defineSeedFamily({
    description: 'random transfers under generated faults until 10s, then every transaction must resolve',
    options: {
      protocol: { type: 'choice', description: 'the commit protocol', default: '2pc', values: ['2pc', '3pc'] },
      variant: {
        type: 'choice',
        description: "3PC's termination: Skeen's protocol or the simplified default actions",
        default: 'default',
        values: ['default', 'skeen', 'simplified'],
      },
      kinds: { type: 'list', description: 'fault kinds the nemesis draws', default: ALL_KINDS, values: ALL_KINDS },
      faults: { type: 'integer', description: 'fault episodes per run', default: 5, min: 0 },
    },
    swarm,
    scenario(seed, { protocol, variant, kinds, faults, bugs }) {
      return {
        ...transfersScenario({
          protocol: protocol as '2pc' | '3pc',
          ...(variant === 'default' ? {} : { variant: variant as 'skeen' | 'simplified' }),
          kinds: kinds as readonly NemesisKind[],
          faults: faults as number,
          bugs,
        }),
        seed,
      };
    },
    measure: {
      instrument(scenario) {
        const probe = blockedTimeProbe();
        return {
          scenario: { ...scenario, invariants: [...(scenario.invariants ?? []), probe.invariant] },
          read(result) {
            let blockedMicros = 0;
            let longestBlockedMicros = 0;
            for (const micros of probe.read().values()) {
              blockedMicros += micros;
              longestBlockedMicros = Math.max(longestBlockedMicros, micros);
            }
            return { ...transactionOutcomes(result), blockedMicros, longestBlockedMicros };
          },
        };
      },
      report({ runs, sum, max, nonZero }) {
        return [
          `transfers: ${sum.invoked ?? 0} invoked, ${sum.committed ?? 0} committed, ${sum.aborted ?? 0} aborted, ${sum.unknown ?? 0} unknown`,
          `blocking: ${nonZero.blockedMicros ?? 0}/${runs} runs had a blocked participant; mean ${formatMicros(Math.round((sum.blockedMicros ?? 0) / Math.max(1, runs)))} blocked per run (all participants), longest per participant per run ${formatMicros(max.longestBlockedMicros ?? 0)}`,
        ];
      },
    },
  }),
};
