import type { NodeId } from '@dsim/core';

/**
 * A proposal number as "Paxos Made Simple" §2.2 requires: unique and totally ordered. It is the
 * pair (round, proposer), compared by round first and proposer id second, so two proposers never
 * use the same number and each can always pick a higher one.
 */
export interface Ballot {
  readonly round: number;
  readonly node: NodeId;
}

/** Negative when a < b, zero when equal, positive when a > b; null (no ballot yet) is below every ballot. */
export function compareBallots(a: Ballot | null, b: Ballot | null): number {
  if (a === null) return b === null ? 0 : -1;
  if (b === null) return 1;
  if (a.round !== b.round) return a.round - b.round;
  return a.node < b.node ? -1 : a.node > b.node ? 1 : 0;
}

/** '3.n2', or '-' for no ballot: how traces and the view show a ballot. */
export function formatBallot(ballot: Ballot | null): string {
  return ballot === null ? '-' : `${ballot.round}.${ballot.node === '' ? '?' : ballot.node}`;
}

export function sameBallot(a: Ballot | null, b: Ballot | null): boolean {
  return compareBallots(a, b) === 0;
}

export function quorum(clusterSize: number): number {
  return Math.floor(clusterSize / 2) + 1;
}
