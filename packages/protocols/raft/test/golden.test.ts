import { runScenario, type Scenario } from '@dsim/core';
import { registry } from '@dsim/registry';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import figure8 from '../../../../simulations/raft/figure8.ts';
import figure8Bug from '../../../../simulations/raft/figure8-bug.ts';
import leaderCrash from '../../../../simulations/raft/leader-crash.ts';
import leaderIsolated from '../../../../simulations/raft/leader-isolated.ts';
import leaseClockSkew from '../../../../simulations/raft/lease-clock-skew.ts';
import snapshotCatchUp from '../../../../simulations/raft/snapshot-catch-up.ts';
import splitVote from '../../../../simulations/raft/split-vote.ts';
import { renderGolden } from './golden.ts';

/**
 * Golden traces in etcd raft's testdata style: the compact story of each scenario under
 * test/golden/<name>.txt. Regenerate with `UPDATE_GOLDEN=1 npx vitest run packages/protocols/raft`
 * and review the diff like code.
 */
const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), 'golden');
const update = process.env.UPDATE_GOLDEN === '1';

const scenarios: Array<[string, Scenario]> = [
  ['figure8', figure8],
  ['figure8-bug', figure8Bug],
  ['leader-crash', leaderCrash],
  ['leader-isolated', leaderIsolated],
  ['lease-clock-skew', leaseClockSkew],
  ['snapshot-catch-up', snapshotCatchUp],
  ['split-vote', splitVote],
];

describe('raft golden traces', () => {
  for (const [name, scenario] of scenarios) {
    it(name, () => {
      const text = renderGolden(runScenario(scenario, { registry }, { trace: 'memory', stateMode: 'mutable' }), {
        maxLines: 400,
      });
      const file = join(GOLDEN_DIR, `${name}.txt`);
      if (update || !existsSync(file)) {
        mkdirSync(GOLDEN_DIR, { recursive: true });
        writeFileSync(file, text);
        if (!update) throw new Error(`wrote the missing golden file ${file}; review it and run again`);
        return;
      }
      expect(text).toBe(readFileSync(file, 'utf8'));
    });
  }
});
