import type { BugSwitch } from '@dsim/core';

export const bugs = {
  noVerify: {
    description:
      'The owner never sends verify rounds (DistroVerifyTimedTask is off), so a replica that missed a push is never compared with the owner and never repaired (Nacos 2.x DistroVerifyExecuteTask, SPECS §1.6).',
    breaks:
      'A push lost to a partition or to message loss after its retries stopped (the owner moved) leaves replicas different forever: convergence after the heal fails.',
  },
  syncOnlyToOwner: {
    description:
      'A change is pushed only to the client\u2019s responsible node instead of to every other member (DistroProtocol.sync iterates allMembersWithoutSelf, SPECS §1.4); as the writer is the owner, nobody is pushed to and replicas learn changes only from verify repairs.',
    breaks:
      'Replicas lag the owner by up to a verify interval (5 s) instead of the 1 s sync delay even without any fault: bounded-staleness fails once the cluster has settled, and convergence fails at its deadline while clients keep changing.',
  },
  hashOverAllMembers: {
    description:
      'Responsibility is hashed over every member instead of the UP and SUSPICIOUS ones (DistroMapper rebuilds its healthy list on MembersChangeEvent, SPECS §1.2), so a dead member keeps owning its slice.',
    breaks:
      'Registrations and beats for the dead member\u2019s clients are forwarded to it and lost for as long as it is down: writes-reach-a-live-owner fails.',
  },
  noLoadOnStart: {
    description:
      'A starting node serves at once with an empty registry instead of loading the full snapshot from a peer first (DistroLoadDataTask; the server status stays STARTING until the load is done, SPECS §1.7).',
    breaks:
      'A restarted node answers reads with no instances while its peers hold them: starts-serving-with-data fails.',
  },
  expireWithoutResponsibilityCheck: {
    description:
      'Every node runs the beat check on every client instead of only the responsible node (HealthCheckResponsibleInterceptor, SPECS §1.9), and deletes copies whose beats it never sees.',
    breaks:
      'A node that is not the owner deletes alive clients whose verify renewals were late (owner crashed or paused, lost verify): expiry-only-by-owner fails, and reads there miss alive instances.',
  },
} satisfies Record<string, BugSwitch>;

export type DistroBug = keyof typeof bugs;
