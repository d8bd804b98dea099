/** The names of the five safety properties of the Raft paper's Figure 3, shared by the fast and the reference checks. */
export const ELECTION_SAFETY = 'election-safety';
export const LEADER_APPEND_ONLY = 'leader-append-only';
export const LOG_MATCHING = 'log-matching';
export const LEADER_COMPLETENESS = 'leader-completeness';
export const STATE_MACHINE_SAFETY = 'state-machine-safety';
