import { backupDecided, terminationProtocolRan, ONE_TRANSFER, SAFETY_INVARIANTS, scriptedSites } from '@dsim/commit';
import { defineScenario } from '@dsim/core';

/**
 * Skeen's 3PC, crash in the middle of the PRE-COMMIT round: c sends PRE-COMMIT to p1 at 8 ms and
 * crashes at 8.5 ms, before its turn to send to p2. p1 is COMMITTABLE, p2 and p3 UNCERTAIN. p1 is
 * the backup: TR4 pre-commits p2 and p3, collects their ACKs and commits everywhere. c restarts
 * at 3 s in PRECOMMIT, asks instead of presuming abort, and learns COMMIT.
 */
export default defineScenario({
  name: '3pc-coordinator-crash-precommit',
  description:
    '3PC (Skeen): the coordinator dies mid PRE-COMMIT; the backup commits by TR4; the recovered coordinator asks',
  protocol: '3pc',
  ...scriptedSites(ONE_TRANSFER),
  config: { variant: 'skeen' },
  faults: [
    { at: '8500us', fault: { type: 'crash', node: 'c' } },
    { at: '3s', fault: { type: 'restart', node: 'c' } },
  ],
  invariants: [...SAFETY_INVARIANTS, 'resolved-after-heal', terminationProtocolRan, backupDecided],
});
