import { backupDecided, terminationProtocolRan, FOUR_TRANSFERS, SAFETY_INVARIANTS, scriptedSites } from '@dsim/commit';
import { defineScenario } from '@dsim/core';

/**
 * The same crash as 2pc-coordinator-crash, under Skeen's 3PC: c dies at 8 ms after every
 * participant voted YES but before any PRE-COMMIT. The participants time out, poll each other,
 * elect p1 (the lowest operational id) as backup, and p1 finds everyone UNCERTAIN: TR3, abort.
 * Nobody blocks: the locks are free about 130 ms after the crash, not 3 s.
 */
export default defineScenario({
  name: '3pc-coordinator-crash',
  description: '3PC (Skeen): the same coordinator crash; the termination protocol aborts by TR3, nobody blocks',
  protocol: '3pc',
  ...scriptedSites(FOUR_TRANSFERS),
  config: { variant: 'skeen' },
  faults: [
    { at: '8ms', fault: { type: 'crash', node: 'c' } },
    { at: '3s', fault: { type: 'restart', node: 'c' } },
  ],
  invariants: [...SAFETY_INVARIANTS, 'resolved-after-heal', terminationProtocolRan, backupDecided],
});
