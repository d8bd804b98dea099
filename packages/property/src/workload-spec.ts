import { toMicros, type Duration, type WorkloadSpec } from '@dsim/core';
import fc from 'fast-check';

export interface WorkloadArbitraryOptions {
  /** Names of the protocol's workloads to draw from. */
  readonly names: readonly string[];
  /** Client processes. Defaults 1..5. */
  readonly minClients?: number;
  readonly maxClients?: number;
  /** Operations per client. Defaults 1..20. */
  readonly minOpsPerClient?: number;
  readonly maxOpsPerClient?: number;
  /** Pause between a client's operations. Defaults 0..50ms. */
  readonly maxThinkTime?: Duration;
  /** Client timeout (fixed: it decides which operations become `info`). Default 1s. */
  readonly timeout?: Duration;
  /** Clients stop invoking at this time, so a quiet period can follow. */
  readonly stopAt?: Duration;
  readonly options?: Readonly<Record<string, unknown>>;
}

/**
 * A scenario's `workload` block: which workload, how many clients, how many operations each and
 * how fast. It shrinks toward one client doing one operation.
 */
export function workloadSpec(options: WorkloadArbitraryOptions): fc.Arbitrary<WorkloadSpec> {
  if (options.names.length === 0)
    throw new Error("workloadSpec: options.names must list at least one of the protocol's workloads");
  const minClients = options.minClients ?? 1;
  const maxClients = options.maxClients ?? 5;
  const minOps = options.minOpsPerClient ?? 1;
  const maxOps = options.maxOpsPerClient ?? 20;
  if (minClients < 1 || maxClients < minClients)
    throw new Error(`workloadSpec: need 1 ≤ minClients (${minClients}) ≤ maxClients (${maxClients})`);
  if (minOps < 0 || maxOps < minOps)
    throw new Error(`workloadSpec: need 0 ≤ minOpsPerClient (${minOps}) ≤ maxOpsPerClient (${maxOps})`);
  const maxThink = toMicros(options.maxThinkTime ?? '50ms');
  return fc
    .record({
      name: fc.constantFrom(...options.names),
      clients: fc.integer({ min: minClients, max: maxClients }),
      opsPerClient: fc.integer({ min: minOps, max: maxOps }),
      thinkTime: fc.integer({ min: 0, max: maxThink }),
    })
    .map((drawn): WorkloadSpec => ({
      ...drawn,
      timeout: options.timeout ?? '1s',
      ...(options.stopAt !== undefined ? { stopAt: options.stopAt } : {}),
      ...(options.options ? { options: options.options } : {}),
    }));
}
