import { formatBallot, type Ballot } from '../ballot.ts';
import { describeKvOp, type KvOp } from '@dsim/services';

/** What a slot holds: a client's operation (with its session) or a no-op that fills a gap. */
export type Command =
  | { readonly kind: 'noop' }
  | {
      readonly kind: 'op';
      readonly op: KvOp;
      readonly client: string;
      readonly seq: number;
      /** The request id: identifies the command, and lets the proposing leader answer its client. */
      readonly request: string;
    };

/** A command an acceptor accepted in a slot, and the ballot it accepted it under. */
export interface SlotProposal {
  readonly ballot: Ballot;
  readonly command: Command;
}

/**
 * Multi-Paxos ("Paxos Made Simple" §3): one Prepare / Promise exchange covers every slot from
 * `fromSlot` on, the promise reporting what the acceptor accepted there; then one Accept /
 * Accepted round trip per slot. The leader's commit index rides on Accept and Heartbeat (the commit
 * notification); a lagging replica asks for chosen commands with CatchUp.
 */
export type MultiPaxosMessage =
  | { readonly type: 'Prepare'; readonly ballot: Ballot; readonly fromSlot: number }
  | {
      readonly type: 'Promise';
      readonly ballot: Ballot;
      readonly accepted: ReadonlyArray<readonly [number, SlotProposal]>;
    }
  | { readonly type: 'Nack'; readonly ballot: Ballot; readonly promised: Ballot }
  | {
      readonly type: 'Accept';
      readonly ballot: Ballot;
      readonly slot: number;
      readonly command: Command;
      readonly commit: number;
    }
  | { readonly type: 'Accepted'; readonly ballot: Ballot; readonly slot: number }
  | { readonly type: 'Heartbeat'; readonly ballot: Ballot; readonly commit: number }
  | { readonly type: 'CatchUp'; readonly fromSlot: number }
  | {
      readonly type: 'CatchUpReply';
      readonly chosen: ReadonlyArray<readonly [number, Command]>;
    };

/** 'noop', 'put k1=c1.3'. */
export function describeCommand(command: Command): string {
  return command.kind === 'noop' ? 'noop' : describeKvOp(command.op);
}

export function describeMessage(msg: MultiPaxosMessage): string {
  switch (msg.type) {
    case 'Prepare':
      return `Prepare b=${formatBallot(msg.ballot)} from=${msg.fromSlot}`;
    case 'Promise':
      return `Promise b=${formatBallot(msg.ballot)} accepted=${msg.accepted.length}`;
    case 'Nack':
      return `Nack b=${formatBallot(msg.ballot)} promised=${formatBallot(msg.promised)}`;
    case 'Accept':
      return `Accept b=${formatBallot(msg.ballot)} slot=${msg.slot} ${describeCommand(msg.command)} commit=${msg.commit}`;
    case 'Accepted':
      return `Accepted b=${formatBallot(msg.ballot)} slot=${msg.slot}`;
    case 'Heartbeat':
      return `Heartbeat b=${formatBallot(msg.ballot)} commit=${msg.commit}`;
    case 'CatchUp':
      return `CatchUp from=${msg.fromSlot}`;
    case 'CatchUpReply':
      return `CatchUpReply n=${msg.chosen.length}${msg.chosen.length > 0 ? ` from=${msg.chosen[0]![0]}` : ''}`;
  }
}

/**
 * A plain copy of a command. What a handler reads from its own state is, in the immutable state
 * mode, a draft that ends with the step; a command that moves to another place in the state (from
 * a promise's report or an in-flight proposal to the chosen log) is copied so that nothing of the
 * step's draft outlives it.
 */
export function copyCommand(command: Command): Command {
  if (command.kind === 'noop') return { ...command };
  const op = command.op;
  return { ...command, op: op.f === 'cas' ? { ...op, value: [op.value[0], op.value[1]] } : { ...op } };
}
