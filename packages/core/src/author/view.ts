import type { NodeId } from './protocol.ts';

/**
 * What a protocol shows of a node, for the visualizer and the CLI: a structured description that
 * every protocol fills in the same shape, so the tools draw any protocol without code of their own.
 * Keep it small: it is built for every state change that is drawn.
 */
export interface NodeView {
  /** The node's role as people say it ('leader', 'acceptor', 'coordinator'); the tools colour by it. */
  readonly role: string;
  /** Short labelled values shown on the node: term 3, ballot 4.n2, epoch 7, phase prepared. */
  readonly badges?: readonly ViewBadge[];
  /** The node's logs (Raft's log, a Multi-Paxos slot log, one Kafka log per replica), with marks. */
  readonly logs?: readonly LogView[];
  /** Named values shown in the inspector: commit index, frozen amounts, instance counts. */
  readonly fields?: readonly ViewField[];
  /** Small tables: a Kafka `--describe` table, per-transaction branch states. */
  readonly tables?: readonly TableView[];
  /** Relations to other nodes, drawn as arrows: votes for, follows, suspects, syncs to. */
  readonly edges?: readonly ViewEdge[];
}

/** How a value should read: plain, good news, a warning, or something wrong. */
export type ViewTone = 'plain' | 'good' | 'warn' | 'bad';

export interface ViewBadge {
  readonly label: string;
  readonly value: string | number;
  readonly tone?: ViewTone;
}

export interface ViewField {
  readonly label: string;
  readonly value: string | number | boolean | null;
  readonly tone?: ViewTone;
}

/**
 * A log as positions `start`, `start + 1`, ... Entries before `start` are compacted (a snapshot) or
 * left out; `marks` name positions such as commit, applied or the high watermark (an entry at or
 * below a mark's position is under it).
 */
export interface LogView {
  /** Which log, when a node has several ('p0', 'slots'). */
  readonly name?: string;
  /** The index of the first entry shown. */
  readonly start: number;
  readonly entries: readonly LogEntryView[];
  /** Positions in the log by mark name: { commit: 5, applied: 4 }, { hw: 10, leo: 12 }. */
  readonly marks?: Readonly<Record<string, number>>;
}

export interface LogEntryView {
  /** A short label: 'put x=1', 'noop', 'v3'. */
  readonly label: string;
  /** The term, ballot or epoch the entry was written in, shown as its colour. */
  readonly term?: number;
  /** Marks of this entry alone: 'chosen', 'truncated', 'uncommitted'. */
  readonly marks?: readonly string[];
}

export interface TableView {
  readonly name: string;
  readonly columns: readonly string[];
  readonly rows: ReadonlyArray<ReadonlyArray<string | number | boolean | null>>;
}

export interface ViewEdge {
  readonly to: NodeId;
  /** What the arrow means: 'votes-for', 'follows', 'suspects', 'leads', 'syncs-to'. */
  readonly kind: string;
  readonly label?: string;
}
