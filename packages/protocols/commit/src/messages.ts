import type { NodeId } from '@dsim/core';

/** The outcome of a transaction at one site. Once a site decides, it never changes its mind (BHG AC2). */
export type Decision = 'commit' | 'abort';

/** A participant's vote on VOTE-REQ. A NO vote is a unilateral abort. */
export type Vote = 'yes' | 'no';

/**
 * What a site says about a transaction when asked (cooperative termination in 2PC, the
 * termination protocol's poll in 3PC):
 * - `uncertain`: voted YES and has no PRE-COMMIT (2PC's READY, 3PC's UNCERTAIN), or a coordinator in WAIT;
 * - `committable`: 3PC only, got PRE-COMMIT (or a coordinator in PRECOMMIT);
 * - `committed` / `aborted`: decided. A participant asked about a transaction it never voted on
 *   aborts unilaterally and says `aborted` (BHG: an INIT participant may abort).
 */
export type SiteState = 'uncertain' | 'committable' | 'committed' | 'aborted';

/** One change to one account: negative debits, positive credits. */
export interface Write {
  readonly account: string;
  readonly delta: number;
}

export type CommitMessage =
  /** VOTE-REQ: carries the participant's part of the work, so locks are taken at prepare. */
  | {
      readonly type: 'Prepare';
      readonly tx: number;
      readonly participants: readonly NodeId[];
      readonly writes: readonly Write[];
    }
  | { readonly type: 'Vote'; readonly tx: number; readonly vote: Vote; readonly reason?: string }
  /** 3PC only: everyone voted YES; move to COMMITTABLE and ACK. Sent by the coordinator, or by a backup under TR4. */
  | { readonly type: 'PreCommit'; readonly tx: number }
  | { readonly type: 'PreCommitAck'; readonly tx: number }
  /** COMMIT or ABORT. */
  | { readonly type: 'Decision'; readonly tx: number; readonly decision: Decision }
  | { readonly type: 'DecisionAck'; readonly tx: number; readonly decision: Decision }
  /** "What do you know about tx?" — a termination round or a recovering site asking. */
  | { readonly type: 'StateRequest'; readonly tx: number; readonly round: number }
  /** `recovered`: the reporter failed after voting and restarted undecided, so it may not act as backup (Skeen; BHG §7.5). */
  | {
      readonly type: 'StateReport';
      readonly tx: number;
      readonly round: number;
      readonly state: SiteState;
      readonly recovered: boolean;
    };

/** One line per message for traces and golden files: 'Prepare tx=1 p1/a0-12'. */
export function describeMessage(msg: CommitMessage): string {
  switch (msg.type) {
    case 'Prepare':
      return `Prepare tx=${msg.tx} ${msg.writes.map((write) => `${write.account}${write.delta >= 0 ? '+' : ''}${write.delta}`).join(' ')}`;
    case 'Vote':
      return `Vote tx=${msg.tx} ${msg.vote}${msg.reason ? ` (${msg.reason})` : ''}`;
    case 'PreCommit':
      return `PreCommit tx=${msg.tx}`;
    case 'PreCommitAck':
      return `PreCommitAck tx=${msg.tx}`;
    case 'Decision':
      return `${msg.decision === 'commit' ? 'Commit' : 'Abort'} tx=${msg.tx}`;
    case 'DecisionAck':
      return `Ack tx=${msg.tx} ${msg.decision}`;
    case 'StateRequest':
      return `StateRequest tx=${msg.tx} round=${msg.round}`;
    case 'StateReport':
      return `StateReport tx=${msg.tx} round=${msg.round} ${msg.state}${msg.recovered ? ' recovered' : ''}`;
  }
}
