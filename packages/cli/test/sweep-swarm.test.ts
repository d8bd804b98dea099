import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drawSwarm, type SwarmDraw } from '@dsim/core';
import { families } from '@dsim/registry';

const root = resolve(import.meta.dirname, '../../..');
const bin = join(root, 'packages/cli/bin/dsim.js');
const dsim = (args: string[]) => {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
};
const temp = mkdtempSync(join(tmpdir(), 'dsim-sweep-swarm-'));

describe('dsim sweep --swarm', () => {
  it('records each seed’s draw in its result line, and dsim run --swarm replays the same run', () => {
    const file = join(temp, 'swarm.jsonl');
    const sweep = dsim(['sweep', '--family', 'paxos/aggressive', '--seeds', '1..4', '--swarm', '--results', file]);
    expect(sweep.code).toBe(0);
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => JSON.parse(line) as { seed: number; hash: string; swarm: SwarmDraw; reproduce: string });
    expect(lines).toHaveLength(4);
    for (const line of lines) {
      expect(line.swarm).toEqual(drawSwarm(families['paxos/aggressive']!.swarm!, line.seed));
      expect(line.reproduce).toBe(`npx dsim run --family paxos/aggressive --seed ${line.seed} --swarm`);
    }
    const seed = lines[2]!;
    const replay = dsim([
      'run',
      '--family',
      'paxos/aggressive',
      '--seed',
      String(seed.seed),
      '--swarm',
      '--json',
      '--no-trace',
    ]);
    expect((JSON.parse(replay.out) as { hash: string }).hash).toBe(seed.hash);
    // Without --swarm the seed runs the family's own configuration: another run.
    const plain = dsim(['run', '--family', 'paxos/aggressive', '--seed', String(seed.seed), '--json', '--no-trace']);
    expect((JSON.parse(plain.out) as { hash: string }).hash).not.toBe(seed.hash);
  });

  it('refuses --swarm without a family, naming the fix', () => {
    const { code, err } = dsim(['sweep', 'simulations/heartbeat/clock-skew.ts', '--seeds', '1', '--swarm']);
    expect(code).toBe(2);
    expect(err).toContain("--swarm draws from a seed family's ranges: give --family");
  });
});
