import type { NodeId } from '@dsim/core';
import type { ConfChange, Membership } from './membership.ts';

/**
 * The client operations of the replicated key-value store. The semantics match @dsim/check's
 * `kvModel`: get → current string or null; put sets; append concatenates ('' when absent);
 * cas [expected, next] applies only when the current value equals `expected` (null = absent).
 * `transfer` asks the leader to hand leadership to `value` (etcd MsgTransferLeader); it is not a
 * key-value operation and the linearizability check skips it; nor is `conf`, a configuration
 * change (membership.ts), which the leader appends as a `config` entry.
 * `seq` (optional) is the client's sequence number for its session; by default the kernel's
 * per-client invocation counter is used.
 */
export type KvOp =
  | { readonly f: 'get'; readonly key: string; readonly seq?: number }
  | { readonly f: 'put'; readonly key: string; readonly value: string; readonly seq?: number }
  | { readonly f: 'append'; readonly key: string; readonly value: string; readonly seq?: number }
  | { readonly f: 'cas'; readonly key: string; readonly value: [string | null, string]; readonly seq?: number }
  | { readonly f: 'transfer'; readonly value: NodeId; readonly key?: undefined; readonly seq?: number }
  | { readonly f: 'conf'; readonly value: ConfChange; readonly key?: undefined; readonly seq?: number };

export type KvResult = string | null | undefined;

/**
 * A log entry. Entries are never changed once created (they may be shared between the sender's
 * log and a receiver's, and between both state modes' snapshots), only appended or truncated.
 */
export interface Entry {
  readonly term: number;
  readonly kind: 'noop' | 'op' | 'config';
  readonly op?: KvOp;
  /** A `config` entry's configuration: in force on every server that holds the entry, committed or not (dissertation §4.1). */
  readonly membership?: Membership;
  /** Session: the client and its sequence number, so a retried request applies once. */
  readonly client?: string;
  readonly seq?: number;
  /** The request id and the node that proposed it: only the proposer answers the client. */
  readonly request?: string;
  readonly proposer?: NodeId;
}
