import { intern, type ClientView, type NodeId, type Operation, type Workload } from '@dsim/core';
import type { KvOp } from './operations.ts';

type KvFunction = KvOp['f'];

/**
 * Clients of a key-value store, Jepsen style: a few keys so operations collide, unique written
 * values (`c3.17`) so a stale read is visible, and cas on the value the client last read.
 *
 * Options:
 * - keys (default 3): how many keys, named k0, k1, ...
 * - mix: relative weights of { get, put, append, cas } (default 4, 2, 3, 1)
 * - readers: ['c1'] makes those clients only read
 * - pin: { c1: 'n1' } sends a client's every operation to one node (redirects are ignored)
 *
 * `interject` lets a protocol put an operation of its own between the client's key-value
 * operations (Raft's leadership transfer); it is asked before the key is drawn.
 */
export function kvClients<Extra extends Operation = never>(
  options: Readonly<Record<string, unknown>>,
  interject?: (client: ClientView) => Extra | undefined,
): Workload<KvOp | Extra> {
  const keys = Math.max(1, Number(options.keys ?? 3));
  const mix = (options.mix ?? {}) as Partial<Record<KvFunction, number>>;
  const weights: Array<[KvFunction, number]> = [
    ['get', mix.get ?? 4],
    ['put', mix.put ?? 2],
    ['append', mix.append ?? 3],
    ['cas', mix.cas ?? 1],
  ];
  const total = weights.reduce((sum, [, weight]) => sum + weight, 0);
  const keyName = keyNamer();
  // What each client last read per key, for its next cas, and the key of its outstanding get.
  // Per workload instance, and so per run.
  const lastSeen = new Map<string, string | null>();
  const pendingGets = new Map<string, string>();
  const pin = (options.pin ?? {}) as Readonly<Record<string, NodeId>>;
  const readers = new Set((options.readers ?? []) as readonly string[]);
  return {
    chooseNode: (client, _op, current) => (Object.hasOwn(pin, client.client) ? pin[client.client]! : current),
    nextOp(client: ClientView): KvOp | Extra {
      const outcome = client.lastOutcome;
      const previous = pendingGets.get(client.client);
      if (previous !== undefined && outcome?.type === 'ok')
        lastSeen.set(`${client.client}/${previous}`, (outcome.value as string | null) ?? null);
      pendingGets.delete(client.client);
      const extra = interject?.(client);
      if (extra !== undefined) return extra;
      const key = keyName(client.random.int(0, keys - 1));
      let roll = client.random.next() * total;
      let f: KvFunction = 'get';
      if (!readers.has(client.client))
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
}

/**
 * Writes only, for benchmarks and election experiments: every client puts a fresh value to one of
 * `keys` keys (default 10). With C clients and think time T, the offered load is about
 * C / (T + round trip).
 */
export function kvWriters(options: Readonly<Record<string, unknown>>): Workload<KvOp> {
  const keys = Math.max(1, Number(options.keys ?? 10));
  const keyName = keyNamer();
  return {
    nextOp: (client: ClientView): KvOp => ({
      f: 'put',
      key: keyName(client.random.int(0, keys - 1)),
      value: `${client.client}.${client.invoked + 1}`,
    }),
  };
}

/**
 * The key name k<i>, made once per key and workload rather than once per operation: the history and
 * every node's state machine then share one string, and, made the engine's unique copy (intern), it
 * names a property without a lookup in the engine's string table.
 */
function keyNamer(): (i: number) => string {
  const names: string[] = [];
  return (i) => names[i] ?? (names[i] = intern(`k${i}`));
}
