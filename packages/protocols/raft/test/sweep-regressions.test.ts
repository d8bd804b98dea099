import { familyOptions, familyScenario, runScenario } from '@dsim/core';
import { registry } from '@dsim/registry';
import { describe, expect, it } from 'vitest';
import { families } from '../src/index.ts';

/**
 * Seeds of `dsim sweep --family raft/aggressive --nodes 5,7` that once failed a rule falsely.
 * 2072 on 5 nodes (6392 and 8156 alike): n1, a pre-candidate whose pre-vote round was under way, granted n2 its vote in
 * term 9 and, when the pre-votes it had asked for came back, campaigned for term 10 at once, as
 * etcd does; vote-restarts-election-timer counted that campaign from its own start instead of the
 * pre-vote's.
 */
const flagged = [
  { seed: 2072, nodes: 5 },
  { seed: 6392, nodes: 5 },
  { seed: 8156, nodes: 5 },
];

describe('raft/aggressive seeds the sweep flagged', () => {
  for (const { seed, nodes } of flagged)
    it(`seed ${seed} on ${nodes} nodes holds every invariant`, () => {
      const family = families.aggressive!;
      const { scenario } = familyScenario(family, seed, familyOptions(family, { nodes }));
      const result = runScenario(scenario, { registry, seed }, { trace: 'off' });
      expect(result.violations).toEqual([]);
    });
});
