import type { ProtocolCoverage } from '@dsim/core';
import type { PaxosState } from './state.ts';

/**
 * What a single-decree Paxos sweep should reach: both phases, back-off after a NACK, and the
 * case that makes Paxos safe (Paxos Made Simple §2.2, P2c): a proposer whose phase 1 reported an
 * already accepted value, which it must propose instead of its own.
 */
export const coverage: ProtocolCoverage<PaxosState> = {
  roles: ['acceptor', 'proposer-phase1', 'proposer-phase2', 'backing-off', 'learned'],
  messages: ['Prepare', 'Promise', 'Accept', 'Accepted', 'Nack'],
  states: {
    adoptsReportedValue: (state) => state.phase === 'accepting' && state.highestReported !== null,
    nacked: (state) => state.nacks > 0,
    acceptedThenPromisedHigher: (state) => state.accepted !== null && state.promised !== null && state.learned === null,
  },
};
