import { defineScenario } from '@dsim/core';
import { figure8Base } from './figure8.ts';

/**
 * Figure 8 with the bug switch `commitPriorTermByCount`: the same schedule as figure8.ts, but n1
 * commits (and applies) entry X at index 2 in (c) because it sits on a majority, although it is
 * from an older term. In (d) n5 wins without X, and the run shows both consequences the paper
 * names: the new leader lacks a committed entry (Leader Completeness), and n5 then commits and
 * applies its own entry at index 2, where n1 applied X (State Machine Safety). The run does not
 * stop at the first violation, so it ends with the state-machine-safety one.
 */
export default defineScenario({
  name: 'raft-figure8-bug',
  description:
    'Raft Figure 8 with commitPriorTermByCount: an old-term entry committed by counting replicas is overwritten after it was applied.',
  ...figure8Base,
  bugs: ['commitPriorTermByCount'],
  stopOnViolation: false,
  invariants: ['election-safety', 'leader-append-only', 'log-matching', 'leader-completeness', 'state-machine-safety'],
});
