import type { NodeId } from '@dsim/core';

/**
 * Bank accounts spread over the participants of a transaction protocol. An account's owner is
 * the part of its name before the last '/': 'p1/a0' lives on p1. 2PC, 3PC, TCC and Saga all use
 * this naming, so one workload drives every transaction protocol with the same requests.
 */
export function accountName(participant: NodeId, index: number): string {
  return `${participant}/a${index}`;
}

/** The `count` accounts a participant holds: p1/a0, p1/a1, ... */
export function accountsOn(participant: NodeId, count: number): string[] {
  return Array.from({ length: count }, (_, index) => accountName(participant, index));
}

/** The participant an account lives on ('' for a name without an owner). */
export function ownerOf(account: string): NodeId {
  const slash = account.lastIndexOf('/');
  return slash < 0 ? '' : account.slice(0, slash);
}

/** The transaction coordinator: the scenario's first node. */
export function coordinatorOf(nodes: readonly NodeId[]): NodeId {
  return nodes[0]!;
}

/** The participants: every node but the first, in scenario order. */
export function participantsOf(nodes: readonly NodeId[]): NodeId[] {
  return nodes.slice(1);
}
