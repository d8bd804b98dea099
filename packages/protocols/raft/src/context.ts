import type { Draft, NodeContext } from '@dsim/core';
import type { RaftBug } from './bugs.ts';
import type { RaftConfig } from './config.ts';
import type { RaftMessage } from './messages.ts';
import type { KvResult, RaftState } from './state.ts';

/**
 * Raft's timers: `election` (a follower's or candidate's randomized election timeout),
 * `heartbeat` (the leader's heartbeat interval), `checkQuorum` (the leader steps down without a
 * quorum's contact in an election timeout) and `transfer` (a leadership transfer gives up).
 */
export const timers = ['election', 'heartbeat', 'checkQuorum', 'transfer'] as const;
export type RaftTimer = (typeof timers)[number];

/** What every Raft handler receives. */
export type RaftContext = NodeContext<RaftMessage, KvResult, RaftConfig, RaftTimer, RaftBug>;

/** The state as handlers see it: an immer draft, or the state itself in the mutable mode. */
export type MutableState = Draft<RaftState>;
