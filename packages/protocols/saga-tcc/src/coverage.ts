import type { ProtocolCoverage } from '@dsim/core';
import type { TxnState } from './state.ts';

/**
 * What a TCC sweep should reach (SPECS §2.3, DTM's sub-transaction barrier): amounts frozen by a
 * Try, a global transaction cancelled, and the barrier's three cases: an empty rollback (Cancel
 * before Try), a suspended Try (a Try after its Cancel), and a repeated call.
 */
export const tccCoverage: ProtocolCoverage<TxnState> = {
  roles: ['coordinator', 'participant', 'frozen'],
  messages: ['Try', 'TryResult', 'Confirm', 'Cancel', 'PhaseTwoAck'],
  states: {
    cancelling: (state) =>
      state.role === 'coordinator' && Object.values(state.tcc).some((global) => global.phase === 'cancelling'),
    emptyRollback: (state) => state.role === 'participant' && state.emptyRollbacks > 0,
    suspendedTry: (state) => state.role === 'participant' && state.suspendedTries > 0,
    repeatedCall: (state) => state.role === 'participant' && state.duplicates > 0,
  },
};

/** What a saga sweep should reach (SPECS §2.5): a step failing and the completed steps compensated. */
export const sagaCoverage: ProtocolCoverage<TxnState> = {
  roles: ['coordinator', 'participant'],
  messages: ['Action', 'ActionResult', 'Compensate', 'CompensateAck'],
  states: {
    compensating: (state) =>
      state.role === 'coordinator' && Object.values(state.saga).some((saga) => saga.phase === 'compensating'),
    emptyCompensation: (state) => state.role === 'participant' && state.emptyRollbacks > 0,
    repeatedCall: (state) => state.role === 'participant' && state.duplicates > 0,
  },
};
