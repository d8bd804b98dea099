import { formatBallot, type Ballot } from '../ballot.ts';

/** A proposal an acceptor accepted: its number and value. */
export interface Proposal {
  readonly ballot: Ballot;
  readonly value: string;
}

/**
 * The messages of "Paxos Made Simple" §2.2-2.3: Prepare (1a), Promise (1b), Accept (2a) and
 * Accepted (2b, sent to every learner), the NACK optimisation (a rejection carrying the higher
 * promise, so the proposer can give up early and jump ahead), and a learner's question to its
 * peers with their answer, so a learner that missed the Accepted messages still learns (§2.3's
 * relaying learner).
 */
export type PaxosMessage =
  | { readonly type: 'Prepare'; readonly ballot: Ballot }
  | { readonly type: 'Promise'; readonly ballot: Ballot; readonly accepted: Proposal | null }
  | { readonly type: 'Accept'; readonly ballot: Ballot; readonly value: string }
  | { readonly type: 'Accepted'; readonly ballot: Ballot; readonly value: string }
  | { readonly type: 'Nack'; readonly ballot: Ballot; readonly promised: Ballot }
  | { readonly type: 'WhatIsChosen' }
  | { readonly type: 'Chosen'; readonly value: string };

export function describeMessage(msg: PaxosMessage): string {
  switch (msg.type) {
    case 'Prepare':
      return `Prepare n=${formatBallot(msg.ballot)}`;
    case 'Promise':
      return `Promise n=${formatBallot(msg.ballot)} accepted=${msg.accepted ? `${formatBallot(msg.accepted.ballot)}:${msg.accepted.value}` : '-'}`;
    case 'Accept':
      return `Accept n=${formatBallot(msg.ballot)} v=${msg.value}`;
    case 'Accepted':
      return `Accepted n=${formatBallot(msg.ballot)} v=${msg.value}`;
    case 'Nack':
      return `Nack n=${formatBallot(msg.ballot)} promised=${formatBallot(msg.promised)}`;
    case 'WhatIsChosen':
      return 'WhatIsChosen';
    case 'Chosen':
      return `Chosen v=${msg.value}`;
  }
}
