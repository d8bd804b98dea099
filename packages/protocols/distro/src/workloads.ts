import { toMicros, type Duration, type WorkloadFactory } from '@dsim/core';
import type { DistroOp } from './state.ts';

interface ClientPlan {
  registered: boolean;
  lastBeatAt: number;
  deregistered: boolean;
  lastOp: DistroOp['f'] | null;
}

/**
 * Nacos clients, one per client process: each publishes one instance of service `svc<i mod
 * services>` (every `persistentEvery`-th one persistent), beats every 5 s (the SDK's BeatReactor;
 * the beat carries its beat info, so a beat the owner does not recognise registers again) and,
 * between beats, reads a random service as a consumer would. Clients listed by `deregisterEvery`
 * deregister at `deregisterAt` and then only read; clients listed by `silentEvery` crash at
 * `silentAt` (they stop, so the registry must expire them). With `pinned`, a client stays on the
 * node it is connected to (node index mod n) even when a request fails, as a measurement of each
 * side of a partition needs; by default it reconnects elsewhere after a failure, as the SDK does.
 */
export const registry: WorkloadFactory<DistroOp> = (options, { nodes }) => {
  const services = Number(options.services ?? 5);
  const persistentEvery = Number(options.persistentEvery ?? 0);
  const beatIntervalMicros = toMicros((options.beatInterval as Duration | undefined) ?? '5s');
  const deregisterEvery = Number(options.deregisterEvery ?? 0);
  const deregisterAt = toMicros((options.deregisterAt as Duration | undefined) ?? 0);
  const silentEvery = Number(options.silentEvery ?? 0);
  const silentAt = toMicros((options.silentAt as Duration | undefined) ?? 0);
  const pinned = options.pinned === true;
  const plans: ClientPlan[] = [];
  return {
    ...(pinned
      ? {
          chooseNode: (client: { index: number }, _op: DistroOp, _current: string) =>
            nodes[client.index % nodes.length]!,
        }
      : {}),
    nextOp(client) {
      const plan = (plans[client.index] ??= {
        registered: false,
        lastBeatAt: -Infinity,
        deregistered: false,
        lastOp: null,
      });
      const ok = client.lastOutcome?.type === 'ok';
      if (plan.lastOp === 'register' && ok) plan.registered = true;
      if (plan.lastOp === 'deregister' && ok) plan.deregistered = true;
      const info = {
        service: `svc${client.index % services}`,
        ephemeral: !(persistentEvery > 0 && client.index % persistentEvery === persistentEvery - 1),
      };
      let op: DistroOp;
      if (silentEvery > 0 && client.index % silentEvery === 0 && client.now >= silentAt) return null;
      if (
        deregisterEvery > 0 &&
        client.index % deregisterEvery === 1 % deregisterEvery &&
        client.now >= deregisterAt &&
        !plan.deregistered
      )
        op = { f: 'deregister', key: client.client };
      else if (plan.deregistered) op = { f: 'read', key: `svc${client.random.int(0, services - 1)}` };
      else if (!plan.registered) op = { f: 'register', key: client.client, value: info };
      else if (client.now - plan.lastBeatAt >= beatIntervalMicros) {
        plan.lastBeatAt = client.now;
        op = { f: 'beat', key: client.client, value: info };
      } else op = { f: 'read', key: `svc${client.random.int(0, services - 1)}` };
      plan.lastOp = op.f;
      return op;
    },
  };
};

export const workloads = { registry };
