import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '@dsim/core';
import { ring } from '../templates/starter/src/protocol.ts';

const root = resolve(import.meta.dirname, '../../..');
const bin = join(root, 'packages/cli/bin/dsim.js');
const dsim = (cwd: string, ...args: string[]) => {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
};

describe('dsim init', () => {
  it('writes the starter into an empty folder, with this CLI version of the dsim packages', () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'dsim-init-')), 'My Protocol');
    const { code, out } = dsim(root, 'init', folder);
    expect(code).toBe(0);
    for (const file of [
      '.gitignore',
      'dsim.config.ts',
      'package.json',
      'scenarios/ring-partition.json',
      'src/protocol.test.ts',
      'src/protocol.ts',
      'tsconfig.json',
    ])
      expect(out).toContain(`  ${file}\n`);
    const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
    const cli = JSON.parse(readFileSync(join(root, 'packages/cli/package.json'), 'utf8'));
    expect(manifest.name).toBe('my-protocol');
    expect(manifest.devDependencies['@dsim/cli']).toBe(`^${cli.version}`);
    expect(manifest.scripts.test).toBe('vitest run');
    expect(readFileSync(join(folder, 'dsim.config.ts'), 'utf8')).toContain("from '@dsim/cli/config'");
  });

  it('overwrites nothing: a folder with any of its files is refused, naming them', () => {
    const folder = mkdtempSync(join(tmpdir(), 'dsim-init-'));
    writeFileSync(join(folder, 'package.json'), '{}\n');
    const { code, err } = dsim(folder, 'init');
    expect(code).toBe(2);
    expect(err).toMatch(/already has package\.json; run it in an empty folder \(nothing is overwritten\)/);
    expect(readFileSync(join(folder, 'package.json'), 'utf8')).toBe('{}\n');
  });

  it('refuses a package name npm would refuse', () => {
    const folder = mkdtempSync(join(tmpdir(), 'dsim-init-'));
    const { code, err } = dsim(folder, 'init', '--name', 'Bad Name');
    expect(code).toBe(2);
    expect(err).toMatch(/'Bad Name' is not a valid npm package name; give one with --name my-protocol/);
  });
});

describe("the starter's protocol and scenario", () => {
  it('holds one-token through the partition, and the token waits at the cut', () => {
    const scenario = JSON.parse(
      readFileSync(join(root, 'packages/cli/templates/starter/scenarios/ring-partition.json'), 'utf8'),
    );
    const run = (faults: unknown[]) => runScenario({ ...scenario, protocol: ring, faults }, {}, { trace: 'off' });
    const partitioned = run(scenario.faults);
    const whole = run([]);
    expect(partitioned.violations).toEqual([]);
    expect(whole.violations).toEqual([]);
    const hops = (result: typeof whole) => Math.max(...result.summaries.map(([, summary]) => Number(summary?.hops)));
    expect(hops(partitioned)).toBeLessThan(hops(whole));
  });
});
