import { parseDuration, type ClientView, type Micros } from '@dsim/core';
import type { ConfChange } from './membership.ts';
import type { KvOp } from './state.ts';

/**
 * Configuration changes as an administrator's requests in the client workload, so that a change
 * is data in the scenario and replays with it: the `membership` option lists
 * `{ at: '2s', change: { steps: [{ type: 'addVoter', node: 'n4' }], joint?: true } }`. Change k is
 * sent by client k mod clients, at its first operation at or after `at`, and again after any
 * answer but `ok` (a follower's redirect, a leader that first commits its no-op or the previous
 * change), as an operator's tool retries until the change is in.
 */
export interface ScheduledConfChange {
  readonly at: Micros;
  readonly change: ConfChange;
}

/** Reads the `membership` option; throws a message naming the field and the fix. */
export function readMembershipSchedule(value: unknown): ScheduledConfChange[] {
  if (value === undefined) return [];
  if (!Array.isArray(value))
    throw new Error("workload option 'membership': must be a list such as [{ at: '2s', change: { steps: [...] } }]");
  return value.map((item: { at?: unknown; change?: { steps?: unknown } } | null, i) => {
    const at = parseDuration(item?.at ?? 0);
    if (typeof at !== 'number') throw new Error(`workload option 'membership[${i}].at': ${at.error}`);
    if (!Array.isArray(item?.change?.steps))
      throw new Error(
        `workload option 'membership[${i}].change': needs steps, e.g. { steps: [{ type: 'addVoter', node: 'n4' }] }`,
      );
    return { at, change: item.change as ConfChange };
  });
}

/** The per-run state of the schedule: which changes went in, and which client is sending which. */
export function membershipScheduler(
  schedule: readonly ScheduledConfChange[],
  clients: number,
): (client: ClientView) => KvOp | undefined {
  const done = schedule.map(() => false);
  const sending = new Map<string, number>();
  return (client) => {
    if (schedule.length === 0) return undefined;
    const inFlight = sending.get(client.client);
    if (inFlight !== undefined) {
      sending.delete(client.client);
      if (client.lastOutcome?.type === 'ok') done[inFlight] = true;
    }
    for (let k = 0; k < schedule.length; k++) {
      if (done[k] || k % Math.max(1, clients) !== client.index || client.now < schedule[k]!.at) continue;
      sending.set(client.client, k);
      return { f: 'conf', value: schedule[k]!.change };
    }
    return undefined;
  };
}
