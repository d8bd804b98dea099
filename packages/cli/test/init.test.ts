import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

  it('overwrites nothing: a clashing file is refused by name; an existing package.json gains only what it lacks', () => {
    const clash = mkdtempSync(join(tmpdir(), 'dsim-init-'));
    mkdirSync(join(clash, 'src'));
    writeFileSync(join(clash, 'src/protocol.ts'), '// mine\n');
    const refused = dsim(clash, 'init');
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/already has src\/protocol\.ts; run it in an empty folder \(nothing is overwritten\)/);
    expect(readFileSync(join(clash, 'src/protocol.ts'), 'utf8')).toBe('// mine\n');

    // The folder npm install left: a package.json with the dsim packages as tarball dependencies.
    const installed = mkdtempSync(join(tmpdir(), 'dsim-init-'));
    const existing = {
      name: 'mine',
      scripts: { test: 'node --test' },
      dependencies: { '@dsim/cli': 'file:../dsim-cli-0.1.0.tgz' },
    };
    writeFileSync(join(installed, 'package.json'), JSON.stringify(existing));
    expect(dsim(installed, 'init').code).toBe(0);
    const merged = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    expect(merged.name).toBe('mine');
    expect(merged.type).toBe('module');
    expect(merged.scripts).toEqual({ test: 'node --test', sim: 'dsim run scenarios/ring-partition.json' });
    expect(merged.dependencies).toEqual(existing.dependencies);
    expect(Object.keys(merged.devDependencies).sort()).toEqual([
      '@dsim/core',
      '@dsim/property',
      'typescript',
      'vitest',
    ]);

    const commonjs = mkdtempSync(join(tmpdir(), 'dsim-init-'));
    writeFileSync(join(commonjs, 'package.json'), '{ "type": "commonjs" }');
    const cjs = dsim(commonjs, 'init');
    expect(cjs.code).toBe(2);
    expect(cjs.err).toMatch(/package\.json has "type": "commonjs"; the starter is ES modules: set "type": "module"/);
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
