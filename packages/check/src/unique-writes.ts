import type { ReadWriteFunctions } from './model.ts';
import type { CheckedOperation } from './operations.ts';
import { canonicalKey, showValue } from './values.ts';

/**
 * The verdict of the unique-writes check: `not-applicable` when the partition is not a plain
 * read/write register with distinct written values.
 */
export type UniqueWritesOutcome =
  | { readonly verdict: 'not-applicable'; readonly reason: string }
  | { readonly verdict: 'linearizable' }
  | {
      readonly verdict: 'not-linearizable';
      /** The operation whose placement is impossible (a read, or the write of a cluster). */
      readonly blocked: number;
      /** What the conflict is, for people. */
      readonly reason: string;
    };

interface Cluster {
  /** The write's operation id, or -1 for the initial value. */
  readonly write: number;
  readonly reads: number[];
}

interface Zone {
  readonly cluster: Cluster;
  /** Forward: from the earliest completion to the latest invocation of the cluster. */
  readonly low: number;
  readonly high: number;
}

/**
 * Decides a read/write register partition in O(n log n) when every written value is distinct,
 * by Gibbons & Korach's zones ("Testing shared memories", SIAM J. Comput. 26(4), 1997, §4; the
 * read-mapping approach): once each read is mapped to the one write of its value, the history is
 * linearizable iff (1) no read completes before its write is invoked, (2) no two forward zones
 * overlap, and (3) no backward zone lies inside a forward zone. A cluster is a write with its
 * reads; its zone runs from the earliest completion to the latest invocation among them: forward
 * when the completion comes first (the value must be current across the whole zone), backward
 * otherwise (the value may live at one instant inside it).
 *
 * The initial value is a write before everything. An `info` write that someone read took effect
 * (it completes at +∞); one nobody read may never have, and is left out. Positions are distinct
 * history positions, so no two endpoints tie.
 */
export function checkUniqueWrites(
  ops: readonly CheckedOperation[],
  functions: ReadWriteFunctions,
): UniqueWritesOutcome {
  const byValue = new Map<string | number | boolean | null, Cluster>();
  const initial: Cluster = { write: -1, reads: [] };
  const initialKey = canonicalKey(functions.initial);
  byValue.set(initialKey, initial);
  const clusters: Cluster[] = [initial];
  for (const op of ops) {
    if (op.f === functions.write) {
      const key = canonicalKey(op.input);
      const existing = byValue.get(key);
      if (existing !== undefined) {
        return {
          verdict: 'not-applicable',
          reason:
            existing.write === -1
              ? `a write of the initial value ${showValue(functions.initial)}`
              : `the value ${showValue(op.input)} is written twice`,
        };
      }
      const cluster: Cluster = { write: op.id, reads: [] };
      byValue.set(key, cluster);
      clusters.push(cluster);
    } else if (op.f !== functions.read) return { verdict: 'not-applicable', reason: `a '${op.f}' operation` };
  }
  for (const op of ops) {
    if (op.f !== functions.read) continue;
    // Unknown reads were dropped before; every read here completed with a value.
    const cluster = byValue.get(canonicalKey(op.output ?? null));
    if (cluster === undefined)
      return { verdict: 'not-linearizable', blocked: op.id, reason: `it reads ${showValue(op.output)}, never written` };
    cluster.reads.push(op.id);
  }

  const forward: Zone[] = [];
  const backward: Zone[] = [];
  for (const cluster of clusters) {
    const write = cluster.write === -1 ? undefined : ops[cluster.write]!;
    // An unknown write nobody read may never have happened.
    if (write !== undefined && !write.completed && cluster.reads.length === 0) continue;
    const writeInvoke = write === undefined ? -1 : write.invoke;
    let earliestCompletion = write === undefined ? -1 : write.complete;
    let latestInvoke = writeInvoke;
    for (const read of cluster.reads) {
      const op = ops[read]!;
      if (op.complete < writeInvoke)
        return {
          verdict: 'not-linearizable',
          blocked: read,
          reason: `it completes before the write of ${showValue(op.output)} is invoked`,
        };
      if (op.complete < earliestCompletion) earliestCompletion = op.complete;
      if (op.invoke > latestInvoke) latestInvoke = op.invoke;
    }
    if (earliestCompletion < latestInvoke) forward.push({ cluster, low: earliestCompletion, high: latestInvoke });
    else backward.push({ cluster, low: latestInvoke, high: earliestCompletion });
  }

  forward.sort((a, b) => a.low - b.low);
  for (let i = 1; i < forward.length; i++) {
    const before = forward[i - 1]!;
    const zone = forward[i]!;
    if (zone.low < before.high) return conflict(ops, before, zone, 'must each stay current over overlapping spans');
  }
  for (const zone of backward) {
    // The forward zones are disjoint: only the last one starting before this zone can hold it.
    let low = 0;
    let high = forward.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (forward[middle]!.low < zone.low) low = middle + 1;
      else high = middle;
    }
    const around = forward[low - 1];
    if (around !== undefined && zone.high < around.high)
      return conflict(
        ops,
        around,
        zone,
        'the second has no instant outside the span where the first must stay current',
      );
  }
  return { verdict: 'linearizable' };
}

function conflict(
  ops: readonly CheckedOperation[],
  first: Zone,
  second: Zone,
  why: string,
): Extract<UniqueWritesOutcome, { verdict: 'not-linearizable' }> {
  const name = (cluster: Cluster) =>
    cluster.write === -1 ? 'the initial value' : `the value ${showValue(ops[cluster.write]!.input)}`;
  // The blocked operation: the second cluster's latest read if it has one (a read that cannot see
  // its value at any instant left to it), else its write.
  const reads = second.cluster.reads;
  const blocked =
    reads.length > 0 ? reads.reduce((a, b) => (ops[a]!.invoke > ops[b]!.invoke ? a : b)) : second.cluster.write;
  return {
    verdict: 'not-linearizable',
    blocked: blocked === -1 ? first.cluster.write : blocked,
    reason: `${name(first.cluster)} and ${name(second.cluster)}: ${why}`,
  };
}
