import type { Micros, NodeId } from '@dsim/core';

/**
 * Settings of both protocols. Node roles come from the scenario's node list: the **first node is
 * the coordinator** (Seata's TC / DTM's server), every other node is a participant holding a shard
 * of the accounts (`p1/a0`, `p1/a1`, ...). Times are scaled down from the real defaults
 * (SPECS §2.8: Seata's 60 s global timeout and 1 s retry period, DTM's 35 s and 10 s doubling) to
 * the simulator's millisecond links, keeping their proportions to a round trip.
 */
export interface TxnConfig {
  readonly accountsPerParticipant: number;
  readonly initialBalance: number;
  /** TCC: a global transaction still trying after this long is rolled back (Seata timeoutCheck, DTM TimeoutToFail). */
  readonly globalTimeoutMicros: Micros;
  /** First interval between phase-2 (and compensation) retries; doubles up to `retryMaxMicros` (DTM cronBackoff). */
  readonly retryIntervalMicros: Micros;
  readonly retryMaxMicros: Micros;
  /**
   * How long a participant keeps a finished branch's barrier rows before deleting them (Seata's
   * fence `cleanPeriod`, 1 day by default). A safety parameter, not housekeeping (SPECS §7.2): it
   * must exceed the longest time a Try can spend in flight, or a very late Try finds no row and runs.
   */
  readonly fenceCleanupMicros: Micros;
  /** Saga: wait this long for a step's result before retrying it (forward recovery, DTM RequestTimeout). */
  readonly stepTimeoutMicros: Micros;
  /** Saga: retries of a step whose result is unknown before the saga gives up and compensates (DTM RetryLimit). */
  readonly stepRetries: number;
  /**
   * Saga countermeasures against the lack of isolation (Richardson, Microservices Patterns §4.3):
   * - `commutative-updates`: a `set` step is applied as an increment, so concurrent updates commute (against lost updates);
   * - `semantic-lock`: a step that writes an account marks it pending until its saga ends; other sagas' steps on it fail (against dirty reads);
   * - `reread-value`: a repeated read must see the value read before, or the step fails (against fuzzy reads).
   */
  readonly countermeasures: readonly Countermeasure[];
  /**
   * Saga: `orchestrated` (a coordinator runs the steps and the compensations) or `choreographed`
   * (the coordinator only starts the saga and hears its end; each participant publishes the next
   * event, retried until acknowledged). The saga bug switches apply to the orchestrated style.
   */
  readonly style: 'orchestrated' | 'choreographed';
}

export type Countermeasure = 'commutative-updates' | 'semantic-lock' | 'reread-value';
export const COUNTERMEASURES: readonly Countermeasure[] = ['commutative-updates', 'semantic-lock', 'reread-value'];

export const txnDefaults: TxnConfig = {
  accountsPerParticipant: 4,
  initialBalance: 100,
  globalTimeoutMicros: 200_000,
  retryIntervalMicros: 100_000,
  retryMaxMicros: 1_000_000,
  fenceCleanupMicros: 2_000_000,
  stepTimeoutMicros: 100_000,
  stepRetries: 2,
  countermeasures: [],
  style: 'orchestrated',
};

/** The coordinator is the scenario's first node; the participants are the others, in order. */
export { coordinatorOf, participantsOf } from '@dsim/services';

export function validateConfig(config: TxnConfig, nodes: readonly NodeId[]): string[] {
  const problems: string[] = [];
  if (nodes.length < 3)
    problems.push(
      `nodes: a transfer needs a coordinator and at least two participants (the first node coordinates); got ${nodes.length} node(s)`,
    );
  const micros = [
    'globalTimeoutMicros',
    'retryIntervalMicros',
    'retryMaxMicros',
    'fenceCleanupMicros',
    'stepTimeoutMicros',
  ] as const;
  for (const field of micros)
    if (!Number.isInteger(config[field]) || config[field] <= 0)
      problems.push(`${field}: must be a positive whole number of microseconds (got ${String(config[field])})`);
  if (config.retryMaxMicros < config.retryIntervalMicros)
    problems.push(
      `retryMaxMicros (${config.retryMaxMicros}) must not be below retryIntervalMicros (${config.retryIntervalMicros})`,
    );
  if (!Number.isInteger(config.accountsPerParticipant) || config.accountsPerParticipant < 1)
    problems.push(
      `accountsPerParticipant: must be a positive whole number (got ${String(config.accountsPerParticipant)})`,
    );
  if (!Number.isInteger(config.initialBalance) || config.initialBalance < 0)
    problems.push(`initialBalance: must be a whole number, 0 or more (got ${String(config.initialBalance)})`);
  if (!Array.isArray(config.countermeasures) || config.countermeasures.some((name) => !COUNTERMEASURES.includes(name)))
    problems.push(
      `countermeasures: a list of ${COUNTERMEASURES.join(', ')} (got ${JSON.stringify(config.countermeasures)})`,
    );
  if (config.style !== 'orchestrated' && config.style !== 'choreographed')
    problems.push(`style: 'orchestrated' or 'choreographed' (got ${JSON.stringify(config.style)})`);
  if (!Number.isInteger(config.stepRetries) || config.stepRetries < 0)
    problems.push(`stepRetries: must be a whole number, 0 or more (got ${String(config.stepRetries)})`);
  return problems;
}
