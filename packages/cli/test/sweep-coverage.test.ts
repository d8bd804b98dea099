import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addCoverage, emptyCoverageTotals, type CoverageCounts } from '@dsim/core';

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
const temp = mkdtempSync(join(tmpdir(), 'dsim-sweep-coverage-'));
const read = (file: string) => {
  const [header, ...lines] = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { header: header!, lines: lines as Array<{ seed: number; coverage: CoverageCounts }> };
};

// One pause or crash of up to 40 s: a long one makes peers suspect (>15 s) or remove (>30 s) the
// node, a crash brings it back with a higher incarnation; a short one does neither.
const pauses = join(temp, 'pauses.json');
writeFileSync(
  pauses,
  JSON.stringify({
    name: 'pauses',
    protocol: 'heartbeat',
    nodes: 3,
    until: '120s',
    nemesis: { faults: 1, kinds: ['pause', 'crash'], from: '5s', healAt: '60s', minDuration: '1s', maxDuration: '40s' },
    invariants: ['all-healthy-after-heal'],
  }),
);

describe('dsim sweep coverage', () => {
  it('writes each run’s counters and the goals, and merge reports the same totals and the goals never reached', () => {
    const file = join(temp, 'covered.jsonl');
    const sweep = dsim(['sweep', pauses, '--seeds', '1..6', '--workers', '2', '--results', file]);
    expect(sweep.code).toBe(0);
    const { header, lines } = read(file);
    expect(header.coverageGoals).toEqual({
      roles: ['healthy', 'suspecting', 'removing'],
      messages: ['Beat'],
      states: ['seesRestartedPeer'],
      sometimes: [],
    });
    for (const line of lines) {
      expect(line.coverage.delivered.Beat).toBeGreaterThan(0);
      expect(line.coverage.roles.healthy).toBeGreaterThanOrEqual(3);
    }
    const merged = dsim(['sweep', 'merge', file, '--json']);
    const report = JSON.parse(merged.out) as {
      coverage: { goals: number; unreached: string[]; totals: Record<string, unknown> };
    };
    const totals = emptyCoverageTotals();
    for (const line of lines) addCoverage(totals, line.coverage);
    expect(report.coverage.totals).toEqual(totals);
    expect(report.coverage.goals).toBe(5);
    const unreached = ['healthy', 'suspecting', 'removing']
      .filter((role) => !totals.roles[role])
      .map((role) => `role ${role}`)
      .concat(totals.states.seesRestartedPeer ? [] : ['state seesRestartedPeer']);
    expect(report.coverage.unreached).toEqual(unreached);
    expect(sweep.out).toContain(`coverage   ${5 - unreached.length} of 5 declared goals reached in 6 runs`);
  });

  it('--until-covered stops at the first seed, in seed order, by which every goal is reached', () => {
    const file = join(temp, 'until.jsonl');
    const { code, out } = dsim([
      'sweep',
      pauses,
      '--seeds',
      '1..500',
      '--workers',
      '1',
      '--until-covered',
      '--results',
      file,
    ]);
    expect(code).toBe(0);
    const { header, lines } = read(file);
    expect(header.untilCovered).toBe(true);
    const seeds = lines.map((line) => line.seed);
    // One worker takes the seeds in order: it ran 1..N and stopped at N, the first seed that completed coverage.
    expect(seeds).toEqual(Array.from({ length: seeds.length }, (_, i) => i + 1));
    expect(seeds.length).toBeLessThan(500);
    const goalsReached = (upTo: number) => {
      const totals = emptyCoverageTotals();
      for (const line of lines.slice(0, upTo)) addCoverage(totals, line.coverage);
      return (
        ['healthy', 'suspecting', 'removing'].every((role) => totals.roles[role]) &&
        totals.delivered.Beat !== undefined &&
        totals.states.seesRestartedPeer !== undefined
      );
    };
    expect(goalsReached(seeds.length)).toBe(true);
    expect(goalsReached(seeds.length - 1)).toBe(false);
    expect(out).toContain(`every coverage goal reached by seed ${seeds.length} (${seeds.length} runs in seed order)`);
    // Merging it does not call the seeds it never took missing.
    expect(dsim(['sweep', 'merge', file]).code).toBe(0);
  });

  it('--until-covered exits 1 naming what the budget did not reach', () => {
    // Without faults nobody is ever suspected, removed or restarted.
    const quiet = join(temp, 'quiet.json');
    writeFileSync(
      quiet,
      JSON.stringify({
        name: 'quiet',
        protocol: 'heartbeat',
        nodes: 3,
        until: '30s',
        invariants: ['all-healthy-after-heal'],
      }),
    );
    const { code, out } = dsim(['sweep', quiet, '--seeds', '1..3', '--workers', '1', '--until-covered']);
    expect(code).toBe(1);
    expect(out).toContain('the seeds ran out before every coverage goal was reached');
    expect(out).toContain('coverage   2 of 5 declared goals reached in 3 runs');
    expect(out).toContain('never reached: role suspecting, role removing, state seesRestartedPeer');
  });
});
