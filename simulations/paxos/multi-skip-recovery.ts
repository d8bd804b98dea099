import { defineScenario } from '@dsim/core';
import { multiPaxosScenario } from '@dsim/paxos';

/**
 * Bug switch newLeaderSkipsRecovery, as the property runner found and shrank it (hunt
 * multipaxos:newLeaderSkipsRecovery in simulations/paxos/catch-bugs.ts: one partition episode).
 * n1 is cut off at 200 ms while the majority n2, n3 elects a leader and chooses commands. When the
 * partition heals, a new leader that skips recovery starts after its own last slot and puts a new
 * command in a slot that already holds a chosen one: 'agreement' names the slot and both commands.
 * Run it with --expect-violation.
 */
export default defineScenario({
  ...multiPaxosScenario({ bugs: ['newLeaderSkipsRecovery'], kinds: [], seed: 416096452 }),
  name: 'multipaxos-skip-recovery',
  description: 'Bug switch newLeaderSkipsRecovery: a new leader overwrites a chosen slot; agreement is violated.',
  faults: [
    { at: '200ms', fault: { type: 'partition', groups: [['n1'], ['n2', 'n3']] } },
    { at: '684215us', fault: { type: 'heal' } },
    { at: '4s', fault: { type: 'heal' } },
  ],
});
