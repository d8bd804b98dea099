import type { Draft, NodeContext } from '@dsim/core';
import type { RaftConfig } from './config.ts';
import type { RaftMessage } from './messages.ts';
import type { KvResult, RaftState } from './state.ts';

/** What every Raft handler receives. */
export type RaftContext = NodeContext<RaftMessage, KvResult, RaftConfig>;

/** The state as handlers see it: an immer draft, or the state itself in the mutable mode. */
export type MutableState = Draft<RaftState>;
