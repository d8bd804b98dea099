import { spawnSync } from 'node:child_process';
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

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
const temp = mkdtempSync(join(tmpdir(), 'dsim-sweep-shrink-'));

// A restarted node never beats again: one crash fails the run; the nemesis adds partitions and
// pauses the failure does not need.
const buggy = join(temp, 'restart.json');
writeFileSync(
  buggy,
  JSON.stringify({
    name: 'heartbeat-restart',
    protocol: 'heartbeat',
    nodes: 3,
    until: '150s',
    bugs: ['beatTimerNotRearmedOnRestart'],
    invariants: ['detects-crash-in-time', 'all-healthy-after-heal'],
    nemesis: { faults: 6, kinds: ['partition', 'crash', 'pause'], from: '2s', healAt: '60s', maxDuration: '10s' },
  }),
);

describe('dsim sweep --shrink', () => {
  it('saves each failing seed’s shrunk scenario and trace beside the results; the scenario replays to that trace', () => {
    const results = join(temp, 'sweep.jsonl');
    const { code, out } = dsim(['sweep', buggy, '--seeds', '3..4', '--workers', '1', '--shrink', '--results', results]);
    expect(code).toBe(1);
    const lines = readFileSync(results, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => JSON.parse(line) as { seed: number; verdict: string });
    for (const { seed, verdict } of lines) {
      expect(verdict).toBe('violation');
      const scenarioFile = join(temp, 'sweep.shrunk', `seed-${seed}.json`);
      const traceFile = join(temp, 'sweep.shrunk', `seed-${seed}.trace.jsonl`);
      expect(out).toContain(`npx dsim run ${scenarioFile}`);
      const scenario = JSON.parse(readFileSync(scenarioFile, 'utf8')) as {
        seed: number;
        nemesis?: unknown;
        faults: Array<{ fault: { type: string } }>;
      };
      expect(scenario.seed).toBe(seed);
      expect(scenario.nemesis).toBeUndefined();
      expect(scenario.faults.map(({ fault }) => fault.type)).toEqual(['crash', 'restart', 'heal']);
      const replayTrace = join(temp, `replay-${seed}.jsonl`);
      const replay = dsim(['run', scenarioFile, '--out', replayTrace, '--quiet']);
      expect(replay.code).toBe(1);
      expect(readFileSync(replayTrace, 'utf8')).toBe(readFileSync(traceFile, 'utf8'));
    }
    expect(lines.map((line) => line.seed).sort()).toEqual([3, 4]);
  });
});
