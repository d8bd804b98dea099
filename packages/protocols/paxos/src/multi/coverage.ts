import type { ProtocolCoverage } from '@dsim/core';
import type { MultiPaxosState } from './state.ts';

/**
 * What a Multi-Paxos sweep should reach: leader changes, and the new leader's phase 1 over the
 * open slots (Paxos Made Simple §3): slots it must re-propose with a reported value, and gaps it
 * fills with no-ops.
 */
export const coverage: ProtocolCoverage<MultiPaxosState> = {
  roles: ['follower', 'candidate', 'leader'],
  messages: ['Prepare', 'Promise', 'Accept', 'Accepted', 'Nack', 'Heartbeat', 'CatchUp', 'CatchUpReply'],
  states: {
    reproposedReportedSlot: (state) => state.recoveredSlots > 0,
    filledGapWithNoop: (state) => state.noopFills > 0,
    nacked: (state) => state.nacks > 0,
  },
};
