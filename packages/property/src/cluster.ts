import type { NodeId } from '@dsim/core';
import fc from 'fast-check';

export interface ClusterOptions {
  /** Smallest and largest cluster. Defaults 3 and 7: the sizes consensus is deployed at. */
  readonly min?: number;
  readonly max?: number;
  /** Only odd sizes (majority quorums without a wasted node). Default false. */
  readonly oddOnly?: boolean;
}

/**
 * Cluster node ids `n1..nK` for a drawn size K. It shrinks toward the smallest cluster, where a
 * counterexample is easiest to read.
 */
export function clusterNodes(options: ClusterOptions = {}): fc.Arbitrary<NodeId[]> {
  const min = options.min ?? 3;
  const max = options.max ?? 7;
  if (!Number.isInteger(min) || min < 1 || !Number.isInteger(max) || max < min) {
    throw new Error(`clusterNodes: min (${min}) and max (${max}) must be whole numbers with 1 ≤ min ≤ max`);
  }
  const sizes: number[] = [];
  for (let size = min; size <= max; size++) if (!options.oddOnly || size % 2 === 1) sizes.push(size);
  if (sizes.length === 0) throw new Error(`clusterNodes: no odd size between ${min} and ${max}`);
  return fc.constantFrom(...sizes).map((size) => Array.from({ length: size }, (_, i) => `n${i + 1}`));
}
