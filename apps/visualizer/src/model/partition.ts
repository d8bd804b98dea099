import { connectivity, type Fault, type NodeId } from '@dsim/core';

/** A cut between two nodes as drawn: both ways, or one way (`from` cannot reach `to`). */
export interface CutLink {
  readonly a: number;
  readonly b: number;
  /** 'both' when neither reaches the other; 'a->b' when only a's messages to b are dropped; 'b->a' the reverse. */
  readonly blocked: 'both' | 'a->b' | 'b->a';
}

/**
 * The cut links of a partition fault over node indexes, each pair once. Uses the kernel's own
 * `connectivity`, so the picture is exactly what the kernel enforces.
 */
export function cutLinks(fault: Fault | undefined, nodes: readonly NodeId[]): CutLink[] {
  if (!fault) return [];
  const canTalk = connectivity(fault, nodes);
  if (!canTalk) return [];
  const cuts: CutLink[] = [];
  for (let a = 0; a < nodes.length; a++) {
    for (let b = a + 1; b < nodes.length; b++) {
      const ab = canTalk(nodes[a]!, nodes[b]!);
      const ba = canTalk(nodes[b]!, nodes[a]!);
      if (!ab && !ba) cuts.push({ a, b, blocked: 'both' });
      else if (!ab) cuts.push({ a, b, blocked: 'a->b' });
      else if (!ba) cuts.push({ a, b, blocked: 'b->a' });
    }
  }
  return cuts;
}

/**
 * Groups of a partition: nodes that reach exactly the same set of nodes (both ways) share a group.
 * For `partition`, `isolate` and `bridge` these are the sides people think of. Returns undefined
 * when groups do not describe the shape (a majorities ring, where every node sees a different
 * majority, or a one-way cut), so the views draw cut links instead of sides.
 */
export function partitionGroups(fault: Fault, nodes: readonly NodeId[]): Int32Array | undefined {
  const canTalk = connectivity(fault, nodes);
  if (!canTalk || fault.type === 'cut' || fault.type === 'ring') return undefined;
  const signatures = new Map<string, number>();
  const groups = new Int32Array(nodes.length);
  for (let a = 0; a < nodes.length; a++) {
    let signature = '';
    for (let b = 0; b < nodes.length; b++)
      signature += a === b || (canTalk(nodes[a]!, nodes[b]!) && canTalk(nodes[b]!, nodes[a]!)) ? '1' : '0';
    let group = signatures.get(signature);
    if (group === undefined) {
      group = signatures.size;
      signatures.set(signature, group);
    }
    groups[a] = group;
  }
  return signatures.size > 1 ? groups : undefined;
}
