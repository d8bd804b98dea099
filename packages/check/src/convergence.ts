import type { Micros } from '@dsim/core';
import { canonicalJson } from './values.ts';

/**
 * The convergence checker (Distro, eventually consistent stores): after the heal, all replicas
 * agree within a bound, and keep agreeing. It reads snapshots of every replica's data taken over
 * time (from a trace's state events or a test's sampling), so it needs nothing from the protocol.
 */
export interface ReplicaSnapshot {
  readonly time: Micros;
  /** Each replica's data (compared as canonical JSON); undefined for a replica that is down. */
  readonly replicas: Readonly<Record<string, unknown>>;
}

export interface ConvergenceResult {
  readonly converged: boolean;
  /** The first snapshot time at or after the heal from which all replicas agreed to the end. */
  readonly convergedAt?: Micros;
  /** convergedAt − healAt. */
  readonly convergenceMicros?: Micros;
  /** The last disagreement seen, for the message and the visualizer. */
  readonly disagreement?: { readonly time: Micros; readonly values: Readonly<Record<string, unknown>> };
  readonly message: string;
}

export function checkConvergence(
  snapshots: readonly ReplicaSnapshot[],
  options: { readonly healAt: Micros; readonly withinMicros: Micros },
): ConvergenceResult {
  const after = snapshots.filter((snapshot) => snapshot.time >= options.healAt);
  for (let i = 1; i < after.length; i++)
    if (after[i]!.time < after[i - 1]!.time)
      throw new Error(
        `checkConvergence: snapshots must be in time order (${after[i]!.time}us comes after ${after[i - 1]!.time}us)`,
      );
  if (after.length === 0)
    return {
      converged: false,
      message: `no snapshot at or after the heal at ${options.healAt}us: sample the replicas after the heal`,
    };
  let convergedAt: Micros | undefined;
  let disagreement: ConvergenceResult['disagreement'];
  for (const snapshot of after) {
    const values = Object.entries(snapshot.replicas).filter(([, value]) => value !== undefined);
    const texts = new Set(values.map(([, value]) => canonicalJson(value)));
    const down = Object.values(snapshot.replicas).some((value) => value === undefined);
    if (texts.size <= 1 && !down) convergedAt ??= snapshot.time;
    else {
      convergedAt = undefined;
      disagreement = { time: snapshot.time, values: snapshot.replicas };
    }
  }
  const deadline = options.healAt + options.withinMicros;
  if (convergedAt !== undefined && convergedAt <= deadline) {
    return {
      converged: true,
      convergedAt,
      convergenceMicros: convergedAt - options.healAt,
      message: `replicas agreed ${convergedAt - options.healAt}us after the heal (bound ${options.withinMicros}us)`,
    };
  }
  const detail = disagreement
    ? `; at ${disagreement.time}us: ${Object.entries(disagreement.values)
        .map(([replica, value]) => `${replica}=${value === undefined ? 'down' : canonicalJson(value)}`)
        .join(', ')}`
    : '';
  return {
    converged: false,
    ...(convergedAt !== undefined ? { convergedAt, convergenceMicros: convergedAt - options.healAt } : {}),
    ...(disagreement ? { disagreement } : {}),
    message:
      convergedAt !== undefined
        ? `replicas agreed only ${convergedAt - options.healAt}us after the heal, beyond the bound of ${options.withinMicros}us${detail}`
        : `replicas never agreed after the heal at ${options.healAt}us${detail}`,
  };
}
