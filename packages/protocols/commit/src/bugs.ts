import type { BugSwitch } from '@dsim/core';

/** Bug switches shared by both protocols' registries; each names the rule it removes and what breaks. */
export const twoPhaseBugs = {
  participantCommitsOnTimeout: {
    description:
      'A participant that voted YES and hears nothing commits when its decision timeout fires, instead of running the cooperative ' +
      'termination protocol and blocking (Gray 1978; BHG §7.3: a READY participant must not decide alone).',
    breaks:
      'READY is adjacent to ABORT as well as COMMIT: the coordinator may have aborted (a NO vote, a vote timeout, presumed abort after a crash). ' +
      "The participant commits while the others abort; 'atomicity' catches it.",
  },
  coordinatorForgetsDecision: {
    description:
      'The coordinator sends COMMIT before forcing its decision record to disk, and writes it lazily with END once everyone acknowledged ' +
      '(Gray 1978: the commit point is the decision record on stable storage).',
    breaks:
      'A coordinator that crashes between sending COMMIT and END recovers with no decision and presumes abort, while a participant ' +
      "already committed. 'atomicity' catches it (the coordinator flips its own decision, and disagrees with a participant).",
  },
} satisfies Record<string, BugSwitch>;

/**
 * Switches that each remove one of Skeen's rules. 2PC's switches are left out: under crash-only
 * faults (3PC's failure model) Skeen's recovery rule masks coordinatorForgetsDecision (a coordinator
 * that recovers in PRECOMMIT asks instead of presuming abort), and a switch that no property run in
 * the protocol's own failure model can catch would teach nothing.
 */
export const threePhaseBugs = {
  skipPreCommit: {
    description:
      "The coordinator sends COMMIT as soon as every vote is YES, skipping the PRE-COMMIT round, while participants keep 3PC's termination rules " +
      '(Skeen 1981: the buffer state COMMITTABLE exists so that no noncommittable state is adjacent to COMMIT).',
    breaks:
      'A coordinator that crashes between sending COMMIT to one participant and the next leaves the others UNCERTAIN; their backup finds ' +
      "everyone reachable uncertain and aborts by TR3 while one site committed. 'atomicity' catches it under crash-only faults.",
  },
  terminationIgnoresCommittable: {
    description:
      'The backup coordinator drops TR4 and treats COMMITTABLE like UNCERTAIN, so it aborts whenever nobody reachable has committed (BHG §7.5, TR4).',
    breaks:
      'COMMITTABLE means everyone voted YES and the coordinator may already have committed: a site that committed and then failed, or a ' +
      "coordinator that committed after its ACK timeout, disagrees with the backup's abort. 'atomicity' catches it.",
  },
  recoveryPresumesAbort: {
    description:
      "A 3PC coordinator that recovers in PRECOMMIT applies 2PC's presumed-abort rule instead of asking the participants " +
      '(Skeen 1981; BHG §7.5: a site that recovers in a committable state must not decide alone).',
    breaks:
      'While the coordinator was down, the participants ran the termination protocol and committed by TR4; the recovered coordinator aborts. ' +
      "'atomicity' catches it under crash-only faults.",
  },
} satisfies Record<string, BugSwitch>;

export type TwoPhaseBug = keyof typeof twoPhaseBugs;
export type ThreePhaseBug = keyof typeof threePhaseBugs;
export type CommitBug = TwoPhaseBug | ThreePhaseBug;
