import type { BugSwitch } from '@dsim/core';

/** Both protocols: in Multi-Paxos a restarted acceptor cut off from the new leader accepts a deposed leader's re-sent Accepts. */
const acceptorForgetsPromiseOnRestart: BugSwitch = {
  description:
    'After a restart the acceptor does not read its promise back from stable storage ("Paxos Made Simple" §2.3: an acceptor must remember the highest-numbered prepare it answered, even if it fails and restarts).',
  breaks:
    "A restarted acceptor promises or accepts a proposal numbered below one it promised before the crash, so a proposer that counted its old promise proceeds on a quorum that no longer holds it: 'promise-kept' catches it, and 'agreement' when two values end up chosen.",
};

const newLeaderSkipsRecovery: BugSwitch = {
  description:
    'A new Multi-Paxos leader ignores the accepted values its promises report: it neither re-proposes them nor fills gaps with no-ops, and starts proposing at the slot after its own last one ("Paxos Made Simple" §3: a new leader must run phase 2 for every instance whose value it does not know is chosen).',
  breaks:
    "A slot chosen by a majority the new leader did not hear from gets a second value: 'agreement' catches it (two learners learn different commands at one slot), and linearizability when clients read.",
};

/** Named ways to break single-decree Paxos on purpose, each removing one rule of "Paxos Made Simple". */
export const singleDecreeBugs = {
  acceptorForgetsPromiseOnRestart,
  proposerIgnoresAcceptedValues: {
    description:
      'In phase 2a the proposer sends its own value even when a promise reported an accepted one ("Paxos Made Simple" §2.2: v must be the value of the highest-numbered proposal among the responses).',
    breaks:
      "A later proposer overwrites a value that was already chosen: two values chosen, two learners learn different values. 'agreement' catches it.",
  },
  nonUniqueBallots: {
    description:
      'Proposal numbers are the round alone, without the proposer id, so two proposers can use the same number ("Paxos Made Simple" §2.2: different proposers choose numbers from disjoint sets).',
    breaks:
      "Two proposers run phase 2 with one number and different values; acceptors accept both, and a majority can accept each value under that number. 'agreement' catches it.",
  },
  learnFromMinority: {
    description:
      'A learner learns a value from a single Accepted message instead of from a majority of acceptors ("Paxos Made Simple" §2.3: a value is chosen only when a majority has accepted it).',
    breaks:
      "A learner learns a value that a later proposal replaces before it is chosen. 'learned-was-chosen' catches it, and 'agreement' when learners disagree.",
  },
} satisfies Record<string, BugSwitch>;

export type SingleDecreeBug = keyof typeof singleDecreeBugs;

/** Named ways to break Multi-Paxos on purpose. */
export const multiPaxosBugs = {
  acceptorForgetsPromiseOnRestart,
  newLeaderSkipsRecovery,
} satisfies Record<string, BugSwitch>;

export type MultiPaxosBug = keyof typeof multiPaxosBugs;
