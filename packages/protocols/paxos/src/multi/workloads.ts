import { intern, type ClientView, type NodeId, type WorkloadFactory } from '@dsim/core';
import type { KvOp } from '../kv.ts';

/**
 * Clients of the key-value store, Jepsen style and the same as Raft's `kv` workload (so the two
 * protocols run one workload): a few keys so operations collide, unique written values so a stale
 * read shows, cas on the value the client last saw.
 *
 * Options: keys (default 3); mix: weights of { get, put, append, cas } (default 4, 2, 3, 1);
 * pin: { c1: 'n1' } sends a client's every operation to one node.
 */
export const kv: WorkloadFactory<KvOp> = (options) => {
  const keys = Math.max(1, Number(options.keys ?? 3));
  const mix = (options.mix ?? {}) as Partial<Record<KvOp['f'], number>>;
  const weights: Array<[KvOp['f'], number]> = [
    ['get', mix.get ?? 4],
    ['put', mix.put ?? 2],
    ['append', mix.append ?? 3],
    ['cas', mix.cas ?? 1],
  ];
  const total = weights.reduce((sum, [, weight]) => sum + weight, 0);
  const names: string[] = [];
  const keyName = (i: number) => names[i] ?? (names[i] = intern(`k${i}`));
  // What each client last read per key (for its next cas) and the key of its outstanding get: per run.
  const lastSeen = new Map<string, string | null>();
  const pendingGets = new Map<string, string>();
  const pin = (options.pin ?? {}) as Readonly<Record<string, NodeId>>;
  return {
    chooseNode: (client, _op, current) => (Object.hasOwn(pin, client.client) ? pin[client.client]! : current),
    nextOp(client: ClientView): KvOp {
      const previous = pendingGets.get(client.client);
      if (previous !== undefined && client.lastOutcome?.type === 'ok')
        lastSeen.set(`${client.client}/${previous}`, (client.lastOutcome.value as string | null) ?? null);
      pendingGets.delete(client.client);
      const key = keyName(client.random.int(0, keys - 1));
      let roll = client.random.next() * total;
      let f: KvOp['f'] = 'get';
      for (const [name, weight] of weights) {
        if (roll < weight) {
          f = name;
          break;
        }
        roll -= weight;
      }
      const value = `${client.client}.${client.invoked + 1}`;
      switch (f) {
        case 'get':
          pendingGets.set(client.client, key);
          return { f: 'get', key };
        case 'put':
          return { f: 'put', key, value };
        case 'append':
          return { f: 'append', key, value: `${value};` };
        default:
          return { f: 'cas', key, value: [lastSeen.get(`${client.client}/${key}`) ?? null, value] };
      }
    },
  };
};

export const workloads: Record<string, WorkloadFactory<KvOp>> = { kv };
