import type { Scenario } from '@dsim/core';
import type { SimulationPropertyOptions } from '@dsim/property';

/**
 * The property-run hunts shared by catch-bugs.ts and the package's property tests: the correct
 * protocols under every fault kind, and one hunt per bug switch (three for `noBarrier`, one per
 * anomaly, each checking only the invariant of its anomaly). Not a scenario file.
 *
 * The network is the default 1–5 ms; reordering comes from the faults: a `slow` episode (links of
 * up to 500 ms) lets a Try sent inside it arrive after the Cancel the global timeout sends once it is
 * over, which is how a Try overtakes its Cancel in production (a GC pause, a congested link).
 */
export interface TxnHunt {
  readonly id: string;
  readonly options: Omit<SimulationPropertyOptions, 'numRuns'>;
}

export const HUNT_KINDS = ['partition', 'crash', 'pause', 'loss', 'duplicate', 'slow'] as const;
const healAt = '5s';

export function huntScenario(
  protocol: 'tcc' | 'saga',
  bugs: readonly string[],
  invariants?: readonly string[],
  config?: Readonly<Record<string, unknown>>,
): Scenario {
  return {
    name: `${protocol}-hunt${config?.style === 'choreographed' ? '-choreographed' : ''}${bugs.length ? `-bug-${bugs.join('+')}` : ''}${invariants ? `-${invariants.join('+')}` : ''}`,
    description: 'Random transfers; the property runner adds the faults (heal at 5s, then 5s quiet)',
    protocol,
    nodes: ['c', 'p1', 'p2', 'p3'],
    seed: 1,
    until: '10s',
    ...(bugs.length ? { bugs } : {}),
    ...(config ? { config } : {}),
    workload: { name: 'transfers', clients: 3, thinkTime: '50ms', timeout: '2s' },
    ...(invariants ? { invariants } : {}),
  };
}

function hunt(
  id: string,
  protocol: 'tcc' | 'saga',
  bugs: readonly string[],
  invariants?: readonly string[],
  config?: Readonly<Record<string, unknown>>,
): TxnHunt {
  return {
    id,
    options: {
      name: `${protocol} ${id}`,
      scenario: huntScenario(protocol, bugs, invariants, config),
      faults: {
        kinds: [...HUNT_KINDS],
        maxFaults: 5,
        healAt,
        from: '100ms',
        minDuration: '20ms',
        maxDuration: '2s',
        durations: { slow: { min: '20ms', max: '300ms' } },
      },
    },
  };
}

export const correctHunts: TxnHunt[] = [
  hunt('tcc', 'tcc', []),
  hunt('saga', 'saga', []),
  hunt('saga-choreographed', 'saga', [], undefined, { style: 'choreographed' }),
];

export const bugHunts: TxnHunt[] = [
  hunt('tcc:noBarrier:idempotency', 'tcc', ['noBarrier'], ['idempotent-phase-two']),
  hunt('tcc:noBarrier:empty-rollback', 'tcc', ['noBarrier'], ['empty-rollback-changes-nothing']),
  hunt('tcc:noBarrier:suspension', 'tcc', ['noBarrier'], ['no-hanging-try']),
  hunt('tcc:cancelWithoutTryCheck', 'tcc', ['cancelWithoutTryCheck']),
  hunt('tcc:tryAfterCancelAllowed', 'tcc', ['tryAfterCancelAllowed']),
  hunt('tcc:confirmNotIdempotent', 'tcc', ['confirmNotIdempotent']),
  hunt('tcc:fenceCleanedEarly', 'tcc', ['fenceCleanedEarly']),
  hunt('saga:compensateForwardOrder', 'saga', ['compensateForwardOrder']),
  hunt('saga:sagaNoCompensationRetry', 'saga', ['sagaNoCompensationRetry']),
  hunt('saga:noBarrier', 'saga', ['noBarrier']),
];

/** Which invariant each hunt must report (the anomaly's own). */
export const expectedInvariant: Readonly<Record<string, string>> = {
  'tcc:noBarrier:idempotency': 'idempotent-phase-two',
  'tcc:noBarrier:empty-rollback': 'empty-rollback-changes-nothing',
  'tcc:noBarrier:suspension': 'no-hanging-try',
  'tcc:cancelWithoutTryCheck': 'empty-rollback-changes-nothing',
  'tcc:tryAfterCancelAllowed': 'no-hanging-try',
  'tcc:confirmNotIdempotent': 'idempotent-phase-two',
  'tcc:fenceCleanedEarly': 'no-hanging-try',
  'saga:compensateForwardOrder': 'compensation',
  'saga:sagaNoCompensationRetry': 'semantic-atomicity',
  'saga:noBarrier': 'idempotent-phase-two|empty-rollback-changes-nothing',
};
