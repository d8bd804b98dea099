import type { ProtocolCoverage } from '@dsim/core';
import type { CommitState } from './state.ts';

const states: ProtocolCoverage<CommitState>['states'] = {
  participantBlocked: (state) =>
    state.role === 'participant' && Object.values(state.txs).some((tx) => tx.blockedSince !== null),
  terminationRound: (state) => state.role === 'participant' && Object.values(state.txs).some((tx) => tx.round !== null),
  coordinatorRecovered: (state) => state.role === 'coordinator' && Object.values(state.txs).some((tx) => tx.recovered),
  participantRecoveredInDoubt: (state) =>
    state.role === 'participant' && Object.values(state.txs).some((tx) => tx.recovered),
};

/**
 * What a 2PC sweep should reach: a participant in doubt (prepared), blocked while the coordinator
 * is down (BHG §7.4: 2PC's blocking window), the cooperative termination protocol, and recovery
 * from the log on both sides.
 */
export const twoPhaseCoverage: ProtocolCoverage<CommitState> = {
  roles: ['coordinator', 'participant', 'prepared', 'blocked'],
  messages: ['Prepare', 'Vote', 'Decision', 'DecisionAck', 'StateRequest', 'StateReport'],
  states,
};

/**
 * What a 3PC sweep should reach: 2PC's states plus PRE-COMMIT (committable) and a participant
 * acting as backup coordinator in Skeen's termination protocol.
 */
export const threePhaseCoverage: ProtocolCoverage<CommitState> = {
  roles: ['coordinator', 'participant', 'prepared', 'blocked', 'backup'],
  messages: ['Prepare', 'Vote', 'PreCommit', 'PreCommitAck', 'Decision', 'DecisionAck', 'StateRequest', 'StateReport'],
  states: {
    ...states,
    committable: (state) =>
      state.role === 'participant' && Object.values(state.txs).some((tx) => tx.phase === 'committable'),
  },
};
